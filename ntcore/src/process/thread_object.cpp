#include "ireactor/process/thread_object.h"

#include <unistd.h>

#include "ireactor/process.h"
#include "ireactor/sync/mutant_object.h"
#include "ireactor/sync/wait_lock.h"
#include "process/process_start_time.h"

namespace ireactor {

namespace {

constexpr uint32_t kMaximumSuspendCount = 127;  // MAXIMUM_SUSPEND_COUNT

thread_local std::shared_ptr<ThreadObject> t_self;

}  // namespace

void ThreadObject::mark_exited(nt::NTSTATUS status) {
  change_signal_state([&] {
    if (exited_) return;
    exited_ = true;
    exit_status_ = status;
    abandon_mutants_of_thread(tid());  // woken waiters see them free (and abandoned)
  });
}

nt::NTSTATUS ThreadObject::exit_status() const {
  std::lock_guard lock(wait_lock());
  return exit_status_;
}

bool ThreadObject::exited() const {
  std::lock_guard lock(wait_lock());
  return exited_;
}

std::u16string ThreadObject::description() const {
  std::lock_guard lock(mutex_);
  return description_;
}

void ThreadObject::set_description(std::u16string name) {
  std::lock_guard lock(mutex_);
  description_ = std::move(name);
}

bool ThreadObject::suspend(uint32_t& previous) {
  std::lock_guard lock(mutex_);
  previous = suspend_count_;
  if (suspend_count_ >= kMaximumSuspendCount) return false;
  ++suspend_count_;
  return true;
}

uint32_t ThreadObject::resume() {
  std::function<void()> action;
  uint32_t previous;
  {
    std::lock_guard lock(mutex_);
    previous = suspend_count_;
    if (suspend_count_ > 0 && --suspend_count_ == 0) {
      resumed_.notify_all();
      action = std::move(start_action_);
      start_action_ = nullptr;
    }
  }
  if (action) action();
  return previous;
}

void ThreadObject::set_start_action(std::function<void()> action) {
  std::lock_guard lock(mutex_);
  start_action_ = std::move(action);
}

uint32_t ThreadObject::suspend_count() const {
  std::lock_guard lock(mutex_);
  return suspend_count_;
}

void ThreadObject::wait_while_suspended() {
  std::unique_lock lock(mutex_);
  resumed_.wait(lock, [&] { return suspend_count_ == 0; });
}

bool ThreadObject::wait_to_start(nt::NTSTATUS& terminated_with) {
  std::unique_lock lock(mutex_);
  resumed_.wait(lock, [&] { return suspend_count_ == 0 || terminated_before_start_; });
  if (terminated_before_start_) {
    terminated_with = start_termination_status_;
    return false;
  }
  started_ = true;
  return true;
}

bool ThreadObject::started() const {
  std::lock_guard lock(mutex_);
  return started_;
}

void ThreadObject::mark_started() {
  std::lock_guard lock(mutex_);
  started_ = true;
}

bool ThreadObject::terminate_unstarted(nt::NTSTATUS status) {
  std::lock_guard lock(mutex_);
  if (started_) return false;
  if (!terminated_before_start_) {
    terminated_before_start_ = true;
    start_termination_status_ = status;
  }
  resumed_.notify_all();
  return true;
}

std::shared_ptr<ThreadObject> current_thread_object() {
  if (!t_self) {
    // A thread the runtime did not start: the process's initial thread.
    t_self = std::make_shared<ThreadObject>(static_cast<uint32_t>(gettid()));
    t_self->teb = current_thread().teb;
    t_self->create_time = process_start_time();
    t_self->mark_started();
  }
  return t_self;
}

void set_current_thread_object(std::shared_ptr<ThreadObject> object) {
  t_self = std::move(object);
}

}  // namespace ireactor
