// NT number → service. One dense array per Windows build, indexed by the number, built once when
// the build is selected; the hot path is a bounds check, a load and an indirect call.
#include "ireactor/dispatcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>

#include "dispatch/dispatch_table.h"
#include "dispatch/syscall_table.h"
#include "ireactor/nt/status.h"
#include "ireactor/nt_trace.h"

// USDT probes ireactor:nt_enter / nt_exit (arguments in nt_trace.h) with semaphores: a tracer
// attaching raises the counter, so while none is attached a call costs one load and one
// never-taken branch, and the probes' argument setup is off the hot path. IREACTOR_NT_PROBES=0
// (cmake -DIREACTOR_NT_PROBES=OFF) builds them out, for measuring what the detached probes cost.
#include "dispatch/nt_probes.h"
#if IREACTOR_NT_PROBES
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>
// The probe site as a 5-byte nop (0f 1f 44 00 00) instead of sdt.h's 1-byte one: Linux 6.18
// rewrites a uprobe on a 5-byte nop into a call to its uprobe trampoline after the first hit,
// so an attached probe costs a system call instead of a breakpoint trap.
#undef _SDT_NOP
// clang-format off
#define _SDT_NOP %{disp8%} nopl 0(%%rax, %%rax, 1)
// clang-format on

extern "C" {
[[gnu::used, gnu::section(".probes")]] volatile unsigned short ireactor_nt_enter_semaphore;
[[gnu::used, gnu::section(".probes")]] volatile unsigned short ireactor_nt_exit_semaphore;
}
#endif

namespace ireactor {
namespace {

struct DispatchTable {
  const SyscallBuild* build = nullptr;
  uint32_t size = 0;                            // one past the highest number of the build
  std::unique_ptr<ServiceThunk[]> thunks;       // nullptr: not in the build / not implemented
  std::unique_ptr<std::string_view[]> names;    // empty: the build has no such number
  std::unique_ptr<uint16_t[]> service_ids;      // nt_trace.h's ids; kNoServiceId: no such number
  std::unique_ptr<uint8_t[]> arities;           // implemented services' argument counts
  std::unique_ptr<std::atomic<bool>[]> warned;  // "not implemented" already logged
};

// Before any selection every number misses this empty table and takes the slow path, which
// selects the default build; so the hot path needs no "selected yet?" test.
constinit const DispatchTable kUnselected{};
constinit std::atomic<const DispatchTable*> g_table{&kUnselected};

std::mutex g_select_mutex;

uint32_t g_namespace_id = 0;
KernelEntry g_kernel_entry = nullptr;

// Tables live until exit and are never freed: a thread may still be dispatching through the
// previous table while another selects a build.
std::map<std::string_view, const DispatchTable*>& built_tables() {
  static auto* tables = new std::map<std::string_view, const DispatchTable*>;
  return *tables;
}

const DispatchTable* build_table(const SyscallBuild& build) {
  auto* t = new DispatchTable;
  t->build = &build;
  t->size = build.limit();
  t->thunks = std::make_unique<ServiceThunk[]>(t->size);
  t->names = std::make_unique<std::string_view[]>(t->size);
  t->warned = std::make_unique<std::atomic<bool>[]>(t->size);
  t->service_ids = std::make_unique<uint16_t[]>(t->size);
  t->arities = std::make_unique<uint8_t[]>(t->size);
  std::fill_n(t->service_ids.get(), t->size, kNoServiceId);
  for (const SyscallName& s : build.by_number) {
    t->names[s.number] = s.name;
    t->service_ids[s.number] = service_id(s.name).value_or(kNoServiceId);
  }
  for (const ServiceEntry& e : implemented_services()) {
    if (auto number = build.number_of(e.name)) {
      t->thunks[*number] = e.thunk;
      t->arities[*number] = static_cast<uint8_t>(e.arity);
    } else {
      spdlog::debug("{} is implemented but Windows {} has no such service", e.name, build.build);
    }
  }
  return t;
}

const DispatchTable* current_table() {
  const DispatchTable* t = g_table.load(std::memory_order_acquire);
  if (t == &kUnselected) {
    select_windows_build(kDefaultWindowsBuild);
    t = g_table.load(std::memory_order_acquire);
  }
  return t;
}

nt::NTSTATUS dispatch(uint32_t number, const SyscallFrame* frame);

// Everything the hot path does not serve: no build selected yet, a number the build lacks, a
// service ntcore does not implement, the private services (above every build's numbers).
[[gnu::noinline, gnu::cold]] nt::NTSTATUS dispatch_unserved(const DispatchTable* t, uint32_t number,
                                                            const SyscallFrame* frame) {
  if (number >= kPrivateServiceBase && number < kPrivateServiceLimit) {
    for (const PrivateServiceEntry& e : private_services())
      if (e.number == number) return e.service.thunk(*frame);
    return nt::STATUS_INVALID_SYSTEM_SERVICE;
  }
  if (t == &kUnselected) {
    if (current_table() == &kUnselected) return nt::STATUS_INVALID_SYSTEM_SERVICE;
    return dispatch(number, frame);  // not ir_dispatch: the probes would fire twice
  }
  if (number >= t->size || t->names[number].empty()) return nt::STATUS_INVALID_SYSTEM_SERVICE;
  if (!t->warned[number].exchange(true, std::memory_order_relaxed))
    spdlog::warn("{} (NT service {:#x}, Windows {}) is not implemented", t->names[number], number,
                 t->build->build);
  return nt::STATUS_NOT_IMPLEMENTED;
}

inline nt::NTSTATUS dispatch(uint32_t number, const SyscallFrame* frame) {
  const DispatchTable* t = g_table.load(std::memory_order_acquire);
  if (number < t->size) [[likely]] {
    if (ServiceThunk thunk = t->thunks[number]) [[likely]] {
      if (KernelEntry kernel = g_kernel_entry) [[unlikely]] {
        if (int64_t r = kernel(number, t->arities[number], *frame); r != kServeInUserspace)
          return static_cast<nt::NTSTATUS>(r);
      }
      return thunk(*frame);
    }
  }
  return dispatch_unserved(t, number, frame);
}

#if IREACTOR_NT_PROBES
[[gnu::noinline, gnu::cold]] nt::NTSTATUS dispatch_traced(uint32_t number,
                                                          const SyscallFrame* frame) {
  const uint32_t ns = g_namespace_id;
  const DispatchTable* t = current_table();
  const uint16_t service = number < t->size ? t->service_ids[number] : kNoServiceId;
  STAP_PROBE4(ireactor, nt_enter, service, number, ns, frame);
  const nt::NTSTATUS status = dispatch(number, frame);
  STAP_PROBE5(ireactor, nt_exit, service, number, ns, frame, static_cast<uint32_t>(status));
  return status;
}
#endif

}  // namespace

extern "C" nt::NTSTATUS ir_dispatch(uint32_t number, const SyscallFrame* frame) {
#if IREACTOR_NT_PROBES
  if (nt_probes_attached()) [[unlikely]]
    return dispatch_traced(number, frame);
#endif
  return dispatch(number, frame);
}

void set_kernel_entry(KernelEntry entry) {
  g_kernel_entry = entry;
}

void set_namespace_id(uint32_t id) {
  g_namespace_id = id;
}

uint32_t namespace_id() {
  return g_namespace_id;
}

bool select_windows_build(std::string_view build) {
  const SyscallBuild* b = find_syscall_build(build);
  if (!b) return false;
  std::lock_guard lock(g_select_mutex);
  const DispatchTable*& t = built_tables()[b->build];
  if (!t) t = build_table(*b);
  g_table.store(t, std::memory_order_release);
  return true;
}

std::string_view service_name(uint32_t number) {
  const DispatchTable* t = current_table();
  return number < t->size ? t->names[number] : std::string_view{};
}

std::optional<uint32_t> selected_service_number(std::string_view name) {
  return current_table()->build->number_of(name);
}

std::string_view selected_windows_build() {
  return current_table()->build->build;
}

}  // namespace ireactor
