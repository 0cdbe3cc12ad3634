#include "ireactor/sync/mutant_object.h"

#include <unistd.h>

#include <unordered_set>

#include "ireactor/sync/wait_lock.h"

namespace ireactor {

namespace {

uint32_t caller_tid() {
  return static_cast<uint32_t>(gettid());
}

// Every live mutant, so a thread's end can find those it owns. Guarded by the wait lock; never
// destroyed, as threads may still end while the process exits.
std::unordered_set<MutantObject*>& live_mutants() {
  static auto* s = new std::unordered_set<MutantObject*>;
  return *s;
}

}  // namespace

MutantObject::MutantObject(bool initial_owner) : Object(ObjectType::Mutant) {
  std::lock_guard lock(wait_lock());
  if (initial_owner) {
    owner_tid_ = caller_tid();
    recursion_ = 1;
  }
  live_mutants().insert(this);
}

MutantObject::~MutantObject() {
  std::lock_guard lock(wait_lock());
  live_mutants().erase(this);
}

MutantObject::State MutantObject::state() const {
  std::lock_guard lock(wait_lock());
  return State{1 - static_cast<int32_t>(recursion_), owner_tid_ != 0 && owner_tid_ == caller_tid(),
               abandoned_, owner_tid_};
}

nt::NTSTATUS MutantObject::release(int32_t& previous_count) {
  return change_signal_state([&]() -> nt::NTSTATUS {
    if (owner_tid_ == 0 || owner_tid_ != caller_tid()) return nt::STATUS_MUTANT_NOT_OWNED;
    previous_count = 1 - static_cast<int32_t>(recursion_);
    if (--recursion_ == 0) owner_tid_ = 0;
    return nt::STATUS_SUCCESS;
  });
}

bool MutantObject::signaled() const {
  return owner_tid_ == 0 || owner_tid_ == caller_tid();
}

void MutantObject::satisfy_wait() {
  owner_tid_ = caller_tid();
  ++recursion_;
  abandoned_ = false;  // the waiter that took it over has been told
}

void abandon_mutants_of_thread(uint32_t tid) {
  if (tid == 0) return;
  for (MutantObject* m : live_mutants()) {
    if (m->owner_tid_ != tid) continue;
    m->owner_tid_ = 0;
    m->recursion_ = 0;
    m->abandoned_ = true;
  }
}

}  // namespace ireactor
