#include "ireactor/sync/event_object.h"

#include "ireactor/sync/wait_lock.h"

namespace ireactor {

EventObject::EventObject(uint32_t event_type, bool initial_state)
    : Object(ObjectType::Event), event_type_(event_type), state_(initial_state) {}

bool EventObject::set() {
  return change_signal_state([this] {
    bool previous = state_;
    state_ = true;
    return previous;
  });
}

bool EventObject::reset() {
  // Becoming non-signaled satisfies no wait, so nobody needs waking.
  std::lock_guard lock(wait_lock());
  bool previous = state_;
  state_ = false;
  return previous;
}

void EventObject::satisfy_wait() {
  // A synchronization event releases exactly one waiter, then resets itself.
  if (event_type_ == SynchronizationEvent) state_ = false;
}

}  // namespace ireactor
