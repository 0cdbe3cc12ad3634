// Helpers shared by the memory services (virtual_memory.h).
#include "memory/virtual_memory.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <utility>

#include "ireactor/process.h"
#include "ireactor/process/process_object.h"

namespace ireactor::vm {

namespace {

constexpr int kReserveFlags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;

bool map_fixed_noreplace(uint64_t addr, uint64_t size) {
  errno = 0;
  void* p = mmap(reinterpret_cast<void*>(addr), size, PROT_NONE,
                 kReserveFlags | MAP_FIXED_NOREPLACE, -1, 0);
  if (p == MAP_FAILED) return false;
  if (reinterpret_cast<uint64_t>(p) != addr) {  // a kernel that took the address as a hint
    munmap(p, size);
    return false;
  }
  return true;
}

// Every mapping of this process, [lo, hi), in address order.
std::vector<std::pair<uint64_t, uint64_t>> current_mappings() {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  std::string text;
  char buf[8192];
  for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;) text.append(buf, static_cast<size_t>(n));
  close(fd);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    const char* p = text.c_str() + pos;
    char* dash = nullptr;
    uint64_t lo = std::strtoull(p, &dash, 16);
    if (dash && *dash == '-') {
      uint64_t hi = std::strtoull(dash + 1, nullptr, 16);
      out.emplace_back(lo, hi);
    }
    pos = eol + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

// One pass over the gaps between mappings; nullopt when no gap fits or the chosen place was
// taken meanwhile (the caller then looks again).
std::optional<uint64_t> place_in_gap(uint64_t size, uint64_t highest, bool top_down, bool& raced) {
  raced = false;
  const auto maps = current_mappings();
  const uint64_t limit = highest + 1;  // exclusive end of the usable range
  std::vector<std::pair<uint64_t, uint64_t>> gaps;
  uint64_t cursor = kLowestUserAddress;
  for (const auto& [lo, hi] : maps) {
    if (lo > cursor) gaps.emplace_back(cursor, std::min(lo, limit));
    cursor = std::max(cursor, hi);
    if (cursor >= limit) break;
  }
  if (cursor < limit) gaps.emplace_back(cursor, limit);

  auto try_gap = [&](uint64_t lo, uint64_t hi) -> std::optional<uint64_t> {
    if (hi <= lo || hi - lo < size) return std::nullopt;
    uint64_t a = top_down ? granule_down(hi - size) : granule_up(lo);
    if (a < lo || a > hi - size) return std::nullopt;
    if (map_fixed_noreplace(a, size)) return a;
    raced = true;
    return std::nullopt;
  };
  if (top_down) {
    for (auto it = gaps.rbegin(); it != gaps.rend(); ++it) {
      if (auto a = try_gap(it->first, it->second)) return a;
      if (raced) return std::nullopt;
    }
  } else {
    for (const auto& [lo, hi] : gaps) {
      if (auto a = try_gap(lo, hi)) return a;
      if (raced) return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

nt::NTSTATUS reserve_at(uint64_t addr, uint64_t size) {
  if (map_fixed_noreplace(addr, size)) return nt::STATUS_SUCCESS;
  return errno == EEXIST || errno == 0 ? nt::STATUS_CONFLICTING_ADDRESSES : nt::STATUS_NO_MEMORY;
}

std::mutex& services_mutex() {
  static std::mutex m;
  return m;
}

nt::NTSTATUS check_process_handle(nt::HANDLE h, nt::ACCESS_MASK access) {
  if (h == nt::kCurrentProcess) return nt::STATUS_SUCCESS;
  // There is one process per runtime: any process handle names it.
  std::shared_ptr<ProcessObject> process;
  return current_process().handles.reference<ProcessObject>(h, access, process);
}

nt::NTSTATUS probe_output(uint64_t addr, uint64_t size, uint64_t align) {
  if (size == 0) return nt::STATUS_SUCCESS;
  if (addr & (align - 1)) return nt::STATUS_DATATYPE_MISALIGNMENT;
  if (!probe_user(addr, size, true)) return nt::STATUS_ACCESS_VIOLATION;
  return nt::STATUS_SUCCESS;
}

nt::NTSTATUS capture_inout(UserPtr<uint64_t> p, uint64_t& value) {
  if (nt::NTSTATUS s = probe_output(p.addr(), sizeof(uint64_t), sizeof(uint64_t)); s != 0) return s;
  if (!p.read(value)) return nt::STATUS_ACCESS_VIOLATION;
  return nt::STATUS_SUCCESS;
}

std::optional<uint64_t> reserve_anywhere(uint64_t size, uint64_t highest, bool top_down) {
  if (size == 0 || highest < kLowestUserAddress || highest - kLowestUserAddress + 1 < size)
    return std::nullopt;

  if (!top_down) {
    // Usually the kernel's own choice fits: over-reserve by one granule and trim to alignment.
    const uint64_t len = size + kAllocationGranularity;
    void* p = mmap(nullptr, len, PROT_NONE, kReserveFlags, -1, 0);
    if (p != MAP_FAILED) {
      const uint64_t start = reinterpret_cast<uint64_t>(p);
      const uint64_t a = granule_up(start);
      if (a > start) munmap(p, a - start);
      if (start + len > a + size) munmap(reinterpret_cast<void*>(a + size), start + len - a - size);
      if (a >= kLowestUserAddress && a + size - 1 <= highest) return a;
      munmap(reinterpret_cast<void*>(a), size);
    }
  }

  for (int attempt = 0; attempt < 4; ++attempt) {
    bool raced = false;
    if (auto a = place_in_gap(size, highest, top_down, raced)) return a;
    if (!raced) break;
  }
  return std::nullopt;
}

std::vector<Region> records_within_one_allocation(uint64_t lo, uint64_t hi) {
  auto recs = current_process().address_space.overlapping(lo, hi - lo);
  if (recs.empty() || recs.front().base > lo) return {};
  const uint64_t alloc = recs.front().allocation_base;
  uint64_t expect = recs.front().base;
  for (const Region& r : recs) {
    if (r.allocation_base != alloc || r.base != expect) return {};
    expect = r.base + r.size;
  }
  if (expect < hi) return {};
  return recs;
}

}  // namespace ireactor::vm
