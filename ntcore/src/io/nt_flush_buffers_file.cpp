// NtFlushBuffersFile: fsync for handles that may write.
#include <unistd.h>

#include <cerrno>

#include "io/io_status.h"
#include "ireactor/io/file_object.h"
#include "ireactor/services/io_services.h"

namespace ireactor {

using namespace nt;

NTSTATUS NtFlushBuffersFile(HANDLE FileHandle, UserPtr<IO_STATUS_BLOCK> IoStatusBlock) {
  if (!probe_user(IoStatusBlock.addr(), sizeof(IO_STATUS_BLOCK), true))
    return STATUS_ACCESS_VIOLATION;
  std::shared_ptr<FileObject> f;
  if (NTSTATUS s = current_process().handles.reference<FileObject>(FileHandle, 0, f);
      !nt_success(s))
    return s;
  if (!(f->access & (FILE_WRITE_DATA | FILE_APPEND_DATA))) return STATUS_ACCESS_DENIED;
  // Pipes, ttys and the null device have nothing to flush (fsync says EINVAL for them).
  if (fsync(f->fd) != 0 && errno != EINVAL && errno != EROFS) return status_from_errno(errno);
  io::write_io_status(IoStatusBlock, STATUS_SUCCESS, 0);
  return STATUS_SUCCESS;
}

}  // namespace ireactor
