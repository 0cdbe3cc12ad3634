#include "ireactor/process/process_object.h"

#include "ireactor/sync/wait_lock.h"

namespace ireactor {

void ProcessObject::mark_exited(nt::NTSTATUS status) {
  change_signal_state([&] {
    if (exited_) return;
    exited_ = true;
    exit_status_ = status;
  });
}

nt::NTSTATUS ProcessObject::exit_status() const {
  std::lock_guard lock(wait_lock());
  return exit_status_;
}

}  // namespace ireactor
