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

void list_unlink(uint64_t link_addr) {
  auto* link = reinterpret_cast<LIST_ENTRY*>(link_addr);
  if (link->Flink == 0 || link->Flink == link_addr) return;  // never linked, or alone
  reinterpret_cast<LIST_ENTRY*>(link->Blink)->Flink = link->Flink;
  reinterpret_cast<LIST_ENTRY*>(link->Flink)->Blink = link->Blink;
  link->Flink = link->Blink = link_addr;
}

uint64_t g_ldr = 0;  // PEB.Ldr once built

constexpr uint32_t LoadReasonDynamicLoad = 4;  // LDR_DLL_LOAD_REASON

// Entries appended after start are allocated one by one; their size, to free them.
uint64_t entry_allocation(const LoadedModule& m, const std::u16string& base_name) {
  return sizeof(LDR_DATA_TABLE_ENTRY) + string_bytes(m.dos_path) + string_bytes(base_name);
}

uint16_t obsolete_count(const LoadedModule& m) {
  return m.pinned ? 0xFFFF : static_cast<uint16_t>(std::min<uint32_t>(m.load_count, 0xFFFE));
}

// Fills the entry at addr for m; its strings go to *strings, which advances past them.
void fill_entry(uint64_t addr, LoadedModule& m, const std::u16string& base_name, uint64_t& strings,
                int64_t now, uint32_t reason) {
  auto put_string = [&](nt::UNICODE_STRING& us, const std::u16string& s) {
    memcpy(reinterpret_cast<void*>(strings), s.data(), s.size() * 2);
    us.Length = static_cast<uint16_t>(s.size() * 2);
    us.MaximumLength = static_cast<uint16_t>(s.size() * 2 + 2);
    us.Buffer = strings;
    strings += string_bytes(s);
  };
  auto& e = *reinterpret_cast<LDR_DATA_TABLE_ENTRY*>(addr);
  e.DllBase = m.base();
  e.EntryPoint = m.entry;
  e.SizeOfImage = static_cast<uint32_t>(m.size());
  put_string(e.FullDllName, m.dos_path);
  put_string(e.BaseDllName, base_name);
  e.Flags = (m.is_dll ? LDRP_IMAGE_DLL : 0) | (m.initialized ? LDRP_PROCESS_ATTACH_CALLED : 0) |
            LDRP_ENTRY_PROCESSED;
  e.ObsoleteLoadCount = obsolete_count(m);
  e.TlsIndex = m.tls.present ? static_cast<uint16_t>(m.tls.index) : 0;
  list_init(e.HashLinks, addr + offsetof(LDR_DATA_TABLE_ENTRY, HashLinks));
  list_init(e.NodeModuleLink, addr + offsetof(LDR_DATA_TABLE_ENTRY, NodeModuleLink));
  list_init(e.InInitializationOrderLinks,
            addr + offsetof(LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks));
  e.TimeDateStamp = m.time_date_stamp;
  e.OriginalBase = m.base() - m.image.delta;
  e.LoadTime = now;
  e.BaseNameHashValue = ldr_name_hash(base_name);
  e.LoadReason = reason;
  e.ReferenceCount = m.pinned ? 1 : m.load_count;
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
  const int64_t now = current_system_time();
  for (size_t i = 0; i < load_order.size(); ++i) {
    LoadedModule* m = load_order[i];
    const uint64_t addr = base + sizeof(PEB_LDR_DATA) + i * sizeof(LDR_DATA_TABLE_ENTRY);
    fill_entry(addr, *m, base_names[i], strings, now, LoadReasonStaticDependency);
    list_append(load_head, addr + offsetof(LDR_DATA_TABLE_ENTRY, InLoadOrderLinks));
    list_append(memory_head, addr + offsetof(LDR_DATA_TABLE_ENTRY, InMemoryOrderLinks));
    m->ldr_entry = addr;
  }
  for (LoadedModule* m : modules.in_initialization_order())
    if (m->is_dll && m->ldr_entry)
      list_append(init_head,
                  m->ldr_entry + offsetof(LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks));
  ldr_address = base;
  g_ldr = base;
  return LoadStatus::success();
}

LoadStatus append_ldr_entry(LoadedModule& m) {
  if (!g_ldr || m.ldr_entry) return LoadStatus::success();
  const std::u16string base_name = utf8_to_utf16(m.name);
  const uint64_t addr = allocate_windows_memory(entry_allocation(m, base_name));
  if (!addr) return LoadStatus::failure(nt::STATUS_NO_MEMORY, "no memory for a PEB.Ldr entry");
  uint64_t strings = addr + sizeof(LDR_DATA_TABLE_ENTRY);
  fill_entry(addr, m, base_name, strings, current_system_time(),
             m.dynamic_load ? LoadReasonDynamicLoad : LoadReasonStaticDependency);
  list_append(g_ldr + offsetof(PEB_LDR_DATA, InLoadOrderModuleList),
              addr + offsetof(LDR_DATA_TABLE_ENTRY, InLoadOrderLinks));
  list_append(g_ldr + offsetof(PEB_LDR_DATA, InMemoryOrderModuleList),
              addr + offsetof(LDR_DATA_TABLE_ENTRY, InMemoryOrderLinks));
  m.ldr_entry = addr;
  m.ldr_entry_allocated = true;
  return LoadStatus::success();
}

void mark_ldr_entry_attached(LoadedModule& m) {
  if (!g_ldr || !m.ldr_entry) return;
  auto& e = *reinterpret_cast<LDR_DATA_TABLE_ENTRY*>(m.ldr_entry);
  e.Flags |= LDRP_PROCESS_ATTACH_CALLED;
  list_append(g_ldr + offsetof(PEB_LDR_DATA, InInitializationOrderModuleList),
              m.ldr_entry + offsetof(LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks));
}

void update_ldr_entry_count(const LoadedModule& m) {
  if (!m.ldr_entry) return;
  auto& e = *reinterpret_cast<LDR_DATA_TABLE_ENTRY*>(m.ldr_entry);
  e.ObsoleteLoadCount = obsolete_count(m);
  e.ReferenceCount = m.pinned ? 1 : m.load_count;
}

void remove_ldr_entry(LoadedModule& m) {
  if (!m.ldr_entry) return;
  for (size_t link : {offsetof(LDR_DATA_TABLE_ENTRY, InLoadOrderLinks),
                      offsetof(LDR_DATA_TABLE_ENTRY, InMemoryOrderLinks),
                      offsetof(LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks)})
    list_unlink(m.ldr_entry + link);
  // Entries of the start-up block share its allocation; only appended ones are freed.
  if (m.ldr_entry_allocated)
    free_windows_memory(m.ldr_entry, entry_allocation(m, utf8_to_utf16(m.name)));
  m.ldr_entry = 0;
  m.ldr_entry_allocated = false;
}

}  // namespace ireactor::loader
