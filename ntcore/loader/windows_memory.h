// Memory the runtime maps for Windows code to use (PEB, TEB, stacks, process parameters, TLS
// blocks): anonymous pages placed on the 64 KiB allocation granularity, like any Windows
// allocation, and recorded in the process's address space so user_memory.h accepts pointers to
// them and NtQueryVirtualMemory reports them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ireactor/address_space.h"

namespace ireactor::loader {

// Maps `size` bytes (rounded up to pages) of zeroed memory and records it as MEM_PRIVATE
// PAGE_READWRITE. 0 when out of memory.
uint64_t allocate_windows_memory(uint64_t size);
// Unmaps and forgets what allocate_windows_memory returned.
void free_windows_memory(uint64_t base, uint64_t size);

// Reserves `size` bytes at a 64 KiB-aligned address chosen by the kernel, with `prot` (PROT_*).
// 0 on failure.
uint64_t map_aligned(uint64_t size, int prot);

inline uint64_t page_round_up(uint64_t v) {
  return (v + kPageSize - 1) & ~(kPageSize - 1);
}

}  // namespace ireactor::loader
