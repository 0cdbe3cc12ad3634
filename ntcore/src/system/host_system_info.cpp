#include <cpuid.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "ireactor/system/nt_time.h"
#include "ireactor/system/system_information.h"

namespace ireactor {

namespace {

// Windows numbers at most 64 processors per group and ntcore reports one group.
constexpr uint32_t kMaxProcessors = 64;

uint32_t clamp_processors(long n) {
  return static_cast<uint32_t>(std::clamp<long>(n, 1, kMaxProcessors));
}

void read_cpu_identity(HostSystemInfo& h) {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  unsigned max_leaf = __get_cpuid_max(0, nullptr);
  if (max_leaf == 0) return;
  __cpuid(0, eax, ebx, ecx, edx);
  std::memcpy(h.vendor + 0, &ebx, 4);
  std::memcpy(h.vendor + 4, &edx, 4);
  std::memcpy(h.vendor + 8, &ecx, 4);

  __cpuid(1, eax, ebx, ecx, edx);
  h.cpu_signature = eax;
  unsigned base_family = (eax >> 8) & 0xf;
  unsigned family = base_family == 0xf ? base_family + ((eax >> 20) & 0xff) : base_family;
  unsigned model = (eax >> 4) & 0xf;
  if (base_family == 0x6 || base_family == 0xf) model |= ((eax >> 16) & 0xf) << 4;
  h.processor_level = static_cast<uint16_t>(family);
  h.processor_revision = static_cast<uint16_t>((model << 8) | (eax & 0xf));

  // Every x64 processor has CR4 and SYSCALL; the rest follows cpuid as Windows reads it.
  uint32_t kf = nt::KF_CR4 | nt::KF_FAST_SYSCALL;
  struct Bit {
    unsigned reg_bit;
    uint32_t kf;
  };
  for (Bit b : {Bit{4, nt::KF_RDTSC}, Bit{15, nt::KF_CMOV}, Bit{13, nt::KF_GLOBAL_PAGE},
                Bit{3, nt::KF_LARGE_PAGE}, Bit{12, nt::KF_MTRR}, Bit{8, nt::KF_CMPXCHG8B},
                Bit{23, nt::KF_MMX}, Bit{16, nt::KF_PAT}, Bit{24, nt::KF_FXSR},
                Bit{25, nt::KF_XMMI}, Bit{26, nt::KF_XMMI64}})
    if (edx & (1u << b.reg_bit)) kf |= b.kf;
  if (ecx & (1u << 0)) kf |= nt::KF_SSE3;
  if (ecx & (1u << 13)) kf |= nt::KF_CMPXCHG16B;
  if (ecx & (1u << 27)) kf |= nt::KF_XSTATE;  // OSXSAVE: the OS manages extended state
  if (max_leaf >= 7) {
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    if (ebx & 1u) kf |= nt::KF_RDWRFSGSBASE;
  }
  if (__get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx) && (edx & (1u << 20)))
    kf |= nt::KF_NX_BIT | nt::KF_NX_ENABLED;
  if (std::strcmp(h.vendor, "GenuineIntel") == 0) kf |= nt::KF_GENUINE_INTEL;
  if (std::strcmp(h.vendor, "AuthenticAMD") == 0) kf |= nt::KF_AUTHENTICAMD;
  h.kernel_feature_bits = kf;
}

HostSystemInfo probe_host() {
  HostSystemInfo h;
  h.active_processors = clamp_processors(sysconf(_SC_NPROCESSORS_ONLN));
  h.active_processor_mask = h.active_processors >= 64 ? ~0ull : (1ull << h.active_processors) - 1;
  h.maximum_processors =
      std::max(h.active_processors, clamp_processors(sysconf(_SC_NPROCESSORS_CONF)));
  long pages = sysconf(_SC_PHYS_PAGES);
  long page_size = sysconf(_SC_PAGESIZE);
  if (pages > 0 && page_size > 0)
    h.physical_pages = static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size) / 4096;
  read_cpu_identity(h);
  return h;
}

}  // namespace

const HostSystemInfo& host_system_info() {
  static const HostSystemInfo info = probe_host();
  return info;
}

int64_t host_boot_time() {
  return current_system_time() - current_interrupt_time();
}

}  // namespace ireactor
