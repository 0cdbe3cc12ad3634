// The fast gate's file lane: NtReadFile and NtWriteFile on a plain Disk file,
// with no event and no APC, served straight from the gate (fast_gate.S) without the dispatcher,
// the handle table's lock or any library call. On this kind of host a system call leaves the
// caches cold for the user code around it, so what a read costs beyond pread(2) is mostly the
// number of code and data lines the runtime touches; this path touches a few instead of dozens.
//
// The lane serves a call only when everything is plain: the handle has a slot (fast_file_slots.h),
// the pointers lie in ranges the thread's address-space cache has already vouched for, the
// ByteOffset is an offset or the position, the position lock is free. Anything else - and any
// failed system call - declines, before anything happened, and the gate takes the full path
// (NtReadFile/NtWriteFile), which gives the Windows answer. Results are therefore exactly the
// full path's; tests/pe runs every read and write case through both.
//
// Compiled with -mgeneral-regs-only: the gate does not save the vector registers for the lane.
// Nothing here may call code that is not in this file or user_copy.S.
#include <sys/syscall.h>

#include <cstdint>

#include "dispatch/nt_probes.h"
#include "io/fast_file_slots.h"
#include "ireactor/dispatcher.h"
#include "ireactor/user_memory.h"

namespace ireactor::io {

namespace {

constexpr uint64_t kDeclined = entry::kLaneDeclined;  // fast_gate.S: take the full path

// The syscall instruction itself (the gate has set the SUD selector to allow).
inline long raw_transfer(long nr, int fd, uint64_t buf, uint32_t n, int64_t offset) {
  long r;
  register int64_t r10 asm("r10") = offset;
  asm volatile("syscall"
               : "=a"(r)
               : "0"(nr), "D"(static_cast<long>(fd)), "S"(buf), "d"(static_cast<uint64_t>(n)),
                 "r"(r10)
               : "rcx", "r11", "memory");
  return r;
}

// The slot's reader count: announced before the fd is read (a full barrier), so that closing
// the handle waits for this call (fast_file_slots.h).
class SlotUse {
 public:
  explicit SlotUse(FastFileSlot& s) : s_(s) { s_.readers.fetch_add(1, std::memory_order_seq_cst); }
  ~SlotUse() { s_.readers.fetch_sub(1, std::memory_order_release); }
  SlotUse(const SlotUse&) = delete;
  SlotUse& operator=(const SlotUse&) = delete;

 private:
  FastFileSlot& s_;
};

uint64_t serve(uint32_t number, const SyscallFrame& frame, const AddressSpace& space) {
  const bool write = number == g_fast_file_numbers.write;
  // Event, ApcRoutine, ApcContext: none.
  if (frame.arg[1] | frame.arg[2] | frame.arg[3]) return kDeclined;
  const uint64_t index = frame.arg[0] >> 2;
  if (index == 0 || index >= kFastFileSlots) return kDeclined;

  // IoStatusBlock, Buffer, Length, ByteOffset, Key from the caller's stack.
  uint64_t args[5];
  if (!space.accessible_cached(frame.user_stack_args, sizeof args, false) ||
      ir_safe_memcpy(args, reinterpret_cast<const void*>(frame.user_stack_args), sizeof args))
    return kDeclined;
  const uint64_t iosb = args[0];
  const uint64_t buffer = args[1];
  const uint32_t length = static_cast<uint32_t>(args[2]);
  const uint64_t byte_offset = args[3];
  if (!space.accessible_cached(iosb, sizeof(nt::IO_STATUS_BLOCK), true) ||
      (length != 0 && !space.accessible_cached(buffer, length, !write)))
    return kDeclined;
  int64_t offset = -1;  // -1: the handle's position
  if (byte_offset) {
    if (!space.accessible_cached(byte_offset, sizeof offset, false) ||
        ir_safe_memcpy(&offset, reinterpret_cast<const void*>(byte_offset), sizeof offset))
      return kDeclined;
    if (offset == nt::FILE_USE_FILE_POINTER_POSITION)
      offset = -1;
    else if (offset < 0)
      return kDeclined;  // FILE_WRITE_TO_END_OF_FILE, invalid values
  }

  FastFileSlot& slot = g_fast_file_slots[index];
  SlotUse use(slot);
  const int32_t fd_plus_one = slot.fd_plus_one.load(std::memory_order_acquire);
  const uint32_t flags = slot.flags;
  if (!fd_plus_one || !(flags & (write ? kFastWrite : kFastRead))) return kDeclined;
  const bool synchronous = flags & kFastSynchronous;
  if (offset < 0 && !synchronous) return kDeclined;
  FileObject& f = *slot.file;
  if (synchronous) {
    // Contended: the full path waits for it (sleeping needs code the lane may not call).
    if (!f.position_mutex.try_lock()) return kDeclined;
    if (offset < 0) offset = f.position();
  }
  // Nothing to move: no system call, and the position is set to where the transfer began.
  const long r = length == 0 ? 0
                             : raw_transfer(write ? SYS_pwrite64 : SYS_pread64, fd_plus_one - 1,
                                            buffer, length, offset);
  const bool moved = length == 0 || r > 0;
  // Reading at or past the end transfers nothing and fails; the IO_STATUS_BLOCK stays as is.
  const bool end_of_file = !write && length != 0 && r == 0;
  if (synchronous) {
    if (moved) f.set_position(offset + r);
    f.position_mutex.unlock();
  }
  if (end_of_file) return static_cast<uint32_t>(nt::STATUS_END_OF_FILE);
  // Failed (EINTR, EFAULT, ...), or a write that moved nothing: the full path repeats it (nothing
  // happened) and reports what it gets.
  if (!moved) return kDeclined;
  const nt::IO_STATUS_BLOCK done{nt::STATUS_SUCCESS, 0, static_cast<nt::ULONG_PTR>(r)};
  // As the full path: a status block that went away under the call is not reported.
  (void)ir_safe_memcpy(reinterpret_cast<void*>(iosb), &done, sizeof done);
  return nt::STATUS_SUCCESS;
}

}  // namespace

}  // namespace ireactor::io

extern "C" uint64_t ir_fast_file_io(uint32_t number, const ireactor::SyscallFrame* frame) {
  using namespace ireactor;
  if (nt_probes_attached()) [[unlikely]]
    return io::kDeclined;
  return io::serve(number, *frame, *io::g_fast_file_space);
}
