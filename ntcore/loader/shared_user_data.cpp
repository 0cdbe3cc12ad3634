#include "shared_user_data.h"

#include <cpuid.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <mutex>
#include <random>

#include "ireactor/address_space.h"
#include "ireactor/process.h"
#include "ireactor/system/nt_time.h"
#include "ireactor/win/pe_format.h"
#include "shared_data_updater.h"

namespace ireactor::loader {

using namespace win;

namespace {

constexpr uint32_t kTickCountMultiplier = 0x0FA00000;  // 15.625 ms * 2^24

std::mutex g_mutex;
KUSER_SHARED_DATA* g_writable = nullptr;

void fill_processor_features(uint8_t* pf) {
  unsigned a, b, c, d;
  pf[PF_MMX_INSTRUCTIONS_AVAILABLE] = 1;  // every x86-64 processor
  pf[PF_XMMI_INSTRUCTIONS_AVAILABLE] = 1;
  pf[PF_XMMI64_INSTRUCTIONS_AVAILABLE] = 1;
  pf[PF_RDTSC_INSTRUCTION_AVAILABLE] = 1;
  pf[PF_COMPARE_EXCHANGE_DOUBLE] = 1;
  pf[PF_PAE_ENABLED] = 1;
  if (__get_cpuid(1, &a, &b, &c, &d)) {
    pf[PF_SSE3_INSTRUCTIONS_AVAILABLE] = (c >> 0) & 1;
    pf[PF_SSSE3_INSTRUCTIONS_AVAILABLE] = (c >> 9) & 1;
    pf[PF_COMPARE_EXCHANGE128] = (c >> 13) & 1;
    pf[PF_SSE4_1_INSTRUCTIONS_AVAILABLE] = (c >> 19) & 1;
    pf[PF_SSE4_2_INSTRUCTIONS_AVAILABLE] = (c >> 20) & 1;
    pf[PF_XSAVE_ENABLED] = ((c >> 26) & 1) && ((c >> 27) & 1);  // XSAVE and OSXSAVE
    pf[PF_AVX_INSTRUCTIONS_AVAILABLE] = ((c >> 28) & 1) && ((c >> 27) & 1);
    pf[PF_RDRAND_INSTRUCTION_AVAILABLE] = (c >> 30) & 1;
  }
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
    pf[PF_AVX2_INSTRUCTIONS_AVAILABLE] = (b >> 5) & 1;
    pf[PF_AVX512F_INSTRUCTIONS_AVAILABLE] = (b >> 16) & 1;
  }
  if (__get_cpuid(0x80000001, &a, &b, &c, &d)) {
    pf[PF_NX_ENABLED] = (d >> 20) & 1;
    pf[PF_RDTSCP_INSTRUCTION_AVAILABLE] = (d >> 27) & 1;
  }
}

void fill_static_fields(KUSER_SHARED_DATA& k, const WindowsVersion& v) {
  k.TickCountMultiplier = kTickCountMultiplier;
  k.ImageNumberLow = IMAGE_FILE_MACHINE_AMD64;
  k.ImageNumberHigh = IMAGE_FILE_MACHINE_AMD64;
  static constexpr char16_t kRoot[] = u"C:\\Windows";
  memcpy(k.NtSystemRoot, kRoot, sizeof kRoot);
  k.CryptoExponent = 0x10001;
  k.LargePageMinimum = 0x200000;
  k.NtBuildNumber = v.build;
  k.NtProductType = NtProductWinNt;
  k.ProductTypeIsValid = 1;
  k.NativeProcessorArchitecture = 9;  // PROCESSOR_ARCHITECTURE_AMD64
  k.NtMajorVersion = v.major;
  k.NtMinorVersion = v.minor;
  fill_processor_features(k.ProcessorFeatures);
  k.SuiteMask = 0x110;       // VER_SUITE_SINGLEUSERTS | VER_SUITE_TERMINAL, as a workstation
  k.MitigationPolicies = 2;  // NXSupportPolicy = OptIn
  k.ComPlusPackage = 0xFFFFFFFF;
  const long pages = sysconf(_SC_PHYS_PAGES);
  k.NumberOfPhysicalPages = pages > 0xFFFFFFFFL ? 0xFFFFFFFFu : static_cast<uint32_t>(pages);
  k.TestRetInstruction = 0xC3;             // ret
  k.QpcFrequency = kPerformanceFrequency;  // what NtQueryPerformanceCounter reports
  k.SystemCall = 0;                        // `syscall`, not `int 2e`
  k.Cookie = std::random_device{}();
  const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  k.ActiveProcessorCount = cpus > 0 ? static_cast<uint32_t>(cpus) : 1;
  k.ActiveGroupCount = 1;
  k.UnparkedProcessorCount = static_cast<uint16_t>(k.ActiveProcessorCount);
}

}  // namespace

void store_ksystem_time(KSYSTEM_TIME& t, int64_t value) {
  const auto high = static_cast<int32_t>(static_cast<uint64_t>(value) >> 32);
  __atomic_store_n(&t.High2Time, high, __ATOMIC_RELEASE);
  __atomic_store_n(&t.LowPart, static_cast<uint32_t>(value), __ATOMIC_RELEASE);
  __atomic_store_n(&t.High1Time, high, __ATOMIC_RELEASE);
}

int64_t load_ksystem_time(const volatile KSYSTEM_TIME& t) {
  for (;;) {
    const int32_t high1 = t.High1Time;
    const uint32_t low = t.LowPart;
    if (high1 == t.High2Time)
      return static_cast<int64_t>((static_cast<uint64_t>(static_cast<uint32_t>(high1)) << 32) |
                                  low);
  }
}

int64_t update_shared_user_data_clock(KUSER_SHARED_DATA& k) {
  const int64_t interrupt = current_interrupt_time();
  const int64_t system = current_system_time();
  const int64_t ticks = interrupt / static_cast<int64_t>(kClockTick100ns);
  store_ksystem_time(k.InterruptTime, interrupt);
  store_ksystem_time(k.SystemTime, system);
  store_ksystem_time(k.TickCount, ticks);
  __atomic_store_n(&k.TickCountLowDeprecated, static_cast<uint32_t>(ticks), __ATOMIC_RELEASE);
  return interrupt;
}

void update_shared_user_data_time(KUSER_SHARED_DATA& k) {
  const int64_t interrupt = update_shared_user_data_clock(k);
  // The bias changes rarely (daylight saving); recomputing it once a second is plenty.
  static thread_local int64_t last_bias_update = INT64_MIN;
  if (interrupt - last_bias_update >= 10000000) {
    last_bias_update = interrupt;
    const time_t now = time(nullptr);
    tm local;
    if (localtime_r(&now, &local)) {
      store_ksystem_time(k.TimeZoneBias, -static_cast<int64_t>(local.tm_gmtoff) * 10000000);
      __atomic_store_n(&k.TimeZoneId, local.tm_isdst > 0 ? 2u : 1u, __ATOMIC_RELEASE);
    }
  }
}

KUSER_SHARED_DATA* shared_user_data_writable() {
  std::lock_guard lock(g_mutex);
  return g_writable;
}

LoadStatus map_shared_user_data(const WindowsVersion& version) {
  std::lock_guard lock(g_mutex);
  if (g_writable) {
    fill_static_fields(*g_writable, version);
    return LoadStatus::success();
  }
  auto fail = [](const std::string& what) {
    return LoadStatus::failure(
        nt::STATUS_CONFLICTING_ADDRESSES,
        "cannot map KUSER_SHARED_DATA at 0x7ffe0000: " + what + ": " + strerror(errno));
  };
  const int fd = memfd_create("ireactor-kuser-shared-data", MFD_CLOEXEC);
  if (fd < 0) return fail("memfd_create");
  if (ftruncate(fd, sizeof(KUSER_SHARED_DATA)) != 0) {
    close(fd);
    return fail("ftruncate");
  }
  void* fixed = mmap(reinterpret_cast<void*>(kUserSharedDataAddress), sizeof(KUSER_SHARED_DATA),
                     PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
  if (fixed == MAP_FAILED || fixed != reinterpret_cast<void*>(kUserSharedDataAddress)) {
    if (fixed != MAP_FAILED) munmap(fixed, sizeof(KUSER_SHARED_DATA));
    close(fd);
    return fail("the address is in use");
  }
  void* alias = mmap(nullptr, sizeof(KUSER_SHARED_DATA), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);  // the mappings keep the memory alive
  if (alias == MAP_FAILED) {
    munmap(fixed, sizeof(KUSER_SHARED_DATA));
    return fail("mapping the writable alias");
  }
  auto* k = static_cast<KUSER_SHARED_DATA*>(alias);
  fill_static_fields(*k, version);
  update_shared_user_data_time(*k);
  current_process().address_space.add(
      Region::committed_private(kUserSharedDataAddress, kPageSize, PAGE_READONLY));
  g_writable = k;
  start_shared_data_updater(k);
  return LoadStatus::success();
}

}  // namespace ireactor::loader
