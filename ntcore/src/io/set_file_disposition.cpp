// FileDispositionInformation(Ex): mark a file delete-pending (it goes when its last handle
// closes), undo that, arm delete-on-close for this handle, or unlink at once (POSIX semantics).
#include <sys/stat.h>

#include <cstring>
#include <mutex>

#include "io/file_stat.h"
#include "io/open_file.h"
#include "io/open_file_table.h"
#include "io/set_file_information.h"

namespace ireactor::io {

using namespace nt;

NTSTATUS set_disposition(FileObject& f, bool ex, const uint8_t* info, ULONG length) {
  ULONG flags;
  if (ex)
    std::memcpy(&flags, info, sizeof flags);
  else
    flags = info[0] ? FILE_DISPOSITION_DELETE : FILE_DISPOSITION_DO_NOT_DELETE;
  const bool del = flags & FILE_DISPOSITION_DELETE;
  if (del) {
    if (f.host_path().empty()) return STATUS_CANNOT_DELETE;  // the drive root
    if (f.directory) {
      if (directory_has_entries(f.fd)) return STATUS_DIRECTORY_NOT_EMPTY;
    } else if (!(flags & FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE)) {
      struct statx st;
      if (int e = stat_fd(f.fd, st)) return status_from_errno(e);
      if (!(st.stx_mode & S_IWUSR)) return STATUS_CANNOT_DELETE;  // FILE_ATTRIBUTE_READONLY
    }
  }
  {
    std::lock_guard lock(open_files().mutex());
    if (flags & FILE_DISPOSITION_ON_CLOSE) {
      // Only a handle opened with FILE_DELETE_ON_CLOSE may turn it back on.
      if (del && !(f.options & FILE_DELETE_ON_CLOSE)) return STATUS_NOT_SUPPORTED;
      f.delete_on_close = del;
      return STATUS_SUCCESS;
    }
    // POSIX semantics: the name goes when this handle closes, even if others stay open.
    f.posix_delete = del && (flags & FILE_DISPOSITION_POSIX_SEMANTICS);
    f.record->delete_pending = del;
  }
  OpenFileTable::delete_state_changed(*f.record);
  return STATUS_SUCCESS;
}

}  // namespace ireactor::io
