// The fast gate's file slots: for each file handle the fast lane (fast_file_io.cpp) may serve,
// its Linux fd, what it may do and its file object, kept in step with the handle table by an
// observer. Read without the handle table's lock: a reader announces itself in the slot's
// `readers` before it reads the fd (a locked add, a full barrier), and closing a handle clears
// the fd (a full barrier) and then waits for the slot's readers to leave. So a reader either
// sees the slot cleared or is waited for, and the file object and its fd outlive every reader
// (the Linux fd of a closed handle cannot be reused under a read in flight).
#pragma once

#include <atomic>
#include <cstdint>

#include "ireactor/address_space.h"
#include "ireactor/dispatcher.h"
#include "ireactor/entry.h"
#include "ireactor/io/file_object.h"

namespace ireactor::io {

// Handle values below 4 * kFastFileSlots (the first 4096 handles) have a slot; later ones are
// always served by the dispatcher.
inline constexpr uint32_t kFastFileSlots = 4096;

inline constexpr uint32_t kFastRead = 1u << 0;         // FILE_READ_DATA granted
inline constexpr uint32_t kFastWrite = 1u << 1;        // FILE_WRITE_DATA granted
inline constexpr uint32_t kFastSynchronous = 1u << 2;  // a position under position_mutex

struct alignas(32) FastFileSlot {
  std::atomic<int32_t> fd_plus_one{0};  // 0: not served by the lane (zeroed memory is empty)
  uint32_t flags = 0;
  FileObject* file = nullptr;
  std::atomic<uint32_t> readers{0};
};

// Indexed by handle >> 2 (the low tag bits ignored, as Windows does).
extern FastFileSlot g_fast_file_slots[kFastFileSlots];

// The NT numbers the lane serves under the selected build; 0xFFFFFFFF when it is off.
struct FastFileNumbers {
  uint32_t read = 0xFFFFFFFF;   // NtReadFile
  uint32_t write = 0xFFFFFFFF;  // NtWriteFile
};
extern FastFileNumbers g_fast_file_numbers;
// The process's address space, for the lane's lock-free pointer checks.
extern AddressSpace* g_fast_file_space;

// Starts keeping the slots for the current process's handle table (its open handles now and
// every later change) and returns the numbers the gate should divert to the lane. Once per
// process, after the Windows build is selected; not with the kmod entry, which keeps Disk
// positions in the fd and serves these calls in the kernel.
FastFileNumbers enable_fast_file_io();

}  // namespace ireactor::io

// The lane, called by fast_gate.S for the numbers in g_fast_file_numbers: the NTSTATUS,
// zero-extended, or entry::kLaneDeclined.
extern "C" uint64_t ir_fast_file_io(uint32_t number, const ireactor::SyscallFrame* frame);
