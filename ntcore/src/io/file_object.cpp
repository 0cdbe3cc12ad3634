#include "ireactor/io/file_object.h"

#include <unistd.h>

#include "io/directory_scan.h"
#include "io/open_file_table.h"

namespace ireactor {

FileObject::FileObject(FileKind k, int f) : Object(ObjectType::File), kind(k), fd(f) {}

FileObject::~FileObject() {
  if (record) io::open_files().close(*this);
  if (fd >= 0) ::close(fd);
}

std::u16string FileObject::nt_name() const {
  if (!record) return {};
  std::lock_guard lock(io::open_files().mutex());
  return record->name.nt_name;
}

std::string FileObject::host_path() const {
  if (!record) return {};
  std::lock_guard lock(io::open_files().mutex());
  return record->name.path;
}

}  // namespace ireactor
