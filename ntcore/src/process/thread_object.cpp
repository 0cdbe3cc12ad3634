#include "ireactor/process/thread_object.h"

#include <unistd.h>

#include "ireactor/sync/wait_lock.h"

namespace ireactor {

void ThreadObject::mark_exited(nt::NTSTATUS status) {
  change_signal_state([&] {
    if (exited_) return;
    exited_ = true;
    exit_status_ = status;
  });
}

nt::NTSTATUS ThreadObject::exit_status() const {
  std::lock_guard lock(wait_lock());
  return exit_status_;
}

std::shared_ptr<ThreadObject> current_thread_object() {
  // Marking it exited when the thread ends belongs to thread support (a later issue).
  thread_local std::shared_ptr<ThreadObject> self;
  if (!self) self = std::make_shared<ThreadObject>(static_cast<uint32_t>(gettid()));
  return self;
}

}  // namespace ireactor
