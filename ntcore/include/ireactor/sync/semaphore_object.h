// NT semaphore objects: a count between 0 and a maximum; each satisfied wait takes one.
#pragma once

#include <cstdint>

#include "ireactor/nt/status.h"
#include "ireactor/object.h"

namespace ireactor {

class SemaphoreObject final : public Object {
 public:
  static constexpr ObjectType kType = ObjectType::Semaphore;
  // The caller has checked 0 <= initial <= maximum and maximum > 0.
  SemaphoreObject(int32_t initial, int32_t maximum)
      : Object(ObjectType::Semaphore), count_(initial), maximum_(maximum) {}

  int32_t maximum() const { return maximum_; }
  int32_t count() const;  // takes the wait lock

  // Adds `release` (> 0) to the count and wakes waiters; STATUS_SEMAPHORE_LIMIT_EXCEEDED (count
  // unchanged) when that would pass the maximum. previous_count is the count before.
  nt::NTSTATUS release(int32_t release, int32_t& previous_count);

  bool waitable() const override { return true; }
  bool signaled() const override { return count_ > 0; }
  void satisfy_wait() override { --count_; }

 private:
  int32_t count_;  // guarded by the wait lock
  const int32_t maximum_;
};

}  // namespace ireactor
