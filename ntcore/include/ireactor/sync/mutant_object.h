// NT mutant objects (Win32 mutexes): owned by one thread at a time, recursively.
#pragma once

#include <cstdint>

#include "ireactor/nt/status.h"
#include "ireactor/object.h"

namespace ireactor {

class MutantObject final : public Object {
 public:
  static constexpr ObjectType kType = ObjectType::Mutant;
  // With initial_owner, the calling thread owns it once.
  explicit MutantObject(bool initial_owner);
  ~MutantObject() override;

  // What NtQueryMutant reports. current_count is 1 when free and 1 - recursion when owned.
  struct State {
    int32_t current_count;
    bool owned_by_caller;
    bool abandoned;
    uint32_t owner_tid;  // 0 when free
  };
  State state() const;  // as seen by the calling thread (takes the wait lock)

  // Gives up one level of the caller's ownership; the last one makes the mutant free and wakes
  // waiters. STATUS_MUTANT_NOT_OWNED unless the calling thread owns it. previous_count is the
  // current count before the release.
  nt::NTSTATUS release(int32_t& previous_count);

  // Called with the wait lock held (dispatcher interface). A mutant is signaled for its owner
  // (recursive acquisition) and for everybody while free.
  bool waitable() const override { return true; }
  bool signaled() const override;
  void satisfy_wait() override;
  bool abandoned() const override { return abandoned_; }

 private:
  friend void abandon_mutants_of_thread(uint32_t tid);
  uint32_t owner_tid_ = 0;  // all three guarded by the wait lock
  uint32_t recursion_ = 0;
  bool abandoned_ = false;
};

// A thread ended: every mutant it owns becomes free and abandoned, so the next wait that takes
// it returns STATUS_ABANDONED_WAIT_0 + index. Call with the wait lock held, before waking
// waiters (ThreadObject::mark_exited does both).
void abandon_mutants_of_thread(uint32_t tid);

}  // namespace ireactor
