// A thread as an object: what NtCurrentThread() and the handles NtCreateThreadEx returns refer
// to; signaled once the thread terminates. Besides the exit status it keeps what
// NtQueryInformationThread reports and NtSetInformationThread / NtSuspendThread change.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

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
  bool exited() const;

  // The Linux tid, which is also the Windows thread id (TEB.ClientId.UniqueThread). Set once,
  // before any handle to the object exists.
  uint32_t tid() const { return tid_.load(std::memory_order_acquire); }
  void set_tid(uint32_t tid) { tid_.store(tid, std::memory_order_release); }

  // Fixed once the thread is set up (before its handle is published).
  std::atomic<uint64_t> teb{0};            // its TEB (still reported once freed, as Windows)
  std::atomic<uint64_t> start_address{0};  // the start routine (Win32StartAddress)
  std::atomic<int64_t> create_time{0};     // FILETIME
  std::atomic<int64_t> exit_time{0};       // FILETIME, 0 while it runs

  // What NtSetInformationThread records.
  std::atomic<bool> hidden_from_debugger{false};
  std::atomic<int32_t> base_priority{0};  // relative to the process's base priority
  std::u16string description() const;
  void set_description(std::u16string name);

  // Suspension. Only a thread that has not run Windows code yet (created suspended) or the
  // calling thread itself can be suspended: the thread blocks in wait_while_suspended().
  // suspend fails (false) at MAXIMUM_SUSPEND_COUNT; both give the previous count.
  bool suspend(uint32_t& previous);
  uint32_t resume();
  // What the first resume to a count of 0 does besides waking the thread: the initial thread of
  // a child process is another process, which this starts (NtCreateUserProcess).
  void set_start_action(std::function<void()> action);
  uint32_t suspend_count() const;
  void wait_while_suspended();
  // For a thread about to run Windows code: waits while it is suspended, then either marks it
  // started (true) or, when it was terminated before it ever ran, gives that status (false).
  bool wait_to_start(nt::NTSTATUS& terminated_with);
  // Whether the thread has run Windows code (the initial thread always has).
  bool started() const;
  void mark_started();
  // Terminates a thread that never ran (it ends as soon as it resumes from wait_to_start,
  // which this releases). False once it started.
  bool terminate_unstarted(nt::NTSTATUS status);

 private:
  std::atomic<uint32_t> tid_;
  // Guarded by the wait lock.
  bool exited_ = false;
  nt::NTSTATUS exit_status_ = 0x103;  // STATUS_PENDING

  mutable std::mutex mutex_;  // what follows
  std::condition_variable resumed_;
  std::u16string description_;
  uint32_t suspend_count_ = 0;
  std::function<void()> start_action_;
  bool started_ = false;
  bool terminated_before_start_ = false;
  nt::NTSTATUS start_termination_status_ = 0;
};

// The calling thread's object, created on first use (the resolver behind NtCurrentThread()).
std::shared_ptr<ThreadObject> current_thread_object();
// Makes `object` the calling thread's (a thread NtCreateThreadEx started, before it runs).
void set_current_thread_object(std::shared_ptr<ThreadObject> object);

}  // namespace ireactor
