// Time and system information (system/): the services called directly with Windows-memory
// arguments, their answers checked against what Linux says about the same machine.
#include <doctest/doctest.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "dispatch/nt_probes.h"
#include "ireactor/dispatcher.h"
#include "ireactor/entry.h"
#include "ireactor/process.h"
#include "ireactor/services/system_services.h"
#include "ireactor/system/nt_device_path.h"
#include "ireactor/system/nt_time.h"
#include "ireactor/system/system_information.h"
#include "system/fast_performance_counter.h"
#include "windows_memory.h"

using namespace ireactor;
using namespace ireactor::nt;

namespace {

using UserRegion = test::WindowsMemory;

int64_t g_runtime_private = 0;
const uint64_t kNotWindowsMemory = reinterpret_cast<uint64_t>(&g_runtime_private);

constexpr size_t kOut = 0x100;     // information buffer
constexpr size_t kRetLen = 0x10;   // ReturnLength
constexpr size_t kCounter = 0x20;  // LARGE_INTEGERs
constexpr size_t kFreq = 0x28;

NTSTATUS query(const UserRegion& mem, ULONG cls, ULONG length, size_t out = kOut) {
  mem.at<ULONG>(kRetLen) = 0xdeadbeef;
  return NtQuerySystemInformation(cls, mem.user<void>(out), length, mem.user<ULONG>(kRetLen));
}

// "key : value" lines of /proc/cpuinfo's first processor.
std::map<std::string, std::string> first_cpuinfo() {
  std::ifstream in("/proc/cpuinfo");
  std::map<std::string, std::string> kv;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) break;
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string k = line.substr(0, colon), v = line.substr(colon + 1);
    while (!k.empty() && (k.back() == ' ' || k.back() == '\t')) k.pop_back();
    if (!v.empty() && v.front() == ' ') v.erase(0, 1);
    kv[k] = v;
  }
  return kv;
}

int64_t abs64(int64_t v) {
  return v < 0 ? -v : v;
}

}  // namespace

TEST_CASE("nt_time converts between Unix time and FILETIME") {
  // 2000-01-01 00:00:00 UTC.
  CHECK(filetime_from_unix(timespec{946684800, 0}) == 125911584000000000);
  CHECK(filetime_from_unix(timespec{0, 999}) == kUnixEpochAsFileTime + 9);
  timespec ts = unix_from_filetime(125911584000000000 + 1234567);
  CHECK(ts.tv_sec == 946684800);
  CHECK(ts.tv_nsec == 123456700);
  // Before 1970: normalised with a non-negative tv_nsec.
  ts = unix_from_filetime(kUnixEpochAsFileTime - 15'000'000);
  CHECK(ts.tv_sec == -2);
  CHECK(ts.tv_nsec == 500'000'000);
  CHECK(filetime_from_unix(ts) == kUnixEpochAsFileTime - 15'000'000);
  CHECK(ticks_from_timespec(timespec{3, 250}) == 30'000'002);
  CHECK(filetime_from_unix_seconds(1) == kUnixEpochAsFileTime + kTicksPerSecond);
}

TEST_CASE("NtQuerySystemTime returns the current UTC time as a FILETIME") {
  UserRegion mem;
  int64_t before = filetime_from_unix_seconds(time(nullptr));
  REQUIRE(NtQuerySystemTime(mem.user<int64_t>(kCounter)) == STATUS_SUCCESS);
  int64_t after = filetime_from_unix_seconds(time(nullptr) + 1);
  CHECK(mem.at<int64_t>(kCounter) >= before);
  CHECK(mem.at<int64_t>(kCounter) <= after);
  CHECK(NtQuerySystemTime({}) == STATUS_ACCESS_VIOLATION);
  CHECK(NtQuerySystemTime(UserPtr<int64_t>(kNotWindowsMemory)) == STATUS_ACCESS_VIOLATION);
}

TEST_CASE("NtQueryPerformanceCounter: a 10 MHz monotonic counter") {
  UserRegion mem;
  auto counter = mem.user<int64_t>(kCounter);
  auto freq = mem.user<int64_t>(kFreq);
  timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  REQUIRE(NtQueryPerformanceCounter(counter, freq) == STATUS_SUCCESS);
  clock_gettime(CLOCK_MONOTONIC, &b);
  CHECK(mem.at<int64_t>(kFreq) == 10'000'000);
  int64_t c1 = mem.at<int64_t>(kCounter);
  CHECK(c1 >= ticks_from_timespec(a));
  CHECK(c1 <= ticks_from_timespec(b));

  mem.at<int64_t>(kFreq) = -1;
  usleep(2000);
  REQUIRE(NtQueryPerformanceCounter(counter, {}) == STATUS_SUCCESS);
  CHECK(mem.at<int64_t>(kFreq) == -1);  // Frequency is optional
  CHECK(mem.at<int64_t>(kCounter) - c1 >= 20'000);

  CHECK(NtQueryPerformanceCounter({}, freq) == STATUS_ACCESS_VIOLATION);
  CHECK(NtQueryPerformanceCounter(UserPtr<int64_t>(kNotWindowsMemory), {}) ==
        STATUS_ACCESS_VIOLATION);
  CHECK(NtQueryPerformanceCounter(counter, UserPtr<int64_t>(kNotWindowsMemory)) ==
        STATUS_ACCESS_VIOLATION);
}

TEST_CASE("the fast gate's counter lane answers as NtQueryPerformanceCounter, or declines") {
  UserRegion mem;
  REQUIRE(select_windows_build("10.0.19045"));
  REQUIRE(system::enable_fast_performance_counter() == 0x31);  // the build's number
  const uint64_t counter = mem.addr(kCounter), freq = mem.addr(kFreq);
  // Pointers the thread's address-space cache has not vouched for: the full path's to check.
  CHECK(ir_fast_performance_counter(kNotWindowsMemory, 0) == entry::kLaneDeclined);
  CHECK(ir_fast_performance_counter(0, 0) == entry::kLaneDeclined);
  REQUIRE(current_process().address_space.accessible(mem.addr(), mem.size(), true));
  CHECK(ir_fast_performance_counter(counter, kNotWindowsMemory) == entry::kLaneDeclined);

  timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  CHECK(ir_fast_performance_counter(counter, freq) == STATUS_SUCCESS);
  clock_gettime(CLOCK_MONOTONIC, &b);
  CHECK(mem.at<int64_t>(kFreq) == kPerformanceFrequency);
  CHECK(mem.at<int64_t>(kCounter) >= ticks_from_timespec(a));
  CHECK(mem.at<int64_t>(kCounter) <= ticks_from_timespec(b));
  mem.at<int64_t>(kFreq) = -1;
  CHECK(ir_fast_performance_counter(counter, 0) == STATUS_SUCCESS);  // Frequency is optional
  CHECK(mem.at<int64_t>(kFreq) == -1);
#if IREACTOR_NT_PROBES
  ireactor_nt_exit_semaphore = 1;  // a tracer on the dispatcher's probes sees every call
  CHECK(ir_fast_performance_counter(counter, freq) == entry::kLaneDeclined);
  ireactor_nt_exit_semaphore = 0;
#endif
}

TEST_CASE("SystemBasicInformation: exact length, Windows' constants, this machine's counts") {
  UserRegion mem;
  CHECK(query(mem, SystemBasicInformation, 0) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(mem.at<ULONG>(kRetLen) == 64);
  CHECK(query(mem, SystemBasicInformation, 63) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(query(mem, SystemBasicInformation, 128) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(mem.at<ULONG>(kRetLen) == 64);
  CHECK(NtQuerySystemInformation(SystemBasicInformation, {}, 0, {}) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(NtQuerySystemInformation(SystemBasicInformation, {}, 64, {}) == STATUS_ACCESS_VIOLATION);
  CHECK(NtQuerySystemInformation(SystemBasicInformation, mem.user<void>(kOut), 64, {}) ==
        STATUS_SUCCESS);

  mem.fill(0xcc);
  REQUIRE(query(mem, SystemBasicInformation, 64) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kRetLen) == 64);
  const auto& sbi = mem.at<SYSTEM_BASIC_INFORMATION>(kOut);
  CHECK(sbi.Reserved == 0);
  CHECK(sbi.TimerResolution == 156250);
  CHECK(sbi.PageSize == 4096);
  CHECK(sbi.AllocationGranularity == 0x10000);
  CHECK(sbi.MinimumUserModeAddress == 0x10000);
  CHECK(sbi.MaximumUserModeAddress == 0x7FFFFFFEFFFF);
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  CHECK(sbi.NumberOfProcessors == (cpus > 64 ? 64 : cpus));
  CHECK(sbi.ActiveProcessorsAffinityMask == (cpus >= 64 ? ~0ull : (1ull << cpus) - 1));
  uint64_t pages = static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGESIZE) / 4096;
  CHECK(sbi.NumberOfPhysicalPages == pages);
  CHECK(sbi.LowestPhysicalPageNumber == 1);
  CHECK(sbi.HighestPhysicalPageNumber >= sbi.LowestPhysicalPageNumber);
  CHECK(mem.at<uint8_t>(kOut + 64) == 0xcc);  // nothing past the structure

  // The emulation class is the same structure on x64.
  REQUIRE(query(mem, SystemEmulationBasicInformation, 64, 0x200) == STATUS_SUCCESS);
  CHECK(std::memcmp(&mem.at<uint8_t>(kOut), &mem.at<uint8_t>(0x200),
                    offsetof(SYSTEM_BASIC_INFORMATION, NumberOfProcessors) + 1) == 0);
}

TEST_CASE("NtQuerySystemInformation probing and unknown classes") {
  UserRegion mem;
  CHECK(NtQuerySystemInformation(0xffffffff, {}, 0, {}) == STATUS_INVALID_INFO_CLASS);
  CHECK(query(mem, 9999, 64) == STATUS_INVALID_INFO_CLASS);
  CHECK(mem.at<ULONG>(kRetLen) == 0xdeadbeef);
  // The output buffer is probed first: misaligned, or reaching kernel space.
  CHECK(query(mem, SystemBasicInformation, 64, kOut + 2) == STATUS_DATATYPE_MISALIGNMENT);
  CHECK(query(mem, 9999, 64, kOut + 2) == STATUS_DATATYPE_MISALIGNMENT);
  CHECK(NtQuerySystemInformation(SystemBasicInformation, UserPtr<void>(0x7FFFFFFF0000ull - 32), 64,
                                 {}) == STATUS_ACCESS_VIOLATION);
  CHECK(NtQuerySystemInformation(SystemBasicInformation, UserPtr<void>(0xFFFF800000000000ull), 64,
                                 {}) == STATUS_ACCESS_VIOLATION);
  // ReturnLength must be writable Windows memory.
  CHECK(NtQuerySystemInformation(SystemBasicInformation, mem.user<void>(kOut), 64,
                                 UserPtr<ULONG>(kNotWindowsMemory)) == STATUS_ACCESS_VIOLATION);
  CHECK(NtQuerySystemInformation(SystemBasicInformation, mem.user<void>(kOut), 0,
                                 UserPtr<ULONG>(kNotWindowsMemory)) == STATUS_ACCESS_VIOLATION);
  // A buffer the caller cannot write (here: memory that is not Windows memory).
  CHECK(NtQuerySystemInformation(SystemBasicInformation, UserPtr<void>(kNotWindowsMemory & ~7ull),
                                 64, {}) == STATUS_ACCESS_VIOLATION);
}

TEST_CASE("SystemProcessorInformation describes this CPU as Windows would") {
  UserRegion mem;
  CHECK(query(mem, SystemProcessorInformation, 11) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(mem.at<ULONG>(kRetLen) == 12);
  mem.fill(0xcc);
  REQUIRE(query(mem, SystemProcessorInformation, 16) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kRetLen) == 12);
  CHECK(mem.at<uint32_t>(kOut + 12) == 0xcccccccc);
  const auto& spi = mem.at<SYSTEM_PROCESSOR_INFORMATION>(kOut);
  CHECK(spi.ProcessorArchitecture == 9);

  auto cpuinfo = first_cpuinfo();
  REQUIRE(cpuinfo.count("cpu family"));
  CHECK(spi.ProcessorLevel == std::stoi(cpuinfo["cpu family"]));
  int model = std::stoi(cpuinfo["model"]);
  int stepping = cpuinfo.count("stepping") ? std::stoi(cpuinfo["stepping"]) : 0;
  CHECK(spi.ProcessorRevision == ((model << 8) | stepping));
  CHECK(spi.MaximumProcessors >= 1);
  CHECK(spi.MaximumProcessors >=
        static_cast<USHORT>(std::min<long>(sysconf(_SC_NPROCESSORS_ONLN), 64)));

  // Features every x64 CPU has, and the ones /proc/cpuinfo lists.
  ULONG kf = spi.ProcessorFeatureBits;
  for (ULONG bit :
       {KF_RDTSC, KF_CMOV, KF_CMPXCHG8B, KF_MMX, KF_FXSR, KF_XMMI, KF_XMMI64, KF_FAST_SYSCALL})
    CHECK((kf & bit) == bit);
  std::string flags = " " + cpuinfo["flags"] + " ";
  CHECK(((kf & KF_SSE3) != 0) == (flags.find(" pni ") != std::string::npos));
  CHECK(((kf & KF_CMPXCHG16B) != 0) == (flags.find(" cx16 ") != std::string::npos));
  CHECK(((kf & KF_NX_BIT) != 0) == (flags.find(" nx ") != std::string::npos));
  std::string vendor = cpuinfo["vendor_id"];
  CHECK(((kf & KF_GENUINE_INTEL) != 0) == (vendor == "GenuineIntel"));
  CHECK(((kf & KF_AUTHENTICAMD) != 0) == (vendor == "AuthenticAMD"));

  REQUIRE(query(mem, SystemEmulationProcessorInformation, 12, 0x200) == STATUS_SUCCESS);
  CHECK(std::memcmp(&mem.at<uint8_t>(kOut), &mem.at<uint8_t>(0x200), 12) == 0);
}

TEST_CASE("SystemTimeOfDayInformation: any prefix up to 48 bytes") {
  UserRegion mem;
  mem.fill(0xcc);
  CHECK(query(mem, SystemTimeOfDayInformation, 0) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kRetLen) == 0);
  CHECK(mem.at<uint64_t>(kOut) == 0xccccccccccccccccull);
  CHECK(query(mem, SystemTimeOfDayInformation, 24) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kRetLen) == 24);
  CHECK(mem.at<ULONG>(kOut + 24) == 0xcccccccc);  // TimeZoneId not written
  CHECK(query(mem, SystemTimeOfDayInformation, 49) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(mem.at<ULONG>(kRetLen) == 48);

  int64_t before = current_system_time();
  REQUIRE(query(mem, SystemTimeOfDayInformation, 48) == STATUS_SUCCESS);
  int64_t after = current_system_time();
  CHECK(mem.at<ULONG>(kRetLen) == 48);
  const auto& tod = mem.at<SYSTEM_TIMEOFDAY_INFORMATION>(kOut);
  CHECK(tod.CurrentTime >= before);
  CHECK(tod.CurrentTime <= after);

  // Boot time from /proc/uptime, to within a second.
  std::ifstream uptime("/proc/uptime");
  double up = 0;
  uptime >> up;
  int64_t boot = before - static_cast<int64_t>(up * kTicksPerSecond);
  CHECK(abs64(tod.BootTime - boot) < kTicksPerSecond);

  time_t now = time(nullptr);
  tm local{};
  localtime_r(&now, &local);
  CHECK(tod.TimeZoneBias == -static_cast<int64_t>(local.tm_gmtoff) * kTicksPerSecond);
  CHECK(tod.TimeZoneId <= 2);
  if (local.tm_isdst > 0) CHECK(tod.TimeZoneId == TIME_ZONE_ID_DAYLIGHT);
  CHECK(tod.Reserved == 0);
  CHECK(tod.BootTimeBias == 0);
  CHECK(tod.SleepTimeBias == 0);
}

TEST_CASE("SystemKernelDebuggerInformation: no kernel debugger") {
  UserRegion mem;
  CHECK(query(mem, SystemKernelDebuggerInformation, 1) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(mem.at<ULONG>(kRetLen) == 2);
  mem.fill(0xcc);
  REQUIRE(query(mem, SystemKernelDebuggerInformation, 4) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kRetLen) == 2);
  CHECK(mem.at<uint8_t>(kOut) == 0);
  CHECK(mem.at<uint8_t>(kOut + 1) == 1);
  CHECK(mem.at<uint8_t>(kOut + 2) == 0xcc);
}

TEST_CASE("host_system_info agrees with itself and the machine") {
  const HostSystemInfo& h = host_system_info();
  CHECK(&h == &host_system_info());
  CHECK(h.active_processors >= 1);
  CHECK(h.active_processors <= 64);
  CHECK(h.maximum_processors >= h.active_processors);
  CHECK(__builtin_popcountll(h.active_processor_mask) == static_cast<int>(h.active_processors));
  CHECK(h.physical_pages > 0);
  CHECK(std::strlen(h.vendor) == 12);
  int64_t boot1 = host_boot_time();
  int64_t boot2 = host_boot_time();
  CHECK(abs64(boot2 - boot1) < 10'000);  // stable to within a millisecond
}

TEST_CASE("namespace drives appear as \\Device\\HarddiskVolumeN devices") {
  CHECK(volume_device_name(u'C') == u"\\Device\\HarddiskVolume3");
  CHECK(volume_device_name(u'c') == u"\\Device\\HarddiskVolume3");
  CHECK(volume_device_name(u'A') == u"\\Device\\HarddiskVolume1");
  CHECK(volume_device_name(u'Z') == u"\\Device\\HarddiskVolume26");
  CHECK(volume_device_name(u'1').empty());
  CHECK(nt_device_path_from_dos_path(u"\\??\\C:\\dir\\a.exe") ==
        u"\\Device\\HarddiskVolume3\\dir\\a.exe");
  CHECK(nt_device_path_from_dos_path(u"\\DosDevices\\d:\\x") == u"\\Device\\HarddiskVolume4\\x");
  CHECK(nt_device_path_from_dos_path(u"\\??\\C:") == u"\\Device\\HarddiskVolume3");
  CHECK(nt_device_path_from_dos_path(u"C:\\a") == u"\\Device\\HarddiskVolume3\\a");
  CHECK(nt_device_path_from_dos_path(u"\\??\\UNC\\srv\\share\\f") ==
        u"\\Device\\Mup\\srv\\share\\f");
  CHECK(nt_device_path_from_dos_path(u"\\Device\\Null") == u"\\Device\\Null");
  CHECK(nt_device_path_from_dos_path(u"\\??\\C:relative") == u"\\??\\C:relative");
  CHECK(win32_path_from_nt_path(u"\\??\\C:\\dir\\a.exe") == u"C:\\dir\\a.exe");
  CHECK(win32_path_from_nt_path(u"\\??\\UNC\\srv\\share") == u"\\\\srv\\share");
  CHECK(win32_path_from_nt_path(u"\\Device\\Null") == u"\\Device\\Null");
}
