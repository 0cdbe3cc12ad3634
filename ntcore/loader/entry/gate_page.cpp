// The gate page at 0x7ffe1000: the address of the fast gate thunk, the flag the ntdll stubs
// test to choose between calling it and executing `syscall` (then served by SUD), and the
// numbers the gate hands to its lanes.
#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <system_error>

#include "fast_gate.h"
#include "io/fast_file_slots.h"
#include "system/fast_performance_counter.h"
#include "ireactor/address_space.h"
#include "ireactor/entry.h"
#include "ireactor/process.h"

namespace ireactor::entry {

namespace {

std::mutex g_gate_page_mutex;
bool g_gate_page_mapped = false;

void* gate_page() {
  return reinterpret_cast<void*>(kGatePageAddress);
}

void map_gate_page() {
  void* p = mmap(gate_page(), kPageSize, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p == MAP_FAILED)
    throw std::system_error(errno, std::generic_category(), "mapping the gate page at 0x7ffe1000");
  if (p != gate_page()) {  // a kernel that ignores MAP_FIXED_NOREPLACE put it elsewhere
    munmap(p, kPageSize);
    throw std::system_error(EEXIST, std::generic_category(), "mapping the gate page at 0x7ffe1000");
  }
}

}  // namespace

// A second call only rewrites the flag (the mapping and its address-space record stay), so the
// mode can be changed, e.g. between tests.
void install_gate_page(Mode mode, bool fast_lanes) {
  std::lock_guard lock(g_gate_page_mutex);
  if (!g_gate_page_mapped) {
    map_gate_page();
  } else if (mprotect(gate_page(), kPageSize, PROT_READ | PROT_WRITE) != 0) {
    throw std::system_error(errno, std::generic_category(), "making the gate page writable");
  }

  auto* page = static_cast<unsigned char*>(gate_page());
  const uint64_t thunk = reinterpret_cast<uint64_t>(&ir_fast_gate);
  std::memcpy(page + (kGatePointerAddress - kGatePageAddress), &thunk, sizeof thunk);
  page[kGateFlagAddress - kGatePageAddress] = mode == Mode::Gate ? 1 : 0;
  const io::FastFileNumbers files = fast_lanes ? io::enable_fast_file_io() : io::FastFileNumbers{};
  const uint32_t counter = fast_lanes ? system::enable_fast_performance_counter() : 0xFFFFFFFF;
  std::memcpy(page + (kGateFastReadAddress - kGatePageAddress), &files.read, sizeof files.read);
  std::memcpy(page + (kGateFastWriteAddress - kGatePageAddress), &files.write, sizeof files.write);
  std::memcpy(page + (kGateFastCounterAddress - kGatePageAddress), &counter, sizeof counter);

  if (mprotect(gate_page(), kPageSize, PROT_READ) != 0)
    throw std::system_error(errno, std::generic_category(), "making the gate page read-only");

  if (!g_gate_page_mapped) {
    current_process().address_space.add(
        Region::committed_private(kGatePageAddress, kPageSize, PAGE_READONLY));
    g_gate_page_mapped = true;
  }
}

}  // namespace ireactor::entry
