// Windows structures as the runtime builds them: layouts (offsets Windows code hard-codes), the
// process parameters, PEB, TEB and stack, the command line, the environment block and
// KUSER_SHARED_DATA at 0x7ffe0000 with live time.
#include <doctest/doctest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include "command_line.h"
#include "ireactor/process.h"
#include "ireactor/system/nt_time.h"
#include "ireactor/user_memory.h"
#include "ireactor/win/kuser_shared_data.h"
#include "ireactor/win/ldr_data.h"
#include "ireactor/win/peb.h"
#include "ireactor/win/process_parameters.h"
#include "ireactor/win/teb.h"
#include "peb_builder.h"
#include "process_parameters_builder.h"
#include "shared_user_data.h"
#include "thread_environment.h"
#include "windows_version.h"

using namespace ireactor;
using namespace ireactor::loader;
using namespace ireactor::win;

namespace {

std::u16string ustr(const nt::UNICODE_STRING& us) {
  return {reinterpret_cast<const char16_t*>(us.Buffer), us.Length / 2u};
}

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

}  // namespace

TEST_CASE("structure offsets are those Windows code uses") {
  // The members Windows code reads by fixed offset (gs:[0x30], gs:[0x60], PEB+0x20...).
  CHECK(offsetof(TEB, NtTib.ExceptionList) == 0x0);
  CHECK(offsetof(TEB, NtTib.StackBase) == 0x8);
  CHECK(offsetof(TEB, NtTib.StackLimit) == 0x10);
  CHECK(offsetof(TEB, NtTib.Self) == 0x30);
  CHECK(offsetof(TEB, EnvironmentPointer) == 0x38);
  CHECK(offsetof(TEB, ClientId) == 0x40);
  CHECK(offsetof(TEB, ThreadLocalStoragePointer) == 0x58);
  CHECK(offsetof(TEB, ProcessEnvironmentBlock) == 0x60);
  CHECK(offsetof(TEB, LastErrorValue) == 0x68);
  CHECK(offsetof(TEB, LastStatusValue) == 0x1250);
  CHECK(offsetof(TEB, DeallocationStack) == 0x1478);
  CHECK(offsetof(TEB, TlsSlots) == 0x1480);
  CHECK(offsetof(TEB, TlsExpansionSlots) == 0x1780);
  CHECK(offsetof(TEB, FlsData) == 0x17C8);
  CHECK(sizeof(TEB) == 0x1838);

  CHECK(offsetof(PEB, BeingDebugged) == 0x2);
  CHECK(offsetof(PEB, ImageBaseAddress) == 0x10);
  CHECK(offsetof(PEB, Ldr) == 0x18);
  CHECK(offsetof(PEB, ProcessParameters) == 0x20);
  CHECK(offsetof(PEB, ProcessHeap) == 0x30);
  CHECK(offsetof(PEB, NumberOfProcessors) == 0xB8);
  CHECK(offsetof(PEB, NtGlobalFlag) == 0xBC);
  CHECK(offsetof(PEB, OSMajorVersion) == 0x118);
  CHECK(offsetof(PEB, OSMinorVersion) == 0x11C);
  CHECK(offsetof(PEB, OSBuildNumber) == 0x120);
  CHECK(offsetof(PEB, OSPlatformId) == 0x124);
  CHECK(offsetof(PEB, ImageSubsystem) == 0x128);
  CHECK(offsetof(PEB, SessionId) == 0x2C0);
  CHECK(sizeof(PEB) == 0x7C8);

  CHECK(offsetof(RTL_USER_PROCESS_PARAMETERS, Flags) == 0x8);
  CHECK(offsetof(RTL_USER_PROCESS_PARAMETERS, ConsoleHandle) == 0x10);
  CHECK(offsetof(RTL_USER_PROCESS_PARAMETERS, StandardInput) == 0x20);
  CHECK(offsetof(RTL_USER_PROCESS_PARAMETERS, StandardOutput) == 0x28);
  CHECK(offsetof(RTL_USER_PROCESS_PARAMETERS, StandardError) == 0x30);
  CHECK(offsetof(RTL_USER_PROCESS_PARAMETERS, CurrentDirectory) == 0x38);
  CHECK(offsetof(RTL_USER_PROCESS_PARAMETERS, DllPath) == 0x50);
  CHECK(offsetof(RTL_USER_PROCESS_PARAMETERS, ImagePathName) == 0x60);
  CHECK(offsetof(RTL_USER_PROCESS_PARAMETERS, CommandLine) == 0x70);
  CHECK(offsetof(RTL_USER_PROCESS_PARAMETERS, Environment) == 0x80);
  CHECK(offsetof(RTL_USER_PROCESS_PARAMETERS, WindowTitle) == 0xB0);
  CHECK(offsetof(RTL_USER_PROCESS_PARAMETERS, DesktopInfo) == 0xC0);
  CHECK(offsetof(RTL_USER_PROCESS_PARAMETERS, ShellInfo) == 0xD0);
  CHECK(offsetof(RTL_USER_PROCESS_PARAMETERS, RuntimeData) == 0xE0);
  CHECK(offsetof(RTL_USER_PROCESS_PARAMETERS, EnvironmentSize) == 0x3F0);

  CHECK(offsetof(KUSER_SHARED_DATA, TickCountMultiplier) == 0x4);
  CHECK(offsetof(KUSER_SHARED_DATA, InterruptTime) == 0x8);
  CHECK(offsetof(KUSER_SHARED_DATA, SystemTime) == 0x14);
  CHECK(offsetof(KUSER_SHARED_DATA, TimeZoneBias) == 0x20);
  CHECK(offsetof(KUSER_SHARED_DATA, ImageNumberLow) == 0x2C);
  CHECK(offsetof(KUSER_SHARED_DATA, ImageNumberHigh) == 0x2E);
  CHECK(offsetof(KUSER_SHARED_DATA, NtSystemRoot) == 0x30);
  CHECK(offsetof(KUSER_SHARED_DATA, NtBuildNumber) == 0x260);
  CHECK(offsetof(KUSER_SHARED_DATA, NtProductType) == 0x264);
  CHECK(offsetof(KUSER_SHARED_DATA, ProductTypeIsValid) == 0x268);
  CHECK(offsetof(KUSER_SHARED_DATA, NtMajorVersion) == 0x26C);
  CHECK(offsetof(KUSER_SHARED_DATA, NtMinorVersion) == 0x270);
  CHECK(offsetof(KUSER_SHARED_DATA, ProcessorFeatures) == 0x274);
  CHECK(offsetof(KUSER_SHARED_DATA, QpcFrequency) == 0x300);
  CHECK(offsetof(KUSER_SHARED_DATA, TickCountQuad) == 0x320);
  CHECK(offsetof(KUSER_SHARED_DATA, Cookie) == 0x330);
  CHECK(offsetof(KUSER_SHARED_DATA, ActiveProcessorCount) == 0x3C0);

  CHECK(offsetof(PEB_LDR_DATA, InLoadOrderModuleList) == 0x10);
  CHECK(offsetof(PEB_LDR_DATA, InMemoryOrderModuleList) == 0x20);
  CHECK(offsetof(PEB_LDR_DATA, InInitializationOrderModuleList) == 0x30);
  CHECK(offsetof(LDR_DATA_TABLE_ENTRY, DllBase) == 0x30);
  CHECK(offsetof(LDR_DATA_TABLE_ENTRY, FullDllName) == 0x48);
  CHECK(offsetof(LDR_DATA_TABLE_ENTRY, BaseDllName) == 0x58);
}

TEST_CASE("the command line quotes arguments as the MS C runtime parses them") {
  CHECK(quote_command_line_argument(u"plain") == u"plain");
  CHECK(quote_command_line_argument(u"") == u"\"\"");
  CHECK(quote_command_line_argument(u"two words") == u"\"two words\"");
  CHECK(quote_command_line_argument(u"tab\there") == u"\"tab\there\"");
  CHECK(quote_command_line_argument(u"a\\b\\c") == u"a\\b\\c");  // backslashes stay literal
  CHECK(quote_command_line_argument(u"say \"hi\"") == u"\"say \\\"hi\\\"\"");
  CHECK(quote_command_line_argument(u"a\\\"b") == u"\"a\\\\\\\"b\"");  // a\"b → "a\\\"b"
  // A trailing backslash inside quotes is doubled so it does not escape the closing quote.
  CHECK(quote_command_line_argument(u"C:\\my dir\\") == u"\"C:\\my dir\\\\\"");
  CHECK(build_command_line({u"C:\\prog.exe", u"x y", u"z"}) == u"C:\\prog.exe \"x y\" z");
}

TEST_CASE("the environment block is NUL-separated and ends with an empty string") {
  CHECK(build_environment_block({u"A=1", u"PATH=C:\\x"}) ==
        std::u16string(u"A=1\0PATH=C:\\x\0\0", 15));
  CHECK(build_environment_block({}) == std::u16string(u"\0\0", 2));
  CHECK(build_environment_block({u"", u"B=2"}) == std::u16string(u"B=2\0\0", 5));
}

TEST_CASE("process parameters are normalized, self-contained and recorded") {
  ProcessParametersInput in;
  in.image_path = u"C:\\dir\\prog.exe";
  in.command_line = u"C:\\dir\\prog.exe \"a b\"";
  in.current_directory = u"C:\\dir";
  in.window_title = in.image_path;
  in.environment = {u"A=1", u"BB=22"};
  in.standard_input = 4;
  in.standard_output = 8;
  in.standard_error = 12;
  BuiltProcessParameters out;
  REQUIRE(build_process_parameters(in, out).ok());
  const auto& p = *reinterpret_cast<const RTL_USER_PROCESS_PARAMETERS*>(out.address);
  CHECK((p.Flags & RTL_USER_PROC_PARAMS_NORMALIZED) != 0);
  CHECK(p.Length == out.size);
  CHECK(p.MaximumLength == out.size);
  CHECK(ustr(p.ImagePathName) == in.image_path);
  CHECK(ustr(p.CommandLine) == in.command_line);
  CHECK(ustr(p.CurrentDirectory.DosPath) == u"C:\\dir\\");
  CHECK(p.CurrentDirectory.DosPath.MaximumLength >= 520);  // room to change directory in place
  CHECK(ustr(p.WindowTitle) == in.image_path);
  CHECK(ustr(p.DesktopInfo) == u"WinSta0\\Default");
  CHECK(p.DllPath.Length == 0);
  CHECK(p.StandardInput == 4);
  CHECK(p.StandardOutput == 8);
  CHECK(p.StandardError == 12);
  // Every string lies inside the block and is NUL-terminated.
  for (const nt::UNICODE_STRING* us : {&p.ImagePathName, &p.CommandLine, &p.DllPath,
                                       &p.CurrentDirectory.DosPath, &p.WindowTitle}) {
    CHECK(us->Buffer > out.address);
    CHECK(us->Buffer + us->MaximumLength <= out.address + out.size);
    CHECK(reinterpret_cast<const char16_t*>(us->Buffer)[us->Length / 2] == 0);
  }
  CHECK(p.Environment == out.environment);
  CHECK(p.EnvironmentSize == 22u);  // ("A=1" 4 + "BB=22" 6 + 1) WCHARs
  CHECK(std::u16string(reinterpret_cast<const char16_t*>(p.Environment), 11) ==
        std::u16string(u"A=1\0BB=22\0\0", 11));
  // Windows code may read and write them: they are user memory.
  AddressSpace& as = current_process().address_space;
  CHECK(as.accessible(out.address, out.size, true));
  CHECK(as.accessible(out.environment, out.environment_size, true));
  std::optional<Region> r = as.find(out.address);
  REQUIRE(r);
  CHECK(r->type == MEM_PRIVATE);
  CHECK(r->protect == PAGE_READWRITE);
}

TEST_CASE("a Windows thread has a TEB and a committed stack over a reserved guard page") {
  WindowsThread t;
  REQUIRE(create_windows_thread(
              ThreadInput{.peb = 0x1234000, .pid = 77, .tid = 88, .initial_thread = true}, t)
              .ok());
  const auto& teb = *reinterpret_cast<const TEB*>(t.teb);
  CHECK(teb.NtTib.Self == t.teb);
  CHECK(teb.NtTib.StackBase == t.stack_base);
  CHECK(teb.NtTib.StackLimit == t.stack_limit);
  CHECK(t.stack_base - t.stack_limit == kDefaultStackSize);
  CHECK(teb.DeallocationStack == t.stack_allocation);
  CHECK(teb.DeallocationStack < teb.NtTib.StackLimit);
  CHECK(teb.ProcessEnvironmentBlock == 0x1234000);
  CHECK(teb.ClientId.UniqueProcess == 77);
  CHECK(teb.ClientId.UniqueThread == 88);
  CHECK(teb.ThreadLocalStoragePointer == 0);  // no module with TLS given
  CHECK(teb.StaticUnicodeString.Buffer == t.teb + offsetof(TEB, StaticUnicodeBuffer));
  CHECK(teb.StaticUnicodeString.MaximumLength == 261 * 2);
  CHECK((teb.SameTebFlags & TEB_SAME_FLAGS_INITIAL_THREAD) != 0);
  CHECK(t.teb % kPageSize == 0);

  AddressSpace& as = current_process().address_space;
  CHECK(as.accessible(t.teb, sizeof(TEB), true));
  CHECK(as.accessible(t.stack_limit, t.stack_base - t.stack_limit, true));
  std::optional<Region> stack = as.find(t.stack_base - 8);
  REQUIRE(stack);
  CHECK(stack->type == MEM_PRIVATE);
  CHECK(stack->protect == PAGE_READWRITE);
  CHECK(stack->allocation_base == t.stack_allocation);
  std::optional<Region> guard = as.find(t.stack_limit - 1);
  REQUIRE(guard);
  CHECK(guard->state == MEM_RESERVE);
  CHECK(maps_perms(t.stack_limit - 1) == "---p");
  CHECK(maps_perms(t.stack_base - 1) == "rw-p");

  const uint64_t teb_addr = t.teb;
  free_windows_thread(t);
  CHECK_FALSE(as.find(teb_addr));
}

TEST_CASE("the PEB carries the version of the namespace's Windows build") {
  const std::optional<WindowsVersion> v = parse_windows_version("10.0.22621");
  REQUIRE(v);
  PebInput in{.subsystem = 3,
              .subsystem_major = 6,
              .subsystem_minor = 0,
              .ldr = 0x5000,
              .process_parameters = 0x6000,
              .version = *v,
              .number_of_processors = 4};
  uint64_t addr = 0;
  REQUIRE(build_peb(in, addr).ok());
  const auto& peb = *reinterpret_cast<const PEB*>(addr);
  CHECK(peb.OSMajorVersion == 10);
  CHECK(peb.OSMinorVersion == 0);
  CHECK(peb.OSBuildNumber == 22621);
  CHECK(peb.OSPlatformId == VER_PLATFORM_WIN32_NT);
  CHECK(peb.ImageSubsystem == 3);
  CHECK(peb.ImageSubsystemMajorVersion == 6);
  CHECK(peb.NumberOfProcessors == 4);
  CHECK(peb.ActiveProcessAffinityMask == 0xF);
  CHECK(peb.Ldr == 0x5000);
  CHECK(peb.ProcessParameters == 0x6000);
  CHECK(peb.BeingDebugged == 0);
  CHECK(current_process().address_space.accessible(addr, sizeof(PEB), true));
}

TEST_CASE("Windows builds parse into versions") {
  auto v = parse_windows_version("10.0.19045");
  REQUIRE(v);
  CHECK(v->major == 10);
  CHECK(v->minor == 0);
  CHECK(v->build == 19045);
  CHECK_FALSE(parse_windows_version("10.0"));
  CHECK_FALSE(parse_windows_version("10.0.19045.1"));
  CHECK_FALSE(parse_windows_version("ten.0.1"));
  CHECK_FALSE(parse_windows_version("10.0.70000"));
  CHECK_FALSE(parse_windows_version(""));
}

TEST_CASE("KSYSTEM_TIME values are never seen torn") {
  KSYSTEM_TIME t{};
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (uint32_t i = 1; !stop.load(std::memory_order_relaxed); ++i)
      store_ksystem_time(t, (static_cast<int64_t>(i) << 32) | i);  // high half == low half
  });
  int torn = 0;
  for (int i = 0; i < 2000000; ++i) {
    const int64_t v = load_ksystem_time(t);
    if (static_cast<uint32_t>(v >> 32) != static_cast<uint32_t>(v)) ++torn;
  }
  stop = true;
  writer.join();
  CHECK(torn == 0);
}

TEST_CASE("KUSER_SHARED_DATA is mapped read-only at 0x7ffe0000 with live time") {
  REQUIRE(map_shared_user_data(WindowsVersion{10, 0, 19045}).ok());
  const auto& k = *reinterpret_cast<const volatile KUSER_SHARED_DATA*>(kUserSharedDataAddress);
  CHECK(k.NtMajorVersion == 10);
  CHECK(k.NtMinorVersion == 0);
  CHECK(k.NtBuildNumber == 19045);
  CHECK(k.NtProductType == NtProductWinNt);
  CHECK(k.ProductTypeIsValid == 1);
  CHECK(k.ImageNumberLow == 0x8664);
  CHECK(k.ImageNumberHigh == 0x8664);
  CHECK(std::u16string(const_cast<const char16_t*>(k.NtSystemRoot)) == u"C:\\Windows");
  CHECK(k.ProcessorFeatures[PF_XMMI64_INSTRUCTIONS_AVAILABLE] == 1);
  CHECK(k.QpcFrequency == kPerformanceFrequency);
  CHECK(k.ActiveProcessorCount >= 1);
  CHECK(k.TickCountMultiplier == 0x0FA00000);

  // Read-only for Windows code: the fixed mapping refuses writes, the record says so too.
  CHECK(maps_perms(kUserSharedDataAddress) == "r--s");
  std::optional<Region> r = current_process().address_space.find(kUserSharedDataAddress);
  REQUIRE(r);
  CHECK(r->protect == PAGE_READONLY);
  CHECK_FALSE(copy_to_user(kUserSharedDataAddress + 0x100, "x", 1));
  install_user_fault_handler();
  const uint32_t junk = 0;
  CHECK(ir_safe_memcpy(reinterpret_cast<void*>(kUserSharedDataAddress + 0x26C), &junk, 4) != 0);
  CHECK(k.NtMajorVersion == 10);

  // The writable alias is the same memory.
  KUSER_SHARED_DATA* w = shared_user_data_writable();
  REQUIRE(w != nullptr);
  CHECK(reinterpret_cast<uint64_t>(w) != kUserSharedDataAddress);
  CHECK(w->NtBuildNumber == 19045);

  // Live: the background thread moves the clocks every 15.625 ms.
  const int64_t i0 = load_ksystem_time(k.InterruptTime);
  const int64_t s0 = load_ksystem_time(k.SystemTime);
  const int64_t t0 = load_ksystem_time(k.TickCount);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const int64_t i1 = load_ksystem_time(k.InterruptTime);
  const int64_t s1 = load_ksystem_time(k.SystemTime);
  const int64_t t1 = load_ksystem_time(k.TickCount);
  CHECK(i1 - i0 >= 500000);  // at least 50 ms of 100 ns units
  CHECK(i1 - i0 < 100000000);
  CHECK(s1 > s0);
  CHECK(t1 - t0 >= 3);                                       // ticks of 15.625 ms
  CHECK(std::llabs(s1 - current_system_time()) < 10000000);  // within a second of now
  CHECK(std::llabs(i1 - current_interrupt_time()) < 10000000);
  const uint64_t tick_ms = (static_cast<uint64_t>(t1) * k.TickCountMultiplier) >> 24;
  CHECK(std::llabs(static_cast<int64_t>(tick_ms) - i1 / 10000) < 100);

  // A second call refreshes the version fields only.
  REQUIRE(map_shared_user_data(WindowsVersion{10, 0, 22621}).ok());
  CHECK(k.NtBuildNumber == 22621);
}
