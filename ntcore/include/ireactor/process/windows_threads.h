// The Windows threads of the process: starting one on a new Linux thread (NtCreateThreadEx),
// ending the calling one (NtTerminateThread), and the set of live threads (the process ends
// when the last one does). Implemented with the loader (loader/windows_thread_start.cpp), which
// owns the TEB, stack and TLS builders and the way into Windows code.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "ireactor/nt/status.h"
#include "ireactor/process/thread_object.h"

namespace ireactor {

struct NewWindowsThread {
  uint64_t start = 0;  // the start routine, called as start(argument) on the new thread
  uint64_t argument = 0;
  uint64_t stack_reserve = 0;  // 0: the image's SizeOfStackReserve
  bool suspended = false;      // wait for NtResumeThread before running Windows code
  bool skip_thread_attach = false;
  bool hidden_from_debugger = false;
};

// Creates the thread: TEB, stack and TLS blocks, then a Linux thread that runs Windows code
// once `out` is complete (its tid and TEB set). STATUS_NO_MEMORY / STATUS_INSUFFICIENT_RESOURCES.
nt::NTSTATUS start_windows_thread(const NewWindowsThread& request,
                                  std::shared_ptr<ThreadObject>& out);

// Ends the calling Windows thread with `status`: its object is signaled, its TEB, stack and TLS
// are freed and the Linux thread ends; the last thread to end takes the process with it.
[[noreturn]] void exit_current_windows_thread(nt::NTSTATUS status);

// How many Windows threads are alive (the initial thread counts until it ends).
uint32_t live_windows_threads();

// Calls fn with the TEB address of every live Windows thread (under the registry's lock).
void for_each_windows_thread_teb(const std::function<void(uint64_t teb)>& fn);

}  // namespace ireactor
