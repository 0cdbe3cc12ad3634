#include "peb_builder.h"

#include <algorithm>
#include <cstring>

#include "ireactor/system/nt_time.h"
#include "ireactor/win/ldr_data.h"
#include "ireactor/win/peb.h"
#include "win_string.h"
#include "windows_memory.h"

namespace ireactor::loader {

using namespace win;

LoadStatus build_peb(const PebInput& in, uint64_t& peb_address) {
  const uint64_t addr = allocate_windows_memory(sizeof(PEB));
  if (!addr) return LoadStatus::failure(nt::STATUS_NO_MEMORY, "no memory for the PEB");
  auto& peb = *reinterpret_cast<PEB*>(addr);
  if (in.image && in.image->image.delta != 0)
    peb.BitField |= 1u << 2;  // IsImageDynamicallyRelocated
  peb.Mutant = ~0ull;         // no mutant: (HANDLE)-1, as Windows leaves it
  peb.ImageBaseAddress = in.image ? in.image->base() : 0;
  peb.Ldr = in.ldr;
  peb.ProcessParameters = in.process_parameters;
  peb.NumberOfProcessors = in.number_of_processors;
  peb.CriticalSectionTimeout = -2592000LL * kTicksPerSecond;  // 30 days, relative
  peb.HeapSegmentReserve = 0x100000;
  peb.HeapSegmentCommit = 0x2000;
  peb.HeapDeCommitTotalFreeThreshold = 0x10000;
  peb.HeapDeCommitFreeBlockThreshold = 0x1000;
  peb.MaximumNumberOfHeaps = 16;
  peb.OSMajorVersion = in.version.major;
  peb.OSMinorVersion = in.version.minor;
  peb.OSBuildNumber = static_cast<uint16_t>(in.version.build);
  peb.OSPlatformId = VER_PLATFORM_WIN32_NT;
  peb.ImageSubsystem = in.subsystem;
  peb.ImageSubsystemMajorVersion = in.subsystem_major;
  peb.ImageSubsystemMinorVersion = in.subsystem_minor;
  peb.ActiveProcessAffinityMask =
      in.number_of_processors >= 64 ? ~0ull : (1ull << in.number_of_processors) - 1;
  peb.SessionId = 1;
  peb_address = addr;
  return LoadStatus::success();
}

uint32_t ldr_name_hash(const std::u16string& name) {
  uint32_t h = 0;
  for (char16_t c : name) {
    if (c >= u'a' && c <= u'z') c = static_cast<char16_t>(c - u'a' + u'A');
    h = h * 65599 + c;
  }
  return h;
}

namespace {

void list_init(LIST_ENTRY& head, uint64_t head_addr) {
  head.Flink = head.Blink = head_addr;
}

// Appends the entry at entry_addr (its LIST_ENTRY `link`) to the list whose head is at head_addr.
void list_append(uint64_t head_addr, uint64_t link_addr) {
  auto* head = reinterpret_cast<LIST_ENTRY*>(head_addr);
  auto* link = reinterpret_cast<LIST_ENTRY*>(link_addr);
  auto* last = reinterpret_cast<LIST_ENTRY*>(head->Blink);
  link->Flink = head_addr;
  link->Blink = head->Blink;
  last->Flink = link_addr;
  head->Blink = link_addr;
}

uint64_t string_bytes(const std::u16string& s) {
  return ((s.size() + 1) * 2 + 7) & ~7ull;
}

}  // namespace

LoadStatus build_ldr_data(ModuleList& modules, uint64_t& ldr_address) {
  std::vector<LoadedModule*> load_order = modules.in_load_order();
  // Windows lists the executable first, then the DLLs in load order.
  std::stable_partition(load_order.begin(), load_order.end(),
                        [](const LoadedModule* m) { return !m->is_dll; });
  std::vector<std::u16string> base_names;
  uint64_t size = sizeof(PEB_LDR_DATA) + load_order.size() * sizeof(LDR_DATA_TABLE_ENTRY);
  for (const LoadedModule* m : load_order) {
    base_names.push_back(utf8_to_utf16(m->name));
    size += string_bytes(m->dos_path) + string_bytes(base_names.back());
  }
  const uint64_t base = allocate_windows_memory(size);
  if (!base) return LoadStatus::failure(nt::STATUS_NO_MEMORY, "no memory for PEB.Ldr");

  auto& ldr = *reinterpret_cast<PEB_LDR_DATA*>(base);
  ldr.Length = sizeof(PEB_LDR_DATA);
  ldr.Initialized = 1;
  const uint64_t load_head = base + offsetof(PEB_LDR_DATA, InLoadOrderModuleList);
  const uint64_t memory_head = base + offsetof(PEB_LDR_DATA, InMemoryOrderModuleList);
  const uint64_t init_head = base + offsetof(PEB_LDR_DATA, InInitializationOrderModuleList);
  list_init(ldr.InLoadOrderModuleList, load_head);
  list_init(ldr.InMemoryOrderModuleList, memory_head);
  list_init(ldr.InInitializationOrderModuleList, init_head);

  uint64_t strings = base + sizeof(PEB_LDR_DATA) + load_order.size() * sizeof(LDR_DATA_TABLE_ENTRY);
  auto put_string = [&](nt::UNICODE_STRING& us, const std::u16string& s) {
    memcpy(reinterpret_cast<void*>(strings), s.data(), s.size() * 2);
    us.Length = static_cast<uint16_t>(s.size() * 2);
    us.MaximumLength = static_cast<uint16_t>(s.size() * 2 + 2);
    us.Buffer = strings;
    strings += string_bytes(s);
  };
  const int64_t now = current_system_time();
  for (size_t i = 0; i < load_order.size(); ++i) {
    LoadedModule* m = load_order[i];
    const uint64_t addr = base + sizeof(PEB_LDR_DATA) + i * sizeof(LDR_DATA_TABLE_ENTRY);
    auto& e = *reinterpret_cast<LDR_DATA_TABLE_ENTRY*>(addr);
    e.DllBase = m->base();
    e.EntryPoint = m->entry;
    e.SizeOfImage = static_cast<uint32_t>(m->size());
    put_string(e.FullDllName, m->dos_path);
    put_string(e.BaseDllName, base_names[i]);
    e.Flags = (m->is_dll ? LDRP_IMAGE_DLL : 0) | (m->initialized ? LDRP_PROCESS_ATTACH_CALLED : 0) |
              LDRP_ENTRY_PROCESSED;
    e.ObsoleteLoadCount = 0xFFFF;  // statically loaded: never unloaded
    e.TlsIndex = m->tls.present ? static_cast<uint16_t>(m->tls.index) : 0;
    list_init(e.HashLinks, addr + offsetof(LDR_DATA_TABLE_ENTRY, HashLinks));
    list_init(e.NodeModuleLink, addr + offsetof(LDR_DATA_TABLE_ENTRY, NodeModuleLink));
    e.TimeDateStamp = m->time_date_stamp;
    e.OriginalBase = m->base() - m->image.delta;
    e.LoadTime = now;
    e.BaseNameHashValue = ldr_name_hash(base_names[i]);
    e.LoadReason = LoadReasonStaticDependency;
    e.ReferenceCount = 1;
    list_append(load_head, addr + offsetof(LDR_DATA_TABLE_ENTRY, InLoadOrderLinks));
    list_append(memory_head, addr + offsetof(LDR_DATA_TABLE_ENTRY, InMemoryOrderLinks));
    m->ldr_entry = addr;
  }
  for (LoadedModule* m : modules.in_initialization_order())
    if (m->is_dll && m->ldr_entry)
      list_append(init_head,
                  m->ldr_entry + offsetof(LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks));
  ldr_address = base;
  return LoadStatus::success();
}

}  // namespace ireactor::loader
