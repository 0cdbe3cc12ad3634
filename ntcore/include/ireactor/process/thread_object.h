// A thread as an object: what NtCurrentThread() refers to; signaled once the thread terminates.
#pragma once

#include <memory>

#include "ireactor/object.h"

namespace ireactor {

class ThreadObject final : public Object {
 public:
  static constexpr ObjectType kType = ObjectType::Thread;
  explicit ThreadObject(uint32_t tid) : Object(ObjectType::Thread), tid_(tid) {}

  bool waitable() const override { return true; }
  bool signaled() const override { return exited_; }

  // As ProcessObject::mark_exited: first call wins, waiters are woken.
  void mark_exited(nt::NTSTATUS status);
  nt::NTSTATUS exit_status() const;
  uint32_t tid() const { return tid_; }

 private:
  uint32_t tid_;
  // Guarded by the wait lock.
  bool exited_ = false;
  nt::NTSTATUS exit_status_ = 0x103;  // STATUS_PENDING
};

// The calling thread's object, created on first use (the resolver behind NtCurrentThread()).
std::shared_ptr<ThreadObject> current_thread_object();

}  // namespace ireactor
