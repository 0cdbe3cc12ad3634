// The Windows address space of this process: every region Windows code may touch (images,
// stacks, TEB/PEB, process parameters, KUSER_SHARED_DATA, NtAllocateVirtualMemory regions) is
// recorded here, like the Windows VAD tree. It is what makes a pointer "user memory" for
// user_memory.h and what NtQueryVirtualMemory reports.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <vector>

#include "ireactor/nt/types.h"

namespace ireactor {

// MEMORY_BASIC_INFORMATION.State / Type and PAGE_* protections, Windows values.
inline constexpr uint32_t MEM_COMMIT = 0x1000;
inline constexpr uint32_t MEM_RESERVE = 0x2000;
inline constexpr uint32_t MEM_DECOMMIT = 0x4000;
inline constexpr uint32_t MEM_RELEASE = 0x8000;
inline constexpr uint32_t MEM_FREE = 0x10000;
inline constexpr uint32_t MEM_PRIVATE = 0x20000;
inline constexpr uint32_t MEM_MAPPED = 0x40000;
inline constexpr uint32_t MEM_RESET = 0x80000;
inline constexpr uint32_t MEM_TOP_DOWN = 0x100000;
inline constexpr uint32_t MEM_IMAGE = 0x1000000;

inline constexpr uint32_t PAGE_NOACCESS = 0x01;
inline constexpr uint32_t PAGE_READONLY = 0x02;
inline constexpr uint32_t PAGE_READWRITE = 0x04;
inline constexpr uint32_t PAGE_WRITECOPY = 0x08;
inline constexpr uint32_t PAGE_EXECUTE = 0x10;
inline constexpr uint32_t PAGE_EXECUTE_READ = 0x20;
inline constexpr uint32_t PAGE_EXECUTE_READWRITE = 0x40;
inline constexpr uint32_t PAGE_EXECUTE_WRITECOPY = 0x80;
inline constexpr uint32_t PAGE_GUARD = 0x100;
inline constexpr uint32_t PAGE_NOCACHE = 0x200;

inline constexpr uint64_t kPageSize = 0x1000;
inline constexpr uint64_t kAllocationGranularity = 0x10000;
inline constexpr uint64_t kLowestUserAddress = 0x10000;
inline constexpr uint64_t kHighestUserAddress = 0x7FFFFFFEFFFFull;

// One page run with uniform state, like a MEMORY_BASIC_INFORMATION record.
struct Region {
  uint64_t base = 0;
  uint64_t size = 0;
  uint64_t allocation_base = 0;
  uint32_t allocation_protect = 0;
  uint32_t state = 0;    // MEM_COMMIT or MEM_RESERVE
  uint32_t protect = 0;  // PAGE_*; 0 for reserved pages
  uint32_t type = 0;     // MEM_PRIVATE, MEM_MAPPED or MEM_IMAGE

  // A whole allocation of committed private pages with one protection: what the runtime maps
  // for Windows code outside NtAllocateVirtualMemory (gate page, KUSER_SHARED_DATA, TEB, PEB...).
  static Region committed_private(uint64_t base, uint64_t size, uint32_t protect) {
    return Region{base, size, base, protect, MEM_COMMIT, protect, MEM_PRIVATE};
  }
};

namespace detail {
// One of the calling thread's recent accessible() answers: [lo, hi) of `space` is committed
// and readable (writable too when `writable`) as of its generation `gen`.
struct AccessHit {
  const void* space;
  uint64_t gen;
  uint64_t lo;
  uint64_t hi;
  bool writable;
};
// The last two, most recent first: two so that a call whose buffer and IO_STATUS_BLOCK lie in
// different regions (heap and stack) is answered from the cache on every call, not one in two.
// __thread (no dynamic initialisation): a direct TLS access from every translation unit.
extern __thread AccessHit t_access_hits[2];
}  // namespace detail

class AddressSpace {
 public:
  AddressSpace();
  AddressSpace(const AddressSpace&) = delete;
  AddressSpace& operator=(const AddressSpace&) = delete;

  // Records memory the runtime mapped for Windows code (loader, stacks, TEB/PEB...).
  // The range must be page aligned and already mapped with matching protections. Whatever was
  // recorded in that range before is replaced (so commit/decommit are an add of the new state).
  void add(const Region& r);
  // Forgets [base, base+size) entirely (after munmap).
  void remove(uint64_t base, uint64_t size);
  // Replaces the protection of committed pages in [base, base+size).
  void set_protect(uint64_t base, uint64_t size, uint32_t protect);
  // The record that contains addr, if any.
  std::optional<Region> find(uint64_t addr) const;
  // All records that overlap [base, base+size), in address order.
  std::vector<Region> overlapping(uint64_t base, uint64_t size) const;
  // Whether [addr, addr+n) is committed and readable (or writable) throughout. Guard pages
  // are not accessible. Lock-free when one of the calling thread's last two hits still covers
  // the range.
  bool accessible(uint64_t addr, uint64_t n, bool for_write) const {
    if (n == 0) return true;
    if (addr + n < addr) return false;
    return accessible_cached(addr, n, for_write) || accessible_slow(addr, addr + n, for_write);
  }
  // Only the cached answer: true when one of the calling thread's last two hits covers the
  // range (then it is accessible); false says nothing. No lock and no call, for the fast gate.
  bool accessible_cached(uint64_t addr, uint64_t n, bool for_write) const;
  // The lowest record that ends above addr (the one containing it, or the next one up).
  std::optional<Region> first_at_or_above(uint64_t addr) const;
  // Every record of the allocation (same allocation_base, contiguous) containing addr.
  std::vector<Region> allocation_of(uint64_t addr) const;

  // Every method takes the lock itself; this is for callers that only need to wait for
  // writers. Never hold it while calling a method.
  std::shared_mutex& lock() const { return mutex_; }
  // Whether the calling thread is inside one of this class's locked sections (any instance):
  // the fault handler must not take the lock again then.
  static bool lock_held_by_this_thread();

 private:
  void split_at(uint64_t addr);
  void carve(uint64_t lo, uint64_t hi);
  void merge_range(uint64_t lo, uint64_t hi);
  bool accessible_slow(uint64_t addr, uint64_t end, bool for_write) const;

  mutable std::shared_mutex mutex_;
  std::map<uint64_t, Region> regions_;  // keyed by base; non-overlapping
  // Bumped (under the exclusive lock) before every change; accessible()'s per-thread cache of
  // the last hits is valid only while it matches. Each instance starts in its own epoch.
  std::atomic<uint64_t> generation_;
};

inline bool AddressSpace::accessible_cached(uint64_t addr, uint64_t n, bool for_write) const {
  const uint64_t gen = generation_.load(std::memory_order_acquire);
  const uint64_t end = addr + n;
  for (const detail::AccessHit& hit : detail::t_access_hits) {
    if (hit.space == this && hit.gen == gen && addr >= hit.lo && end <= hit.hi && end >= addr &&
        (!for_write || hit.writable))
      return true;
  }
  return false;
}

// Whether Windows code can read / write a committed page with this PAGE_* protection (a guard
// page it cannot, until the first touch lifts the guard).
bool page_readable(uint32_t page_protect);
bool page_writable(uint32_t page_protect);

// Translate between PAGE_* and PROT_* (mmap). 0xffffffff when the PAGE_* value is invalid.
uint32_t linux_prot_from_page(uint32_t page_protect);

}  // namespace ireactor
