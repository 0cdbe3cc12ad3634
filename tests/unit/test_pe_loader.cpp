// The PE loader on real mingw-built images (tests/pe/loader): ldrtest_probe.exe imports
// ldrtest_lib.dll by name, by ordinal and through forwarders into ldrtest_fwd.dll, has base
// relocations, a TLS directory with two callbacks and exports probes the test calls directly
// (MS x64 ABI, no system calls). Also: bad images, missing DLLs and exports.
#include <asm/prctl.h>
#include <doctest/doctest.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "function_tables.h"
#include "ireactor/process.h"
#include "ireactor/win/ldr_data.h"
#include "module_init.h"
#include "pe_file.h"
#include "pe_loader.h"
#include "peb_builder.h"
#include "thread_environment.h"

using namespace ireactor;
using namespace ireactor::loader;
namespace fs = std::filesystem;

namespace {

using IntFn0 = int(__attribute__((ms_abi)) *)();
using IntFn1 = int(__attribute__((ms_abi)) *)(int);
using IntFn2 = int(__attribute__((ms_abi)) *)(int, int);
using IntFn3 = int(__attribute__((ms_abi)) *)(int, int, int);
using PtrFn0 = void*(__attribute__((ms_abi)) *)();
using PtrFn1 = void*(__attribute__((ms_abi)) *)(int);
using VoidFn1 = void(__attribute__((ms_abi)) *)(int);

constexpr uint64_t kProbePreferredBase = 0x140000000;

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

void write_bytes(const std::string& path, const std::vector<uint8_t>& data) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

// Unloads whatever a test loaded, so each test starts from an empty module list.
struct ModulesGuard {
  ~ModulesGuard() {
    std::vector<LoadedModule*> all = loaded_modules().in_load_order();
    for (auto it = all.rbegin(); it != all.rend(); ++it) unload_module(*it);
  }
};

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/ireactor-loader-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return path + "/" + name; }
};

PeLoader probe_loader(const std::string& dir = LDRTEST_DIR, const std::string& system32 = "") {
  LoaderConfig c;
  c.app_dir = SearchDir{dir, u"C:\\test\\"};
  if (!system32.empty()) c.system32 = SearchDir{system32, u"C:\\Windows\\System32\\"};
  return PeLoader(c);
}

LoadedModule* load_probe(PeLoader& loader, const std::string& path = LDRTEST_PROBE) {
  LoadedModule* m = nullptr;
  LoadStatus st = loader.load_image(path, u"C:\\test\\ldrtest_probe.exe", m);
  INFO(st.message);
  REQUIRE(st.ok());
  REQUIRE(m != nullptr);
  return m;
}

template <class Fn>
Fn exported(const LoadedModule* m, const char* name) {
  ExportTarget t;
  REQUIRE_MESSAGE(m->exports.find_name(name, 0, t), name);
  REQUIRE(t.forwarder.empty());
  return reinterpret_cast<Fn>(t.address);
}

// The permissions /proc/self/maps shows for the mapping containing addr ("r-xp"...).
std::string maps_perms(uint64_t addr) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    uint64_t lo, hi;
    char perms[5] = {};
    if (sscanf(line.c_str(), "%lx-%lx %4s", &lo, &hi, perms) == 3 && addr >= lo && addr < hi)
      return perms;
  }
  return "";
}

std::string expected_perms(uint32_t characteristics) {
  using namespace win;
  std::string p = "---p";
  if (characteristics & (IMAGE_SCN_MEM_READ | IMAGE_SCN_MEM_WRITE | IMAGE_SCN_MEM_EXECUTE))
    p[0] = 'r';
  if (characteristics & IMAGE_SCN_MEM_WRITE) p[1] = 'w';
  if (characteristics & IMAGE_SCN_MEM_EXECUTE) p[2] = 'x';
  return p;
}

uint32_t rva_to_offset(const PeFile& pe, uint32_t rva) {
  for (const auto& s : pe.sections)
    if (rva >= s.VirtualAddress && rva < s.VirtualAddress + PeFile::virtual_size(s))
      return rva - s.VirtualAddress + s.PointerToRawData;
  FAIL("RVA outside every section");
  return 0;
}

// Replaces the first occurrence of `from` (NUL included) in data by `to` (same length).
void patch_string(std::vector<uint8_t>& data, const std::string& from, const std::string& to) {
  REQUIRE(from.size() == to.size());
  const std::string needle = from + '\0';
  auto it = std::search(data.begin(), data.end(), needle.begin(), needle.end());
  REQUIRE(it != data.end());
  std::copy(to.begin(), to.end(), it);
}

// A directory holding copies of the probe and both DLLs, for tests that damage one of them.
struct ProbeCopy {
  TempDir dir;
  ProbeCopy() {
    fs::copy_file(LDRTEST_PROBE, dir / "ldrtest_probe.exe");
    fs::copy_file(LDRTEST_LIB, dir / "ldrtest_lib.dll");
    fs::copy_file(LDRTEST_FWD, dir / "ldrtest_fwd.dll");
  }
};

// Runs fn on a fresh thread whose GS points at a Windows TEB (with TLS for the loaded modules).
template <class Fn>
void on_windows_thread(Fn fn) {
  std::thread t([&] {
    WindowsThread wt;
    LoadStatus st = create_windows_thread(ThreadInput{.pid = current_process().pid,
                                                      .tid = static_cast<uint32_t>(gettid()),
                                                      .stack_size = 256 * 1024,
                                                      .modules = &loaded_modules()},
                                          wt);
    REQUIRE(st.ok());
    REQUIRE(syscall(SYS_arch_prctl, ARCH_SET_GS, wt.teb) == 0);
    fn(wt);
    syscall(SYS_arch_prctl, ARCH_SET_GS, 0);
    free_windows_thread(wt);
  });
  t.join();
}

}  // namespace

TEST_CASE("the probe maps at its preferred base with each section's protection") {
  ModulesGuard guard;
  PeLoader loader = probe_loader();
  LoadedModule* m = load_probe(loader);
  CHECK(m->base() == kProbePreferredBase);
  CHECK(m->image.delta == 0);
  CHECK_FALSE(m->is_dll);
  CHECK(m->entry != 0);

  PeFile pe;
  REQUIRE(read_pe_file(LDRTEST_PROBE, pe).ok());
  AddressSpace& as = current_process().address_space;
  std::optional<Region> headers = as.find(m->base());
  REQUIRE(headers);
  CHECK(headers->protect == PAGE_READONLY);
  CHECK(headers->type == MEM_IMAGE);
  CHECK(maps_perms(m->base()) == "r--p");
  int text_sections = 0, data_sections = 0;
  for (const auto& s : pe.sections) {
    const std::string name = PeFile::section_name(s);
    CAPTURE(name);
    const uint64_t addr = m->base() + s.VirtualAddress;
    std::optional<Region> r = as.find(addr);
    REQUIRE(r);
    CHECK(r->type == MEM_IMAGE);
    CHECK(r->state == MEM_COMMIT);
    CHECK(r->allocation_base == m->base());
    CHECK(r->allocation_protect == PAGE_EXECUTE_WRITECOPY);
    CHECK(r->protect == section_page_protection(s.Characteristics));
    CHECK(maps_perms(addr) == expected_perms(s.Characteristics));
    if (name == ".text") {
      ++text_sections;
      CHECK(r->protect == PAGE_EXECUTE_READ);
    }
    if (name == ".data") {
      ++data_sections;
      CHECK(r->protect == PAGE_WRITECOPY);
    }
    if (name == ".rdata") CHECK(r->protect == PAGE_READONLY);
  }
  CHECK(text_sections == 1);
  CHECK(data_sections == 1);
  // The in-memory headers show the actual base.
  const auto* dos = reinterpret_cast<const win::IMAGE_DOS_HEADER*>(m->base());
  uint64_t image_base_field;
  memcpy(&image_base_field,
         reinterpret_cast<const uint8_t*>(m->base()) + dos->e_lfanew +
             offsetof(win::IMAGE_NT_HEADERS64, OptionalHeader.ImageBase),
         8);
  CHECK(image_base_field == m->base());
}

TEST_CASE("imports resolve by name, by ordinal and through forwarders") {
  ModulesGuard guard;
  PeLoader loader = probe_loader();
  LoadedModule* m = load_probe(loader);
  LoadedModule* lib = loaded_modules().find("ldrtest_lib");
  LoadedModule* fwd = loaded_modules().find("LDRTEST_FWD.DLL");
  REQUIRE(lib != nullptr);
  REQUIRE(fwd != nullptr);  // loaded only because a forwarder names it
  CHECK(loaded_modules().size() == 3);
  CHECK(std::find(m->imports.begin(), m->imports.end(), fwd) != m->imports.end());

  CHECK(exported<IntFn2>(m, "probe_add")(2, 3) == 5);
  CHECK(exported<IntFn0>(m, "probe_secret")() == 0x5EC2E7);
  CHECK(exported<IntFn1>(m, "probe_forwarded")(4) == 13);
  CHECK(exported<IntFn1>(m, "probe_forwarded_ord")(105) == 5);
  CHECK(exported<IntFn3>(m, "probe_lib_indirect")(0, 7, 2) == 9);
  CHECK(exported<IntFn3>(m, "probe_lib_indirect")(1, 7, 2) == 5);

  // The same resolution through the loader's API.
  uint64_t a = 0, b = 0;
  REQUIRE(loader.resolve_export(*lib, "lib_forwarded", 0, a).ok());
  ExportTarget target;
  REQUIRE(fwd->exports.find_name("fwd_target", 0, target));
  CHECK(a == target.address);
  REQUIRE(loader.resolve_ordinal(*lib, 11, b).ok());
  REQUIRE(fwd->exports.find_ordinal(5, target));
  CHECK(b == target.address);
  REQUIRE(loader.resolve_ordinal(*lib, 7, a).ok());
  REQUIRE(lib->exports.find_ordinal(7, target));
  CHECK(a == target.address);
  CHECK_FALSE(lib->exports.find_name("lib_secret", 0, target));  // NONAME: no name
}

TEST_CASE("base relocations are applied when the preferred base is taken") {
  ModulesGuard guard;
  void* blocker = mmap(reinterpret_cast<void*>(kProbePreferredBase), 0x10000, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  REQUIRE(blocker == reinterpret_cast<void*>(kProbePreferredBase));
  // The DLL's preferred base too, so its own pointer table needs relocating.
  PeFile lib_pe;
  REQUIRE(read_pe_file(LDRTEST_LIB, lib_pe).ok());
  void* lib_blocker = mmap(reinterpret_cast<void*>(lib_pe.opt().ImageBase), 0x10000, PROT_NONE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  REQUIRE(lib_blocker == reinterpret_cast<void*>(lib_pe.opt().ImageBase));

  PeLoader loader = probe_loader();
  LoadedModule* m = load_probe(loader);
  LoadedModule* lib = loaded_modules().find("ldrtest_lib.dll");
  REQUIRE(lib);
  CHECK(m->base() != kProbePreferredBase);
  CHECK(m->base() % kAllocationGranularity == 0);
  CHECK(m->image.delta == static_cast<int64_t>(m->base() - kProbePreferredBase));
  CHECK(lib->base() != lib_pe.opt().ImageBase);

  CHECK(exported<IntFn2>(m, "probe_reloc")(0, 21) == 42);
  CHECK(exported<IntFn2>(m, "probe_reloc")(1, 5) == 25);
  CHECK(exported<PtrFn1>(m, "probe_table_entry")(0) ==
        exported<PtrFn0>(m, "probe_twice_address")());
  CHECK(exported<IntFn3>(m, "probe_lib_indirect")(1, 9, 4) == 5);
  CHECK(exported<IntFn2>(m, "probe_add")(40, 2) == 42);

  munmap(blocker, 0x10000);
  munmap(lib_blocker, 0x10000);
}

TEST_CASE("TLS: the index is written and every thread gets its own block from the template") {
  ModulesGuard guard;
  PeLoader loader = probe_loader();
  LoadedModule* m = load_probe(loader);
  REQUIRE(m->tls.present);
  CHECK(exported<IntFn0>(m, "probe_tls_index")() == static_cast<int>(m->tls.index));
  CHECK(m->tls.callbacks != 0);

  auto get = exported<IntFn0>(m, "probe_tls_get");
  auto set = exported<VoidFn1>(m, "probe_tls_set");
  auto tag = exported<IntFn1>(m, "probe_tls_tag_char");
  on_windows_thread([&](WindowsThread& first) {
    REQUIRE(first.tls.vector != 0);
    CHECK(get() == 1234);
    CHECK(tag(0) == 'p');
    CHECK(tag(4) == 'e');
    set(99);
    CHECK(get() == 99);
    // Another thread's block starts from the untouched template.
    on_windows_thread([&](WindowsThread&) {
      CHECK(get() == 1234);
      set(7);
    });
    CHECK(get() == 99);
  });
}

TEST_CASE("initialisation runs DllMain and the TLS callbacks with DLL_PROCESS_ATTACH, once") {
  ModulesGuard guard;
  PeLoader loader = probe_loader();
  LoadedModule* m = load_probe(loader);
  CHECK(exported<IntFn0>(m, "probe_callback_count")() == 0);
  CHECK(exported<IntFn0>(m, "probe_lib_attach_count")() == 0);
  on_windows_thread([&](WindowsThread& t) {
    LoadStatus st = initialize_modules(loaded_modules(), t.stack_base);
    INFO(st.message);
    REQUIRE(st.ok());
    CHECK(exported<IntFn0>(m, "probe_lib_attach_count")() == 1);
    CHECK(exported<IntFn0>(m, "probe_lib_attach_reason")() == 1);
    CHECK(exported<PtrFn0>(m, "probe_lib_attach_reserved")() != nullptr);
    auto log = exported<IntFn1>(m, "probe_callback_log");
    CHECK(exported<IntFn0>(m, "probe_callback_count")() == 2);
    CHECK(log(0) == 0x101);  // first callback, DLL_PROCESS_ATTACH
    CHECK(log(1) == 0x201);  // then the second
    CHECK(exported<PtrFn0>(m, "probe_callback_handle")() == reinterpret_cast<void*>(m->base()));
    REQUIRE(initialize_modules(loaded_modules(), t.stack_base).ok());
    CHECK(exported<IntFn0>(m, "probe_callback_count")() == 2);
    CHECK(exported<IntFn0>(m, "probe_lib_attach_count")() == 1);
  });
  std::vector<LoadedModule*> order = loaded_modules().in_initialization_order();
  REQUIRE(order.size() == 3);
  CHECK(order.back() == m);  // the executable last, after the DLLs it imports
}

TEST_CASE("the exception directory is registered for lookup by PC") {
  ModulesGuard guard;
  PeLoader loader = probe_loader();
  LoadedModule* m = load_probe(loader);
  const uint64_t pc = reinterpret_cast<uint64_t>(exported<IntFn2>(m, "probe_add"));
  std::optional<FunctionTable> table = function_table_for(pc);
  REQUIRE(table);
  CHECK(table->image_base == m->base());
  CHECK(table->count > 0);
  std::optional<FunctionEntry> e = lookup_function_entry(pc + 1);
  REQUIRE(e);
  CHECK(e->image_base == m->base());
  CHECK(e->function.BeginAddress == pc - m->base());
  CHECK(pc + 1 - m->base() < e->function.EndAddress);
  CHECK_FALSE(lookup_function_entry(m->base()));  // the headers are no function
  unload_module(m);
  CHECK_FALSE(function_table_for(pc));
}

TEST_CASE("PEB.Ldr lists the modules as Windows does") {
  ModulesGuard guard;
  PeLoader loader = probe_loader();
  LoadedModule* m = load_probe(loader);
  uint64_t ldr_addr = 0;
  REQUIRE(build_ldr_data(loaded_modules(), ldr_addr).ok());
  auto& ldr = *reinterpret_cast<win::PEB_LDR_DATA*>(ldr_addr);
  CHECK(ldr.Length == sizeof(win::PEB_LDR_DATA));
  CHECK(ldr.Initialized == 1);
  std::vector<std::u16string> names;
  const uint64_t head = ldr_addr + offsetof(win::PEB_LDR_DATA, InLoadOrderModuleList);
  for (uint64_t link = ldr.InLoadOrderModuleList.Flink; link != head;
       link = reinterpret_cast<win::LIST_ENTRY*>(link)->Flink) {
    auto& e = *reinterpret_cast<win::LDR_DATA_TABLE_ENTRY*>(link);
    names.emplace_back(reinterpret_cast<const char16_t*>(e.BaseDllName.Buffer),
                       e.BaseDllName.Length / 2);
    if (names.size() == 1) {
      CHECK(e.DllBase == m->base());
      CHECK(e.EntryPoint == m->entry);
      CHECK(e.SizeOfImage == m->size());
      CHECK(std::u16string(reinterpret_cast<const char16_t*>(e.FullDllName.Buffer),
                           e.FullDllName.Length / 2) == u"C:\\test\\ldrtest_probe.exe");
    }
  }
  CHECK(names ==
        std::vector<std::u16string>{u"ldrtest_probe.exe", u"ldrtest_lib.dll", u"ldrtest_fwd.dll"});
  // Initialisation order: DLLs only.
  int init_count = 0;
  const uint64_t init_head =
      ldr_addr + offsetof(win::PEB_LDR_DATA, InInitializationOrderModuleList);
  for (uint64_t link = ldr.InInitializationOrderModuleList.Flink; link != init_head;
       link = reinterpret_cast<win::LIST_ENTRY*>(link)->Flink) {
    auto& e = *reinterpret_cast<win::LDR_DATA_TABLE_ENTRY*>(
        link - offsetof(win::LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks));
    CHECK(e.DllBase != m->base());
    ++init_count;
  }
  CHECK(init_count == 2);
  CHECK(ldr_name_hash(u"ntdll.dll") == ldr_name_hash(u"NTDLL.DLL"));
}

TEST_CASE("DLL names are matched case-insensitively in the executable's directory") {
  ModulesGuard guard;
  ProbeCopy copy;
  fs::rename(copy.dir / "ldrtest_lib.dll", copy.dir / "LdrTest_Lib.DLL");
  PeLoader loader = probe_loader(copy.dir.path);
  LoadedModule* m = load_probe(loader, copy.dir / "ldrtest_probe.exe");
  CHECK(exported<IntFn2>(m, "probe_add")(1, 1) == 2);
  LoadedModule* lib = loaded_modules().find("ldrtest_lib.dll");
  REQUIRE(lib);
  CHECK(lib->name == "LdrTest_Lib.DLL");
  CHECK(lib->dos_path == u"C:\\test\\LdrTest_Lib.DLL");
}

TEST_CASE("a missing DLL is STATUS_DLL_NOT_FOUND naming it, and nothing stays loaded") {
  ModulesGuard guard;
  ProbeCopy copy;
  fs::remove(copy.dir / "ldrtest_lib.dll");
  PeLoader loader = probe_loader(copy.dir.path);
  LoadedModule* m = nullptr;
  LoadStatus st = loader.load_image(copy.dir / "ldrtest_probe.exe", u"C:\\p.exe", m);
  CHECK(st.status == nt::STATUS_DLL_NOT_FOUND);
  CHECK(st.message.find("ldrtest_lib.dll") != std::string::npos);
  CHECK(st.message.find("ldrtest_probe.exe") != std::string::npos);
  CHECK(loaded_modules().size() == 0);
  CHECK_FALSE(current_process().address_space.find(kProbePreferredBase));
  CHECK(maps_perms(kProbePreferredBase).empty());

  // A forwarder to a DLL that is not there fails the same way.
  fs::copy_file(LDRTEST_LIB, copy.dir / "ldrtest_lib.dll");
  fs::remove(copy.dir / "ldrtest_fwd.dll");
  st = loader.load_image(copy.dir / "ldrtest_probe.exe", u"C:\\p.exe", m);
  CHECK(st.status == nt::STATUS_DLL_NOT_FOUND);
  CHECK(st.message.find("ldrtest_fwd.dll") != std::string::npos);
  CHECK(loaded_modules().size() == 0);
}

TEST_CASE("DLL search: the application's directory, then system32, then the later directories") {
  ModulesGuard guard;
  ProbeCopy copy;
  TempDir sys, later;
  // ldrtest_fwd.dll only in system32; ldrtest_lib.dll in both: the application's copy wins.
  fs::rename(copy.dir / "ldrtest_fwd.dll", sys / "ldrtest_fwd.dll");
  fs::copy_file(LDRTEST_LIB, sys / "ldrtest_lib.dll");
  PeLoader loader = probe_loader(copy.dir.path, sys.path);
  load_probe(loader, copy.dir / "ldrtest_probe.exe");
  LoadedModule* lib = loaded_modules().find("ldrtest_lib.dll");
  LoadedModule* fwd = loaded_modules().find("ldrtest_fwd.dll");
  REQUIRE(lib);
  REQUIRE(fwd);
  CHECK(lib->host_path == copy.dir / "ldrtest_lib.dll");
  CHECK(lib->dos_path == u"C:\\test\\ldrtest_lib.dll");
  CHECK(fwd->host_path == sys / "ldrtest_fwd.dll");
  CHECK(fwd->dos_path == u"C:\\Windows\\System32\\ldrtest_fwd.dll");
  for (LoadedModule* m : loaded_modules().in_load_order()) unload_module(m);

  // Neither there: a later directory (the current directory, PATH) is searched last.
  fs::remove(sys / "ldrtest_fwd.dll");
  fs::copy_file(LDRTEST_FWD, later / "ldrtest_fwd.dll");
  LoaderConfig c = loader.config();
  c.later_dirs = {SearchDir{later.path, u"D:\\later\\"}};
  PeLoader with_later(c);
  load_probe(with_later, copy.dir / "ldrtest_probe.exe");
  fwd = loaded_modules().find("ldrtest_fwd.dll");
  REQUIRE(fwd);
  CHECK(fwd->dos_path == u"D:\\later\\ldrtest_fwd.dll");
}

TEST_CASE("DLL search: ntdll.dll is always ours and API set names stand for their host") {
  ModulesGuard guard;
  TempDir app, sys;
  fs::copy_file(LDRTEST_LIB, app / "ntdll.dll");
  fs::copy_file(LDRTEST_LIB, sys / "ntdll.dll");
  LoaderConfig c;
  c.app_dir = SearchDir{app.path, u"C:\\app\\"};
  c.system32 = SearchDir{sys.path, u"C:\\Windows\\System32\\"};
  c.ntdll_path = app / "missing-ntdll.dll";
  PeLoader loader(c);
  LoadedModule* m = nullptr;
  LoadStatus st = loader.load_dll("ntdll.dll", m);
  CHECK(st.status == nt::STATUS_DLL_NOT_FOUND);  // not the files named ntdll.dll
  CHECK(st.message.find("missing-ntdll.dll") != std::string::npos);

  fs::copy_file(LDRTEST_FWD, sys / "kernelbase.dll");
  st = loader.load_dll("API-MS-Win-Core-Synch-L1-2-0.dll", m);
  INFO(st.message);
  REQUIRE(st.ok());
  CHECK(m->name == "kernelbase.dll");
  CHECK(m->dos_path == u"C:\\Windows\\System32\\kernelbase.dll");
  st = loader.load_dll("api-ms-win-crt-runtime-l1-1-0", m);
  CHECK(st.status == nt::STATUS_DLL_NOT_FOUND);
  CHECK(st.message.find("ucrtbase.dll") != std::string::npos);
}

TEST_CASE("DOS paths map through system32 and the drives, never out of them") {
  LoaderConfig c;
  c.system32 = SearchDir{"/sys32", u"C:\\Windows\\System32\\"};
  c.drives[2] = "/c";
  c.drives[3] = "/d/";
  PeLoader loader(c);
  CHECK(loader.host_path_of(u"C:\\windows\\SYSTEM32\\kernel32.dll") == "/sys32/kernel32.dll");
  CHECK(loader.host_path_of(u"\\??\\C:\\dir\\x.dll") == "/c/dir/x.dll");
  CHECK(loader.host_path_of(u"d:\\x.dll") == "/d/x.dll");
  CHECK_FALSE(loader.host_path_of(u"E:\\x.dll"));
  CHECK_FALSE(loader.host_path_of(u"C:\\dir\\..\\..\\etc\\passwd"));
  CHECK_FALSE(loader.host_path_of(u"C:\\.\\x.dll"));
  CHECK_FALSE(loader.host_path_of(u"C:x.dll"));
  CHECK_FALSE(loader.host_path_of(u"\\\\server\\share\\x.dll"));
}

TEST_CASE("a missing export is STATUS_ENTRYPOINT_NOT_FOUND / STATUS_ORDINAL_NOT_FOUND naming it") {
  ModulesGuard guard;
  SUBCASE("by name") {
    ProbeCopy copy;
    std::vector<uint8_t> dll = read_bytes(LDRTEST_LIB);
    patch_string(dll, "lib_add", "lib_adX");
    write_bytes(copy.dir / "ldrtest_lib.dll", dll);
    PeLoader loader = probe_loader(copy.dir.path);
    LoadedModule* m = nullptr;
    LoadStatus st = loader.load_image(copy.dir / "ldrtest_probe.exe", u"C:\\p.exe", m);
    CHECK(st.status == nt::STATUS_ENTRYPOINT_NOT_FOUND);
    CHECK(st.message.find("lib_add ") != std::string::npos);
    CHECK(st.message.find("ldrtest_lib.dll") != std::string::npos);
    CHECK(loaded_modules().size() == 0);
  }
  SUBCASE("by ordinal") {
    ProbeCopy copy;
    std::vector<uint8_t> dll = read_bytes(LDRTEST_LIB);
    PeFile pe;
    REQUIRE(parse_pe(dll, "lib", pe).ok());
    const auto& dir = pe.directory(win::IMAGE_DIRECTORY_ENTRY_EXPORT);
    win::IMAGE_EXPORT_DIRECTORY ed;
    memcpy(&ed, dll.data() + rva_to_offset(pe, dir.VirtualAddress), sizeof ed);
    const uint32_t slot = rva_to_offset(pe, ed.AddressOfFunctions) + (7 - ed.Base) * 4;
    memset(dll.data() + slot, 0, 4);  // ordinal 7 (lib_secret) no longer exported
    write_bytes(copy.dir / "ldrtest_lib.dll", dll);
    PeLoader loader = probe_loader(copy.dir.path);
    LoadedModule* m = nullptr;
    LoadStatus st = loader.load_image(copy.dir / "ldrtest_probe.exe", u"C:\\p.exe", m);
    CHECK(st.status == nt::STATUS_ORDINAL_NOT_FOUND);
    CHECK(st.message.find("ordinal 7 ") != std::string::npos);
    CHECK(st.message.find("ldrtest_lib.dll") != std::string::npos);
    CHECK(loaded_modules().size() == 0);
  }
  SUBCASE("through a forwarder") {
    ProbeCopy copy;
    std::vector<uint8_t> dll = read_bytes(LDRTEST_FWD);
    patch_string(dll, "fwd_target", "fwd_targeX");
    write_bytes(copy.dir / "ldrtest_fwd.dll", dll);
    PeLoader loader = probe_loader(copy.dir.path);
    LoadedModule* m = nullptr;
    LoadStatus st = loader.load_image(copy.dir / "ldrtest_probe.exe", u"C:\\p.exe", m);
    CHECK(st.status == nt::STATUS_ENTRYPOINT_NOT_FOUND);
    CHECK(st.message.find("fwd_target") != std::string::npos);
    CHECK(st.message.find("forwarded from ldrtest_lib.dll!lib_forwarded") != std::string::npos);
    CHECK(loaded_modules().size() == 0);
  }
}

TEST_CASE("bad images are refused with STATUS_INVALID_IMAGE_FORMAT and a reason") {
  const std::vector<uint8_t> good = read_bytes(LDRTEST_PROBE);
  PeFile pe;
  REQUIRE(parse_pe(good, "probe", pe).ok());
  const uint32_t nt_off =
      static_cast<uint32_t>(reinterpret_cast<const win::IMAGE_DOS_HEADER*>(good.data())->e_lfanew);
  const uint32_t sect_off =
      nt_off + 4 + sizeof(win::IMAGE_FILE_HEADER) + pe.nt.FileHeader.SizeOfOptionalHeader;

  auto refused = [&](std::vector<uint8_t> bytes, const char* reason) {
    PeFile out;
    LoadStatus st = parse_pe(std::move(bytes), "bad.exe", out);
    CAPTURE(st.message);
    CHECK(st.status == nt::STATUS_INVALID_IMAGE_FORMAT);
    CHECK(st.message.find("bad.exe") != std::string::npos);
    CHECK(st.message.find(reason) != std::string::npos);
  };
  auto with = [&](auto&& mutate) {
    std::vector<uint8_t> b = good;
    mutate(b);
    return b;
  };
  refused(with([](auto& b) { b[0] = 'Z'; }), "MZ");
  refused(with([&](auto& b) { b[nt_off] = 'X'; }), "PE signature");
  refused(with([&](auto& b) {
            const uint16_t i386 = 0x14c;
            memcpy(b.data() + nt_off + 4, &i386, 2);
          }),
          "not AMD64");
  refused(with([&](auto& b) {
            const uint16_t pe32 = 0x10b;
            memcpy(b.data() + nt_off + 0x18, &pe32, 2);
          }),
          "PE32+");
  refused(std::vector<uint8_t>(good.begin(), good.begin() + 0x30), "too small");
  refused(std::vector<uint8_t>(good.begin(), good.begin() + nt_off + 0x40), "truncated");
  refused(std::vector<uint8_t>(good.begin(), good.begin() + sect_off + 8), "truncated");
  // Headers intact, section data cut off.
  refused(std::vector<uint8_t>(good.begin(), good.begin() + pe.opt().SizeOfHeaders + 0x10),
          "outside the file");
  refused(with([&](auto& b) {
            const uint32_t far = 0x7FFFFFF0;
            memcpy(b.data() + sect_off + offsetof(win::IMAGE_SECTION_HEADER, PointerToRawData),
                   &far, 4);
          }),
          "outside the file");
  refused(with([&](auto& b) {
            const uint32_t huge = 0x10000000;
            memcpy(b.data() + sect_off + offsetof(win::IMAGE_SECTION_HEADER, VirtualSize), &huge,
                   4);
          }),
          "outside the image");

  // Through the loader: a file that is no PE at all, and nothing stays mapped.
  ModulesGuard guard;
  TempDir dir;
  std::ofstream(dir / "text.exe") << "just some text, not an executable";
  PeLoader loader = probe_loader(dir.path);
  LoadedModule* m = nullptr;
  LoadStatus st = loader.load_image(dir / "text.exe", u"C:\\text.exe", m);
  CHECK(st.status == nt::STATUS_INVALID_IMAGE_FORMAT);
  CHECK(st.message.find("text.exe") != std::string::npos);
  CHECK(loaded_modules().size() == 0);
  st = loader.load_image(dir / "absent.exe", u"C:\\absent.exe", m);
  CHECK(st.status == nt::STATUS_OBJECT_NAME_NOT_FOUND);
}
