#include "thread_environment.h"

#include <sys/mman.h>

#include "ireactor/process.h"
#include "ireactor/win/teb.h"
#include "windows_memory.h"

namespace ireactor::loader {

using namespace win;

namespace {

constexpr uint64_t kTebSize = 0x2000;  // sizeof(TEB) 0x1838, in whole pages
constexpr uint64_t kGuardSize = kPageSize;

LoadStatus create_stack(uint64_t size, WindowsThread& t) {
  size = page_round_up(size);
  const uint64_t total = size + kGuardSize;
  const uint64_t base = map_aligned(total, PROT_READ | PROT_WRITE);
  if (!base) return LoadStatus::failure(nt::STATUS_NO_MEMORY, "no memory for a thread stack");
  mprotect(reinterpret_cast<void*>(base), kGuardSize, PROT_NONE);
  AddressSpace& as = current_process().address_space;
  // Like a Windows stack: one allocation, reserved at the bottom and committed above.
  as.add(Region{.base = base,
                .size = kGuardSize,
                .allocation_base = base,
                .allocation_protect = PAGE_READWRITE,
                .state = MEM_RESERVE,
                .protect = 0,
                .type = MEM_PRIVATE});
  as.add(Region{.base = base + kGuardSize,
                .size = size,
                .allocation_base = base,
                .allocation_protect = PAGE_READWRITE,
                .state = MEM_COMMIT,
                .protect = PAGE_READWRITE,
                .type = MEM_PRIVATE});
  t.stack_allocation = base;
  t.stack_allocation_size = total;
  t.stack_limit = base + kGuardSize;
  t.stack_base = base + total;
  return LoadStatus::success();
}

}  // namespace

LoadStatus create_windows_thread(const ThreadInput& in, WindowsThread& out) {
  WindowsThread t;
  t.tid = in.tid;
  if (in.modules) {
    if (LoadStatus st = create_thread_tls(*in.modules, t.tls); !st.ok()) return st;
  }
  if (LoadStatus st = create_stack(in.stack_size, t); !st.ok()) {
    free_windows_thread(t);
    return st;
  }
  t.teb = allocate_windows_memory(kTebSize);
  if (!t.teb) {
    free_windows_thread(t);
    return LoadStatus::failure(nt::STATUS_NO_MEMORY, "no memory for a TEB");
  }
  auto& teb = *reinterpret_cast<TEB*>(t.teb);
  teb.NtTib.StackBase = t.stack_base;
  teb.NtTib.StackLimit = t.stack_limit;
  teb.NtTib.FiberData = 0x1E00;  // the Version Windows stores for a thread that is no fiber
  teb.NtTib.Self = t.teb;
  teb.ClientId = {in.pid, in.tid};
  teb.RealClientId = teb.ClientId;
  teb.ThreadLocalStoragePointer = t.tls.vector;
  teb.ProcessEnvironmentBlock = in.peb;
  teb.CurrentLocale = 0x409;  // en-US
  teb.StaticUnicodeString.MaximumLength = sizeof(teb.StaticUnicodeBuffer);
  teb.StaticUnicodeString.Buffer = t.teb + offsetof(TEB, StaticUnicodeBuffer);
  teb.DeallocationStack = t.stack_allocation;
  teb.TlsLinks = {t.teb + offsetof(TEB, TlsLinks), t.teb + offsetof(TEB, TlsLinks)};
  if (in.initial_thread) teb.SameTebFlags |= TEB_SAME_FLAGS_INITIAL_THREAD;
  out = t;
  return LoadStatus::success();
}

void free_windows_thread(WindowsThread& t) {
  if (t.teb) free_windows_memory(t.teb, kTebSize);
  if (t.stack_allocation) {
    current_process().address_space.remove(t.stack_allocation, t.stack_allocation_size);
    munmap(reinterpret_cast<void*>(t.stack_allocation), t.stack_allocation_size);
  }
  free_thread_tls(t.tls);
  t = WindowsThread{};
}

}  // namespace ireactor::loader
