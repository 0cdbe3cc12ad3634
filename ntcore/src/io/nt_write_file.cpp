// NtWriteFile: a hot path (benchmarked against write(2)) - one handle lookup, no allocation.
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

#include "console/console.h"
#include "io/file_offset.h"
#include "io/io_status.h"
#include "ireactor/io/file_object.h"
#include "ireactor/services/io_services.h"

namespace ireactor {

using namespace nt;

namespace {

NTSTATUS write_error(int err) {
  if (err == EFAULT) return STATUS_ACCESS_VIOLATION;
  if (err == EPIPE) return nt::STATUS_PIPE_BROKEN;
  if (err == EISDIR || err == EBADF) return STATUS_INVALID_DEVICE_REQUEST;
  return status_from_errno(err);
}

}  // namespace

NTSTATUS NtWriteFile(HANDLE FileHandle, HANDLE Event, UserPtr<void> ApcRoutine,
                     UserPtr<void> ApcContext, UserPtr<IO_STATUS_BLOCK> IoStatusBlock,
                     UserPtr<void> Buffer, ULONG Length, UserPtr<int64_t> ByteOffset,
                     UserPtr<ULONG> Key) {
  // The handle's granted access decides, not the file object's (a duplicate may have less):
  // either right lets it write, and one with only FILE_APPEND_DATA writes at the end.
  HandleEntry handle;
  if (NTSTATUS s = current_process().handles.get(FileHandle, handle); !nt_success(s)) return s;
  if (handle.object->type() != FileObject::kType) return STATUS_OBJECT_TYPE_MISMATCH;
  if (!(handle.access & (FILE_WRITE_DATA | FILE_APPEND_DATA))) return STATUS_ACCESS_DENIED;
  const auto f = std::static_pointer_cast<FileObject>(std::move(handle.object));
  if (!probe_user(IoStatusBlock.addr(), sizeof(IO_STATUS_BLOCK), true) ||
      !probe_user(Buffer.addr(), Length, false))
    return STATUS_ACCESS_VIOLATION;
  io::IoOffset where;
  if (NTSTATUS s = io::choose_offset(*f, ByteOffset, true, where); !nt_success(s)) return s;
  io::CompletionEvent event;
  if (NTSTATUS s = event.reference(Event); !nt_success(s)) return s;
  if (f->directory) return STATUS_INVALID_DEVICE_REQUEST;
  event.start();
  if (f->console_role != ConsoleRole::None) {
    // Console bytes are in the console's code page and lines end in CR LF (console/).
    ULONG_PTR moved = 0;
    if (NTSTATUS s = console::write_file(*f, Buffer.addr(), Length, moved); !nt_success(s))
      return s;
    io::write_io_status(IoStatusBlock, STATUS_SUCCESS, moved);
    event.complete();
    return STATUS_SUCCESS;
  }

  const bool seekable = f->is_disk();
  // A handle that may only append writes at the end whatever offset it names.
  const bool append = where.at_end || !(handle.access & FILE_WRITE_DATA);
  std::unique_lock<PositionLock> lock;
  if (f->synchronous() && seekable) lock = std::unique_lock(f->position_mutex);
  int64_t offset = where.use_position ? f->position() : where.offset;
  const void* buf = reinterpret_cast<const void*>(Buffer.addr());

  ULONG_PTR done = 0;
  if (Length != 0) {
    ssize_t r;
    do {
      if (!seekable) {
        r = write(f->fd, buf, Length);
      } else if (append) {
        iovec iov{const_cast<void*>(buf), Length};
        r = pwritev2(f->fd, &iov, 1, -1, RWF_APPEND);
      } else {
        r = pwrite(f->fd, buf, Length, offset);
      }
    } while (r < 0 && errno == EINTR);
    if (r < 0) return write_error(errno);
    done = static_cast<ULONG_PTR>(r);
    if (append && seekable) offset = lseek(f->fd, 0, SEEK_CUR) - r;
  }
  if (lock.owns_lock()) {
    f->set_position(offset + static_cast<int64_t>(done));
    lock.unlock();
  }
  io::write_io_status(IoStatusBlock, STATUS_SUCCESS, done);
  event.complete();
  return STATUS_SUCCESS;
}

}  // namespace ireactor
