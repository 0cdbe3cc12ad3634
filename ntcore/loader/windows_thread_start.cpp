// Windows threads after the first: each is a pthread (so the runtime's own thread_locals and
// glibc work in it) that builds the per-thread state the initial thread gets in process_start
// (GS at its TEB, the fault handler's and Syscall User Dispatch's signal stacks, SUD armed),
// waits while created suspended, then enters Windows code on its Windows stack at ntdll's
// RtlUserThreadStart(start, argument), which delivers DLL_THREAD_ATTACH and calls the start
// routine. The thread ends through NtTerminateThread of itself (RtlExitUserThread), which jumps
// back here, off the Windows stack and out of any signal handler, to free what it used.
#include <asm/prctl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <vector>

#include "ireactor/entry.h"
#include "ireactor/process.h"
#include "ireactor/process/terminate.h"
#include "ireactor/process/windows_threads.h"
#include "ireactor/system/nt_time.h"
#include "ireactor/user_memory.h"
#include "ireactor/win/teb.h"
#include "module_init.h"
#include "module_list.h"
#include "thread_environment.h"

namespace ireactor {

using namespace loader;

namespace {

constexpr uint16_t kTebSkipThreadAttach = 1u << 3;  // TEB.SameTebFlags.SkipThreadAttach
constexpr uint64_t kMaxStack = 256ull << 20;
constexpr size_t kLinuxStackSize = 1 << 20;  // runtime code on the Linux side only

// The live Windows threads. The initial thread is counted from the start and registered (for
// ThreadZeroTlsCell) when the first thread is created, which only it can do.
struct Registry {
  std::mutex mutex;
  uint32_t live = 1;
  std::vector<std::shared_ptr<ThreadObject>> threads;
};

Registry& registry() {
  static auto* r = new Registry;  // never destroyed: threads end while the process exits
  return *r;
}

void register_thread(const std::shared_ptr<ThreadObject>& t, bool count) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  if (std::find(r.threads.begin(), r.threads.end(), t) != r.threads.end()) return;
  r.threads.push_back(t);
  if (count) ++r.live;
}

// Drops the thread's TEB from what for_each_windows_thread_teb visits (before it is freed).
void forget_teb(const std::shared_ptr<ThreadObject>& t) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  std::erase(r.threads, t);
}

// Forgets the thread; true when it was the last one alive.
bool unregister_thread(const std::shared_ptr<ThreadObject>& t) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  std::erase(r.threads, t);
  return --r.live == 0;
}

struct Launch {
  std::shared_ptr<ThreadObject> object;
  WindowsThread windows;
  uint64_t thunk = 0;  // ntdll's RtlUserThreadStart; 0 calls the start routine directly
  uint64_t start = 0, argument = 0;
  bool sud = false;
  std::mutex mutex;
  std::condition_variable cv;
  bool ready = false;
};

thread_local sigjmp_buf* t_exit_jump = nullptr;
thread_local nt::NTSTATUS t_exit_status = 0;

uint64_t thread_start_thunk() {
  LoadedModule* ntdll = loaded_modules().find("ntdll.dll");
  ExportTarget target;
  if (ntdll && ntdll->exports.find_name("RtlUserThreadStart", 0, target) &&
      target.forwarder.empty())
    return target.address;
  return 0;
}

uint64_t stack_size_for(uint64_t reserve) {
  if (reserve == 0) {
    LoadedModule* exe = loaded_modules().main_module();
    reserve = exe ? exe->stack_reserve : 0;
  }
  // Runtime code (the dispatcher behind the fast gate) runs on this stack too: never less than
  // the default.
  return std::clamp<uint64_t>(reserve, kDefaultStackSize, kMaxStack);
}

// Marks the calling thread ended. The last thread ends the process with its status, as Windows
// does; otherwise waiters on the thread are woken.
void retire(const std::shared_ptr<ThreadObject>& self, nt::NTSTATUS status) {
  self->exit_time = current_system_time();
  self->mark_exited(status);
  if (unregister_thread(self)) terminate_current_process(status);
}

nt::NTSTATUS run_windows_code(Launch& l) {
  // A thread created suspended waits here, before any Windows code (DLL_THREAD_ATTACH included).
  if (nt::NTSTATUS terminated = 0; !l.object->wait_to_start(terminated)) return terminated;
  install_user_fault_handler();  // this thread's signal stack
  if (l.sud) {
    try {
      entry::enable_syscall_user_dispatch();
    } catch (const std::exception& e) {
      // Windows code must not run with raw syscalls going straight to Linux.
      spdlog::error("a new Windows thread cannot start: {}", e.what());
      return nt::STATUS_UNSUCCESSFUL;
    }
  }
  sigset_t none;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, nullptr);
  if (l.thunk) {
    call_windows(l.windows.stack_base, l.thunk, l.start, l.argument);
    return nt::STATUS_SUCCESS;  // RtlUserThreadStart does not return
  }
  return static_cast<nt::NTSTATUS>(call_windows(l.windows.stack_base, l.start, l.argument));
}

void* thread_main(void* arg) {
  // The creator's reference, taken over.
  std::shared_ptr<Launch> l(std::move(*static_cast<std::shared_ptr<Launch>*>(arg)));
  delete static_cast<std::shared_ptr<Launch>*>(arg);

  const auto tid = static_cast<uint32_t>(gettid());
  auto& teb = *reinterpret_cast<win::TEB*>(l->windows.teb);
  teb.ClientId.UniqueThread = tid;
  teb.RealClientId = teb.ClientId;
  l->windows.tid = tid;
  l->object->set_tid(tid);
  syscall(SYS_arch_prctl, ARCH_SET_GS, l->windows.teb);
  ThreadState& ts = current_thread();
  ts.teb = l->windows.teb;
  ts.stack_base = l->windows.stack_base;
  ts.stack_limit = l->windows.stack_limit;
  ts.tid = tid;
  set_current_thread_object(l->object);
  {
    std::lock_guard lock(l->mutex);
    l->ready = true;
    l->cv.notify_all();
  }

  sigjmp_buf exit_jump;
  nt::NTSTATUS status;
  if (sigsetjmp(exit_jump, 1) == 0) {
    t_exit_jump = &exit_jump;
    status = run_windows_code(*l);
  } else {
    status = t_exit_status;  // NtTerminateThread of itself
  }
  t_exit_jump = nullptr;

  // The object keeps reporting the TEB's address (ThreadBasicInformation), as Windows does.
  std::shared_ptr<ThreadObject> self = l->object;
  forget_teb(self);
  syscall(SYS_arch_prctl, ARCH_SET_GS, 0);
  free_windows_thread(l->windows);
  set_current_thread_object(nullptr);
  retire(self, status);
  return nullptr;
}

}  // namespace

nt::NTSTATUS start_windows_thread(const NewWindowsThread& request,
                                  std::shared_ptr<ThreadObject>& out) {
  Process& process = current_process();
  auto l = std::make_shared<Launch>();
  const LoadStatus built =
      create_windows_thread(ThreadInput{.peb = process.peb,
                                        .pid = process.pid,
                                        .tid = 0,  // the new thread writes its own
                                        .stack_size = stack_size_for(request.stack_reserve),
                                        .modules = &loaded_modules()},
                            l->windows);
  if (!built.ok()) return built.status;
  if (request.skip_thread_attach)
    reinterpret_cast<win::TEB*>(l->windows.teb)->SameTebFlags |= kTebSkipThreadAttach;

  l->object = std::make_shared<ThreadObject>(0);
  l->object->teb = l->windows.teb;
  l->object->start_address = request.start;
  l->object->create_time = current_system_time();
  l->object->hidden_from_debugger = request.hidden_from_debugger;
  if (request.suspended) {
    uint32_t previous = 0;
    l->object->suspend(previous);
  }
  l->thunk = thread_start_thunk();
  l->start = request.start;
  l->argument = request.argument;
  l->sud = entry::syscall_user_dispatch_enabled();

  register_thread(current_thread_object(), false);  // the creator: the initial thread, first
  register_thread(l->object, true);

  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, kLinuxStackSize);
  // Every signal blocked until the thread has its signal stacks (the caller may be inside the
  // SIGSYS handler, with SIGSYS blocked: the thread sets its own mask before Windows code).
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  auto* arg = new std::shared_ptr<Launch>(l);
  pthread_t thread;
  const int err = pthread_create(&thread, &attr, thread_main, arg);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  pthread_attr_destroy(&attr);
  if (err != 0) {
    delete arg;
    unregister_thread(l->object);
    free_windows_thread(l->windows);
    spdlog::warn("cannot start a Windows thread: pthread_create: {}", err);
    return err == EAGAIN ? nt::STATUS_INSUFFICIENT_RESOURCES : nt::STATUS_NO_MEMORY;
  }
  // Its tid and TEB must be final before anyone can see the handle.
  std::unique_lock lock(l->mutex);
  l->cv.wait(lock, [&] { return l->ready; });
  out = l->object;
  return nt::STATUS_SUCCESS;
}

void exit_current_windows_thread(nt::NTSTATUS status) {
  if (t_exit_jump) {
    t_exit_status = status;
    siglongjmp(*t_exit_jump, 1);
  }
  // The initial thread (not started here): only this Linux thread ends; its TEB and stack stay,
  // and the process lives on with its other threads.
  retire(current_thread_object(), status);
  syscall(SYS_exit, 0);
  __builtin_unreachable();
}

uint32_t live_windows_threads() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  return r.live;
}

void for_each_windows_thread_teb(const std::function<void(uint64_t teb)>& fn) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  for (const auto& t : r.threads)
    if (uint64_t teb = t->teb.load()) fn(teb);
  // Before any thread was created the registry is empty: the caller is the only thread.
  if (r.threads.empty() && current_thread().teb) fn(current_thread().teb);
}

}  // namespace ireactor
