// Ending the process the way NtTerminateProcess(NtCurrentProcess(), status) does, for any part of
// the runtime that must end it (an unhandled exception, a fatal loader error...).
#pragma once

#include "ireactor/nt/types.h"

namespace ireactor {

// Marks the process object exited with `status` (waking its waiters), then exit_group(status):
// the parent sees status & 0xff. Nothing of ntcore's needs flushing: Windows output went straight
// to file descriptors.
[[noreturn]] void terminate_current_process(nt::NTSTATUS status);

}  // namespace ireactor
