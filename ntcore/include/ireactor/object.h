// Base of every object a handle can refer to (files, events, the process, threads...).
#pragma once

#include <cstdint>
#include <memory>

#include "ireactor/nt/types.h"

namespace ireactor {

enum class ObjectType : uint8_t { File, Event, Process, Thread, Mutant, Semaphore, Section, Key };

class Object {
 public:
  explicit Object(ObjectType type) : type_(type) {}
  virtual ~Object() = default;
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  ObjectType type() const { return type_; }

  // Dispatcher-object behaviour for NtWaitFor*Object(s) (sync/). All three are called with the
  // wait lock held (sync/wait_lock.h). Objects that cannot be waited on keep the defaults.
  virtual bool waitable() const { return false; }
  virtual bool signaled() const { return false; }
  // Consumes the signal for the waiter that was satisfied (auto-reset events, mutants...).
  virtual void satisfy_wait() {}
  // True when satisfying a wait now hands over an abandoned mutant: the wait then returns
  // STATUS_ABANDONED_WAIT_0 + index. Read just before satisfy_wait(), which clears it.
  virtual bool abandoned() const { return false; }

 private:
  ObjectType type_;
};

}  // namespace ireactor
