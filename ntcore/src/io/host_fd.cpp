#include "ireactor/io/host_fd.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

#include "console/console.h"
#include "io/open_file.h"
#include "ireactor/io/file_object.h"
#include "ireactor/process.h"

namespace ireactor {

using namespace nt;

namespace {

// What GetFileType makes of it: a console for ttys, a pipe for pipes and sockets, the null
// device for other character devices, a disk file otherwise.
ULONG device_type_of(int fd, const struct stat& st) {
  if (S_ISCHR(st.st_mode)) return isatty(fd) ? FILE_DEVICE_CONSOLE : FILE_DEVICE_NULL;
  if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) return FILE_DEVICE_NAMED_PIPE;
  return FILE_DEVICE_DISK;
}

// Writing to a pipe whose reader is gone must fail with STATUS_PIPE_BROKEN, as on Windows,
// not kill the process: once a pipe or socket becomes a handle, SIGPIPE is ignored.
void ignore_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { signal(SIGPIPE, SIG_IGN); });
}

}  // namespace

NTSTATUS create_handle_for_host_fd(int fd, ACCESS_MASK access, HANDLE& out) {
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) return STATUS_INVALID_HANDLE;
  int dup = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (dup < 0) return status_from_errno(errno);
  auto f = std::make_shared<FileObject>(FileKind::Device, dup);
  f->access = io::map_file_access(access);
  f->options = FILE_SYNCHRONOUS_IO_NONALERT;
  f->share = FILE_SHARE_READ | FILE_SHARE_WRITE;
  f->device_type = device_type_of(fd, st);
  if (f->device_type == FILE_DEVICE_NAMED_PIPE) ignore_sigpipe();
  if (f->device_type == FILE_DEVICE_CONSOLE) console::adopt_standard_handle(*f, fd);
  return current_process().handles.insert(f, f->access, 0, out);
}

}  // namespace ireactor
