// The SIGSYS handler of Syscall User Dispatch: a `syscall` in Windows code lands here.
#pragma once

#include <csignal>

namespace ireactor::entry {

// SA_SIGINFO handler. si_code SYS_USER_DISPATCH: serves the NT call and returns into Windows code
// with the NTSTATUS in rax. Any other SIGSYS is reported on stderr and kills the process.
void on_sigsys(int sig, siginfo_t* info, void* context);

}  // namespace ireactor::entry
