// The NT process this runtime hosts (one per Linux process) and the per-thread state the
// executive keeps for each Windows thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "ireactor/address_space.h"
#include "ireactor/handle_table.h"
#include "ireactor/object.h"
#include "ireactor/windows_namespace.h"

namespace ireactor {

class ProcessObject;  // process/process_object.h: the object NtCurrentProcess() refers to

struct Process {
  WindowsNamespace ns;
  HandleTable handles;
  AddressSpace address_space;

  std::u16string image_path;    // NT path of the main image, "\??\C:\...\prog.exe"
  std::u16string command_line;  // as put in ProcessParameters
  uint64_t image_base = 0;      // Windows address of the main image
  uint64_t peb = 0;             // Windows address of the PEB
  uint32_t pid = 0;             // Linux tgid, reported as the Windows process id

  std::shared_ptr<ProcessObject> object;  // set by process start
  std::atomic<bool> terminating{false};
  int exit_status_fd = -1;  // a child's: its parent reads the exit status from it
};

// The process the executive serves. Valid after process start created it.
Process& current_process();
// Creates the process record (once, at process start).
Process& create_process();

struct ThreadState {
  uint64_t teb = 0;  // Windows address of this thread's TEB (also the GS base)
  uint64_t stack_base = 0;
  uint64_t stack_limit = 0;
  uint32_t tid = 0;
};

// The calling thread's state; zero-initialised on threads that never ran Windows code.
ThreadState& current_thread();

}  // namespace ireactor
