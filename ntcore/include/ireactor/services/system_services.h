// System information and time services (system/).
#pragma once

#include "ireactor/nt/status.h"
#include "ireactor/user_memory.h"

namespace ireactor {

nt::NTSTATUS NtQueryPerformanceCounter(UserPtr<int64_t> PerformanceCounter,
                                       UserPtr<int64_t> PerformanceFrequency);
nt::NTSTATUS NtQuerySystemTime(UserPtr<int64_t> SystemTime);
nt::NTSTATUS NtQuerySystemInformation(nt::ULONG SystemInformationClass,
                                      UserPtr<void> SystemInformation,
                                      nt::ULONG SystemInformationLength,
                                      UserPtr<nt::ULONG> ReturnLength);

// NLS: the data files of code pages, casing, sorting and locales, and the default locales
// (nt_get_nls_section_ptr.cpp, nt_initialize_nls_files.cpp, nt_default_locale.cpp,
// nt_default_ui_language.cpp).
nt::NTSTATUS NtGetNlsSectionPtr(nt::ULONG SectionType, nt::ULONG SectionData,
                                UserPtr<void> ContextData, UserPtr<uint64_t> SectionPointer,
                                UserPtr<uint64_t> SectionSize);
nt::NTSTATUS NtInitializeNlsFiles(UserPtr<uint64_t> BaseAddress, UserPtr<nt::ULONG> DefaultLocaleId,
                                  UserPtr<int64_t> DefaultCasingTableSize);
nt::NTSTATUS NtQueryDefaultLocale(nt::BOOLEAN UserProfile, UserPtr<nt::ULONG> DefaultLocaleId);
nt::NTSTATUS NtSetDefaultLocale(nt::BOOLEAN UserProfile, nt::ULONG DefaultLocaleId);
nt::NTSTATUS NtQueryInstallUILanguage(UserPtr<nt::USHORT> InstallUILanguageId);
nt::NTSTATUS NtQueryDefaultUILanguage(UserPtr<nt::USHORT> DefaultUILanguageId);
nt::NTSTATUS NtSetDefaultUILanguage(nt::USHORT DefaultUILanguageId);

// clang-format off
#define IR_SYSTEM_SERVICES(X) \
  X(NtQueryPerformanceCounter) \
  X(NtQuerySystemTime) \
  X(NtQuerySystemInformation) \
  X(NtGetNlsSectionPtr) \
  X(NtInitializeNlsFiles) \
  X(NtQueryDefaultLocale) \
  X(NtSetDefaultLocale) \
  X(NtQueryInstallUILanguage) \
  X(NtQueryDefaultUILanguage) \
  X(NtSetDefaultUILanguage)
// clang-format on

}  // namespace ireactor
