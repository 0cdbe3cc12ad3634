#include "ireactor/sync/semaphore_object.h"

#include "ireactor/sync/wait_lock.h"

namespace ireactor {

int32_t SemaphoreObject::count() const {
  std::lock_guard lock(wait_lock());
  return count_;
}

nt::NTSTATUS SemaphoreObject::release(int32_t release, int32_t& previous_count) {
  return change_signal_state([&]() -> nt::NTSTATUS {
    // In this order so the sum cannot overflow.
    if (release > maximum_ - count_) return nt::STATUS_SEMAPHORE_LIMIT_EXCEEDED;
    previous_count = count_;
    count_ += release;
    return nt::STATUS_SUCCESS;
  });
}

}  // namespace ireactor
