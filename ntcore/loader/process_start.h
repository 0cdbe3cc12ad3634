// Starting the hosted Windows process in the calling Linux process: KUSER_SHARED_DATA and the
// gate page, ntdll and the executable mapped with their imports, PEB / process parameters / TEB
// built, GS pointed at the TEB, then the TLS callbacks and the entry point run on the Windows
// stack. Returns only when something fails before Windows code runs.
#pragma once

#include <string>
#include <vector>

#include "ireactor/entry.h"
#include "ireactor/windows_namespace.h"

namespace ireactor {

struct StartOptions {
  WindowsNamespace ns;           // drives (opened) and Windows build, already prepared
  std::string image_host_path;   // the .exe on the host
  std::u16string image_nt_path;  // the same file as Windows sees it, "\??\C:\dir\prog.exe"
  // The command line's arguments; argv[0] is the program as Windows code should see it (the
  // image's DOS path when argv is empty). Quoted Windows-style into one string.
  std::vector<std::string> argv;
  // The command line as it is, instead of one quoted from argv (a child's, given by its parent).
  std::u16string command_line;
  std::u16string current_directory = u"C:\\";  // DOS ("C:\dir") or NT ("\??\C:\dir") form
  std::vector<std::string> environment;        // "NAME=VALUE" each, UTF-8
  std::string ntdll_path;                      // host path of the build's ntdll.dll
  // Host directory of the system DLLs (kernel32.dll, ...), which Windows code sees as
  // C:\Windows\System32 when the loader finds a DLL there; empty: none.
  std::string system32_dir;
  entry::Mode mode = entry::Mode::Gate;
  // With Mode::Gate: also divert raw `syscall` instructions of Windows code to the dispatcher
  // (Syscall User Dispatch). Off, a raw syscall is a Linux system call (the namespace's kernel
  // layers confine it like any other) and every Linux system call the runtime makes skips the
  // kernel's dispatch check. Mode::Sud always diverts.
  bool divert_raw_syscalls = true;
  // With Mode::Gate: offer every NT call to the kernel first, through /dev/ntgate (kmod-min/).
  bool kernel_entry = false;
  // A child of another ireactor process (NtCreateUserProcess): it reads one byte from start_fd
  // before Windows code runs (the parent's NtResumeThread), and writes its 32-bit exit status
  // into status_fd when it ends. -1: none.
  int start_fd = -1;
  int status_fd = -1;
};

// Runs the program. The process ends through NtTerminateProcess with the entry point's return
// value (or whatever status the program terminates with), so this returns only on failure before
// Windows code ran: a nonzero exit status, after logging why.
int start_process(const StartOptions& options);

}  // namespace ireactor
