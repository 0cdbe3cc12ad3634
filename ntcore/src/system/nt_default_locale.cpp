// NtQueryDefaultLocale / NtSetDefaultLocale: the user and system default locales (LCIDs).
// Both start as en-US and may be changed for this process only (Windows keeps them in the
// registry, which ntcore does not have; Wine's ntdll also keeps them per process).
#include <atomic>

#include "ireactor/services/system_services.h"
#include "system/nls_files.h"

namespace ireactor {

namespace {

std::atomic<nt::ULONG> g_user_lcid{nls::kDefaultLcid};
std::atomic<nt::ULONG> g_system_lcid{nls::kDefaultLcid};

}  // namespace

uint32_t nls::system_locale() {
  return g_system_lcid.load();
}

nt::NTSTATUS NtQueryDefaultLocale(nt::BOOLEAN UserProfile, UserPtr<nt::ULONG> DefaultLocaleId) {
  const nt::ULONG lcid = UserProfile ? g_user_lcid.load() : g_system_lcid.load();
  if (!DefaultLocaleId.write(lcid)) return nt::STATUS_ACCESS_VIOLATION;
  return nt::STATUS_SUCCESS;
}

nt::NTSTATUS NtSetDefaultLocale(nt::BOOLEAN UserProfile, nt::ULONG DefaultLocaleId) {
  // An LCID is a LANGID and a 4-bit sort id; 0 goes back to the default.
  if (DefaultLocaleId > 0xFFFFF) return nt::STATUS_INVALID_PARAMETER;
  (UserProfile ? g_user_lcid : g_system_lcid)
      .store(DefaultLocaleId ? DefaultLocaleId : nls::kDefaultLcid);
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
