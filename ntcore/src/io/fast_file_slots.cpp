#include "io/fast_file_slots.h"

#include <sched.h>

#include "ireactor/dispatcher.h"
#include "ireactor/handle_table.h"
#include "ireactor/process.h"

namespace ireactor::io {

constinit FastFileSlot g_fast_file_slots[kFastFileSlots];
constinit FastFileNumbers g_fast_file_numbers;
constinit AddressSpace* g_fast_file_space = nullptr;

namespace {

// What the lane may do with a handle; 0 when it must leave every call on it to the dispatcher:
// anything but a plain Disk file (directories, consoles, devices, pipes), and files whose
// position lives in the fd.
uint32_t fast_flags(const HandleEntry& e) {
  if (e.object->type() != ObjectType::File) return 0;
  const auto& f = static_cast<const FileObject&>(*e.object);
  if (!f.is_disk() || f.directory || f.console_role != ConsoleRole::None || f.position_in_fd)
    return 0;
  uint32_t flags = 0;
  if (e.access & nt::FILE_READ_DATA) flags |= kFastRead;
  // A handle that may only append writes at the end: the dispatcher's business.
  if (e.access & nt::FILE_WRITE_DATA) flags |= kFastWrite;
  if (flags && f.synchronous()) flags |= kFastSynchronous;
  return flags;
}

// Takes the slot out of the lane and waits until no reader uses what it held.
void retire(FastFileSlot& s) {
  if (s.fd_plus_one.exchange(0, std::memory_order_seq_cst) == 0) return;
  while (s.readers.load(std::memory_order_seq_cst) != 0) sched_yield();
}

class FastFileSlotKeeper final : public HandleObserver {
 public:
  void published(uint32_t index, const HandleEntry& entry) override {
    if (index >= kFastFileSlots) return;
    FastFileSlot& s = g_fast_file_slots[index];
    retire(s);
    const uint32_t flags = fast_flags(entry);
    if (!flags) return;
    auto& f = static_cast<FileObject&>(*entry.object);
    s.flags = flags;
    s.file = &f;
    s.fd_plus_one.store(f.fd + 1, std::memory_order_release);  // the fields above first
  }
  void closed(uint32_t index) override {
    if (index < kFastFileSlots) retire(g_fast_file_slots[index]);
  }
};

FastFileSlotKeeper g_keeper;

}  // namespace

FastFileNumbers enable_fast_file_io() {
  const std::optional<uint32_t> read = selected_service_number("NtReadFile");
  const std::optional<uint32_t> write = selected_service_number("NtWriteFile");
  if (!read || !write) return {};
  Process& p = current_process();
  g_fast_file_numbers = {*read, *write};
  if (g_fast_file_space != &p.address_space) {  // once per process record
    g_fast_file_space = &p.address_space;
    p.handles.add_observer(&g_keeper);
  }
  return g_fast_file_numbers;
}

}  // namespace ireactor::io
