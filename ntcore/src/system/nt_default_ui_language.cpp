// The UI languages (LANGIDs): the installation's (fixed: en-US) and the user's default, which
// may be changed for this process only.
#include <atomic>

#include "ireactor/services/system_services.h"
#include "system/nls_files.h"

namespace ireactor {

namespace {

std::atomic<nt::USHORT> g_user_ui_language{nls::kDefaultLangId};

}  // namespace

nt::NTSTATUS NtQueryInstallUILanguage(UserPtr<nt::USHORT> InstallUILanguageId) {
  if (!InstallUILanguageId.write(nls::kDefaultLangId)) return nt::STATUS_ACCESS_VIOLATION;
  return nt::STATUS_SUCCESS;
}

nt::NTSTATUS NtQueryDefaultUILanguage(UserPtr<nt::USHORT> DefaultUILanguageId) {
  if (!DefaultUILanguageId.write(g_user_ui_language.load())) return nt::STATUS_ACCESS_VIOLATION;
  return nt::STATUS_SUCCESS;
}

// 0 goes back to the installation's language.
nt::NTSTATUS NtSetDefaultUILanguage(nt::USHORT DefaultUILanguageId) {
  g_user_ui_language.store(DefaultUILanguageId ? DefaultUILanguageId : nls::kDefaultLangId);
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
