#include "windows_memory.h"

#include <sys/mman.h>

#include "ireactor/process.h"

namespace ireactor::loader {

uint64_t map_aligned(uint64_t size, int prot) {
  size = page_round_up(size);
  const uint64_t span = size + kAllocationGranularity;
  void* p = mmap(nullptr, span, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return 0;
  const uint64_t raw = reinterpret_cast<uint64_t>(p);
  const uint64_t base = (raw + kAllocationGranularity - 1) & ~(kAllocationGranularity - 1);
  if (base > raw) munmap(p, base - raw);
  const uint64_t tail = raw + span - (base + size);
  if (tail) munmap(reinterpret_cast<void*>(base + size), tail);
  if (base + size > kHighestUserAddress + 1) {  // outside what Windows code may address
    munmap(reinterpret_cast<void*>(base), size);
    return 0;
  }
  return base;
}

uint64_t allocate_windows_memory(uint64_t size) {
  size = page_round_up(size);
  const uint64_t base = map_aligned(size, PROT_READ | PROT_WRITE);
  if (base == 0) return 0;
  current_process().address_space.add(Region::committed_private(base, size, PAGE_READWRITE));
  return base;
}

void free_windows_memory(uint64_t base, uint64_t size) {
  size = page_round_up(size);
  current_process().address_space.remove(base, size);
  munmap(reinterpret_cast<void*>(base), size);
}

}  // namespace ireactor::loader
