// NT event objects (notification and synchronization events).
#pragma once

#include "ireactor/object.h"

namespace ireactor {

inline constexpr uint32_t NotificationEvent = 0;     // stays signaled until reset
inline constexpr uint32_t SynchronizationEvent = 1;  // auto-resets when it releases one waiter

class EventObject final : public Object {
 public:
  static constexpr ObjectType kType = ObjectType::Event;
  EventObject(uint32_t event_type, bool initial_state);

  // Both return the previous state and wake waiters as needed (they take the wait lock).
  bool set();
  bool reset();

  bool waitable() const override { return true; }
  bool signaled() const override { return state_; }
  void satisfy_wait() override;

 private:
  uint32_t event_type_;
  bool state_;
};

}  // namespace ireactor
