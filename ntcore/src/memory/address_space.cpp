// The Windows address space record (address_space.h): a map of non-overlapping page runs, split
// and merged as ranges change state, with a lock-free per-thread cache for accessible().
#include "ireactor/address_space.h"

#include <sys/mman.h>

#include <iterator>

namespace ireactor {

namespace {

// Each AddressSpace gets its own range of generation numbers, so a cache entry left by a
// destroyed instance never matches a new one built at the same address.
std::atomic<uint64_t> g_next_epoch{1ull << 32};

// How many AddressSpace locked sections the calling thread is inside.
thread_local int t_lock_depth = 0;

class SharedSection {
 public:
  explicit SharedSection(std::shared_mutex& m) : m_(m) {
    ++t_lock_depth;
    m_.lock_shared();
  }
  ~SharedSection() {
    m_.unlock_shared();
    --t_lock_depth;
  }

 private:
  std::shared_mutex& m_;
};

class ExclusiveSection {
 public:
  ExclusiveSection(std::shared_mutex& m, std::atomic<uint64_t>& gen) : m_(m) {
    ++t_lock_depth;
    m_.lock();
    gen.fetch_add(1, std::memory_order_release);
  }
  ~ExclusiveSection() {
    m_.unlock();
    --t_lock_depth;
  }

 private:
  std::shared_mutex& m_;
};

uint64_t end_of(const Region& r) {
  return r.base + r.size;
}

bool same_run(const Region& a, const Region& b) {
  return end_of(a) == b.base && a.allocation_base == b.allocation_base &&
         a.allocation_protect == b.allocation_protect && a.state == b.state &&
         a.protect == b.protect && a.type == b.type;
}

bool region_allows(const Region& r, bool for_write) {
  if (r.state != MEM_COMMIT) return false;
  return for_write ? page_writable(r.protect) : page_readable(r.protect);
}

}  // namespace

namespace detail {
__thread AccessHit t_access_hits[2];
}  // namespace detail

bool page_readable(uint32_t p) {
  if (p & PAGE_GUARD) return false;
  switch (p & 0xff) {
    case PAGE_READONLY:
    case PAGE_READWRITE:
    case PAGE_WRITECOPY:
    case PAGE_EXECUTE:  // x86 page tables cannot make a page execute-only
    case PAGE_EXECUTE_READ:
    case PAGE_EXECUTE_READWRITE:
    case PAGE_EXECUTE_WRITECOPY:
      return true;
    default:
      return false;
  }
}

bool page_writable(uint32_t p) {
  if (p & PAGE_GUARD) return false;
  switch (p & 0xff) {
    case PAGE_READWRITE:
    case PAGE_WRITECOPY:
    case PAGE_EXECUTE_READWRITE:
    case PAGE_EXECUTE_WRITECOPY:
      return true;
    default:
      return false;
  }
}

uint32_t linux_prot_from_page(uint32_t page_protect) {
  constexpr uint32_t kInvalid = 0xffffffff;
  constexpr uint32_t kModifiers = PAGE_GUARD | PAGE_NOCACHE | 0x400 /* PAGE_WRITECOMBINE */;
  const uint32_t mods = page_protect & kModifiers;
  if (page_protect & ~(kModifiers | 0xffu)) return kInvalid;
  // At most one modifier, and none on PAGE_NOACCESS.
  if (mods & (mods - 1)) return kInvalid;
  uint32_t prot;
  switch (page_protect & 0xff) {
    case PAGE_NOACCESS:
      if (mods) return kInvalid;
      prot = PROT_NONE;
      break;
    case PAGE_READONLY:
      prot = PROT_READ;
      break;
    case PAGE_READWRITE:
    case PAGE_WRITECOPY:
      prot = PROT_READ | PROT_WRITE;
      break;
    case PAGE_EXECUTE:
    case PAGE_EXECUTE_READ:
      prot = PROT_READ | PROT_EXEC;
      break;
    case PAGE_EXECUTE_READWRITE:
    case PAGE_EXECUTE_WRITECOPY:
      prot = PROT_READ | PROT_WRITE | PROT_EXEC;
      break;
    default:
      return kInvalid;
  }
  // Guard pages are inaccessible until their first touch (fault_handler.cpp lifts the guard).
  if (mods & PAGE_GUARD) prot = PROT_NONE;
  return prot;
}

AddressSpace::AddressSpace()
    : generation_(g_next_epoch.fetch_add(1ull << 32, std::memory_order_relaxed)) {}

bool AddressSpace::lock_held_by_this_thread() {
  return t_lock_depth > 0;
}

// Splits the record straddling addr (if any) into [base, addr) and [addr, end).
void AddressSpace::split_at(uint64_t addr) {
  auto it = regions_.upper_bound(addr);
  if (it == regions_.begin()) return;
  --it;
  Region& r = it->second;
  if (r.base >= addr || end_of(r) <= addr) return;
  Region upper = r;
  upper.base = addr;
  upper.size = end_of(r) - addr;
  r.size = addr - r.base;
  regions_.emplace_hint(std::next(it), addr, upper);
}

// Removes every record inside [lo, hi), splitting the ones that cross its edges.
void AddressSpace::carve(uint64_t lo, uint64_t hi) {
  split_at(lo);
  split_at(hi);
  regions_.erase(regions_.lower_bound(lo), regions_.lower_bound(hi));
}

// Merges adjacent records of the same run from just below lo up to hi.
void AddressSpace::merge_range(uint64_t lo, uint64_t hi) {
  auto it = regions_.lower_bound(lo);
  if (it != regions_.begin()) --it;
  while (it != regions_.end() && it->first <= hi) {
    auto next = std::next(it);
    if (next == regions_.end()) break;
    if (same_run(it->second, next->second)) {
      it->second.size += next->second.size;
      regions_.erase(next);
    } else {
      it = next;
    }
  }
}

void AddressSpace::add(const Region& r) {
  if (r.size == 0) return;
  ExclusiveSection lock(mutex_, generation_);
  carve(r.base, end_of(r));
  regions_.emplace(r.base, r);
  merge_range(r.base, end_of(r));
}

void AddressSpace::remove(uint64_t base, uint64_t size) {
  if (size == 0) return;
  ExclusiveSection lock(mutex_, generation_);
  carve(base, base + size);
}

void AddressSpace::set_protect(uint64_t base, uint64_t size, uint32_t protect) {
  if (size == 0) return;
  ExclusiveSection lock(mutex_, generation_);
  const uint64_t end = base + size;
  split_at(base);
  split_at(end);
  for (auto it = regions_.lower_bound(base); it != regions_.end() && it->first < end; ++it) {
    if (it->second.state == MEM_COMMIT) it->second.protect = protect;
  }
  merge_range(base, end);
}

std::optional<Region> AddressSpace::find(uint64_t addr) const {
  SharedSection lock(mutex_);
  auto it = regions_.upper_bound(addr);
  if (it == regions_.begin()) return std::nullopt;
  --it;
  if (addr >= end_of(it->second)) return std::nullopt;
  return it->second;
}

std::optional<Region> AddressSpace::first_at_or_above(uint64_t addr) const {
  SharedSection lock(mutex_);
  auto it = regions_.upper_bound(addr);
  if (it != regions_.begin()) {
    auto prev = std::prev(it);
    if (end_of(prev->second) > addr) return prev->second;
  }
  if (it == regions_.end()) return std::nullopt;
  return it->second;
}

std::vector<Region> AddressSpace::overlapping(uint64_t base, uint64_t size) const {
  std::vector<Region> out;
  if (size == 0) return out;
  const uint64_t end = base + size < base ? UINT64_MAX : base + size;
  SharedSection lock(mutex_);
  auto it = regions_.upper_bound(base);
  if (it != regions_.begin() && end_of(std::prev(it)->second) > base) --it;
  for (; it != regions_.end() && it->first < end; ++it) out.push_back(it->second);
  return out;
}

std::vector<Region> AddressSpace::allocation_of(uint64_t addr) const {
  std::vector<Region> out;
  SharedSection lock(mutex_);
  auto it = regions_.upper_bound(addr);
  if (it == regions_.begin()) return out;
  --it;
  if (addr >= end_of(it->second)) return out;
  const uint64_t alloc = it->second.allocation_base;
  // Walk down to the first record of the allocation, then up to its last.
  while (it != regions_.begin()) {
    auto prev = std::prev(it);
    if (prev->second.allocation_base != alloc || end_of(prev->second) != it->first) break;
    it = prev;
  }
  uint64_t expect = it->first;
  for (; it != regions_.end(); ++it) {
    if (it->second.allocation_base != alloc || it->first != expect) break;
    out.push_back(it->second);
    expect = end_of(it->second);
  }
  return out;
}

// Out of line, so the inline cached check in accessible() stays small.
[[gnu::noinline]] bool AddressSpace::accessible_slow(uint64_t addr, uint64_t end,
                                                     bool for_write) const {
  SharedSection lock(mutex_);
  auto it = regions_.upper_bound(addr);
  if (it == regions_.begin()) return false;
  --it;
  if (addr >= end_of(it->second)) return false;
  const uint64_t lo = it->first;
  bool writable = true;
  for (;;) {
    const Region& r = it->second;
    if (!region_allows(r, for_write)) return false;
    writable = writable && region_allows(r, true);
    if (end <= end_of(r)) {
      // Writers are excluded while we hold the shared lock, so this generation is current.
      detail::AccessHit(&hits)[2] = detail::t_access_hits;
      hits[1] = hits[0];
      hits[0] = {this, generation_.load(std::memory_order_relaxed), lo, end_of(r), writable};
      return true;
    }
    auto next = std::next(it);
    if (next == regions_.end() || next->first != end_of(r)) return false;
    it = next;
  }
}

}  // namespace ireactor
