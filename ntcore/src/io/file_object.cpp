#include "ireactor/io/file_object.h"

#include <unistd.h>

#include "io/directory_scan.h"
#include "io/open_file_table.h"

namespace ireactor {

namespace {
bool g_positions_in_fd = false;
}  // namespace

FileObject::FileObject(FileKind k, int f)
    : Object(ObjectType::File),
      kind(k),
      fd(f),
      position_in_fd(k == FileKind::Disk && g_positions_in_fd) {}

void FileObject::keep_positions_in_fd(bool on) {
  g_positions_in_fd = on;
}

int64_t FileObject::fd_position() const {
  const off_t p = lseek(fd, 0, SEEK_CUR);
  return p < 0 ? 0 : p;
}

void FileObject::move_fd_position(int64_t value) const {
  lseek(fd, value, SEEK_SET);
}

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
