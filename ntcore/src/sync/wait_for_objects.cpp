#include "ireactor/sync/wait.h"
#include "ireactor/sync/wait_lock.h"

namespace ireactor {

namespace {

// Called with the wait lock held. STATUS_PENDING when the wait is not satisfied yet.
nt::NTSTATUS try_satisfy(std::span<Object* const> objects, bool wait_all) {
  if (wait_all) {
    for (Object* o : objects)
      if (!o->signaled()) return nt::STATUS_PENDING;
    // All at once, under the same lock hold: no other waiter sees a partial consumption. Any
    // abandoned mutant among them makes the whole wait STATUS_ABANDONED_WAIT_0.
    bool abandoned = false;
    for (Object* o : objects) {
      abandoned |= o->abandoned();
      o->satisfy_wait();
    }
    return abandoned ? nt::STATUS_ABANDONED_WAIT_0 : nt::STATUS_WAIT_0;
  }
  for (size_t i = 0; i < objects.size(); ++i) {
    if (objects[i]->signaled()) {
      const bool abandoned = objects[i]->abandoned();
      objects[i]->satisfy_wait();
      return (abandoned ? nt::STATUS_ABANDONED_WAIT_0 : nt::STATUS_WAIT_0) +
             static_cast<nt::NTSTATUS>(i);
    }
  }
  return nt::STATUS_PENDING;
}

}  // namespace

nt::NTSTATUS wait_for_objects(std::span<Object* const> objects, bool wait_all,
                              const WaitDeadline& deadline) {
  std::unique_lock lock(wait_lock());
  std::condition_variable& cv = wait_condition();
  for (;;) {
    if (nt::NTSTATUS s = try_satisfy(objects, wait_all); s != nt::STATUS_PENDING) return s;
    if (deadline.expired()) return nt::STATUS_TIMEOUT;
    // Every signal notifies all waiters; spurious and foreign wake-ups just loop.
    switch (deadline.kind) {
      case WaitDeadline::Kind::Infinite:
        cv.wait(lock);
        break;
      case WaitDeadline::Kind::Relative:
        cv.wait_until(lock, deadline.steady);
        break;
      case WaitDeadline::Kind::Absolute:
        cv.wait_until(lock, deadline.system);
        break;
      case WaitDeadline::Kind::Poll:
        return nt::STATUS_TIMEOUT;
    }
  }
}

}  // namespace ireactor
