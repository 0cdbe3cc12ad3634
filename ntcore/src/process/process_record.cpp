// The process record (created once at process start) and the per-thread state.
#include <unistd.h>

#include <atomic>
#include <mutex>

#include "ireactor/process.h"
#include "ireactor/process/process_object.h"
#include "ireactor/process/thread_object.h"
#include "ireactor/system/nt_time.h"
#include "process/process_start_time.h"

namespace ireactor {

namespace {

std::atomic<Process*> g_process{nullptr};
std::once_flag g_create_once;
int64_t g_start_time = 0;  // FILETIME; written once, before g_process is published

// The handle table's resolver for NtCurrentThread().
std::shared_ptr<Object> resolve_current_thread() {
  return current_thread_object();
}

}  // namespace

Process& create_process() {
  std::call_once(g_create_once, [] {
    // Never destroyed: threads may use it while the process exits.
    auto* p = new Process;
    p->pid = static_cast<uint32_t>(getpid());
    p->object = std::make_shared<ProcessObject>();
    p->handles.set_current_process(p->object);
    p->handles.set_current_thread_resolver(&resolve_current_thread);
    g_start_time = current_system_time();
    g_process.store(p, std::memory_order_release);
  });
  return *g_process.load(std::memory_order_acquire);
}

Process& current_process() {
  Process* p = g_process.load(std::memory_order_acquire);
  // Process start creates the record before any service runs; creating it here too keeps
  // early callers (and unit tests) from dereferencing null.
  if (!p) [[unlikely]]
    return create_process();
  return *p;
}

ThreadState& current_thread() {
  thread_local ThreadState state;
  return state;
}

int64_t process_start_time() {
  create_process();
  return g_start_time;
}

}  // namespace ireactor
