// A process as an object: what NtCurrentProcess() refers to, or a child the process started
// (NtCreateUserProcess); signaled once it terminates.
#pragma once

#include <atomic>

#include "ireactor/object.h"

namespace ireactor {

class ProcessObject final : public Object {
 public:
  static constexpr ObjectType kType = ObjectType::Process;
  ProcessObject() : Object(ObjectType::Process) {}

  bool waitable() const override { return true; }
  bool signaled() const override { return exited_; }

  // Records the exit status, makes the object signaled and wakes its waiters (takes the wait
  // lock). The first call wins; later ones change nothing.
  void mark_exited(nt::NTSTATUS status);
  // STATUS_PENDING while running, else the exit status (takes the wait lock).
  nt::NTSTATUS exit_status() const;

  // For a child: its process id (the Linux pid), fixed before a handle to it exists. 0 for the
  // process ntcore hosts.
  uint32_t child_pid = 0;
  bool is_child() const { return child_pid != 0; }
  // For a child: the status NtTerminateProcess ended it with (it cannot report one itself).
  std::atomic<nt::NTSTATUS> terminate_status{0x103};

  // Guarded by the wait lock (sync/wait_lock.h).
  bool exited_ = false;
  nt::NTSTATUS exit_status_ = 0x103;  // STATUS_PENDING while running, as Windows reports it
};

}  // namespace ireactor
