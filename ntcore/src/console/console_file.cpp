// Console handles as files: the standard handles that are a terminal, CONIN$/CONOUT$, and
// ReadFile/WriteFile on them.
#include <fcntl.h>

#include <cerrno>

#include "console/console.h"
#include "console/console_input.h"
#include "console/console_output.h"
#include "console/console_state.h"
#include "console/terminal.h"
#include "ireactor/user_memory.h"

namespace ireactor::console {

using namespace nt;

void adopt_standard_handle(FileObject& f, int std_fd) {
  f.console_role = std_fd == 0 ? ConsoleRole::Input : ConsoleRole::Output;
  ConsoleState& s = state();
  std::lock_guard lock(s.mu);
  if (s.terminal >= 0) return;
  s.terminal = fcntl(f.fd, F_DUPFD_CLOEXEC, 0);
  if (s.terminal >= 0) remember_terminal(s.terminal);
}

NTSTATUS open(ConsoleRole role, std::shared_ptr<FileObject>& out) {
  int terminal;
  {
    ConsoleState& s = state();
    std::lock_guard lock(s.mu);
    terminal = s.terminal;
  }
  if (terminal < 0) return STATUS_INVALID_HANDLE;
  const int fd = fcntl(terminal, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) return status_from_errno(errno);
  auto f = std::make_shared<FileObject>(FileKind::Device, fd);
  f->device_type = FILE_DEVICE_CONSOLE;
  f->console_role = role;
  out = std::move(f);
  return STATUS_SUCCESS;
}

NTSTATUS read_file(FileObject& f, uint64_t user_buffer, ULONG length, ULONG_PTR& done) {
  done = 0;
  if (f.console_role != ConsoleRole::Input) return STATUS_INVALID_HANDLE;
  std::string bytes;
  if (NTSTATUS st = read_bytes(f, length, bytes); !nt_success(st)) return st;
  if (!copy_to_user(user_buffer, bytes.data(), bytes.size())) return STATUS_ACCESS_VIOLATION;
  done = bytes.size();
  return STATUS_SUCCESS;
}

NTSTATUS write_file(FileObject& f, uint64_t user_buffer, ULONG length, ULONG_PTR& done) {
  done = 0;
  if (f.console_role != ConsoleRole::Output) return STATUS_INVALID_HANDLE;
  std::string bytes(length, '\0');
  if (!copy_from_user(bytes.data(), user_buffer, length)) return STATUS_ACCESS_VIOLATION;
  if (NTSTATUS st = write_bytes(f, bytes); !nt_success(st)) return st;
  done = length;
  return STATUS_SUCCESS;
}

void restore_terminal_settings() {
  restore_terminal();
}

}  // namespace ireactor::console
