// The NLS data files (code pages, case tables, locale and normalization data) that the NLS
// services map into the process: Windows keeps them in C:\Windows\System32\*.nls; here they are
// host files in the format Windows uses (Debian's libwine ships them in /usr/share/wine/nls).
// They are read-only data, mapped once per process and shared by every caller.
#pragma once

#include <cstdint>
#include <string>

#include "ireactor/nt/status.h"

namespace ireactor::nls {

// The directory the .nls files are read from: $IREACTOR_NLS_DIR, else /usr/share/wine/nls.
std::string data_directory();

// A file mapped read-only into the Windows address space.
struct MappedFile {
  uint64_t base = 0;  // Windows address of the first byte
  uint64_t size = 0;  // the file's size in bytes
};

// Maps `name` (e.g. "c_1252.nls") of the data directory, or returns the mapping an earlier call
// made. STATUS_OBJECT_NAME_NOT_FOUND when the file does not exist, STATUS_NO_MEMORY when it
// cannot be mapped.
nt::NTSTATUS map_file(const std::string& name, MappedFile& out);

// Locale identifiers (LCID, LANGID). The namespace carries no locale setting yet, so every
// process starts in en-US, Windows' default installation.
inline constexpr uint32_t kDefaultLcid = 0x0409;
inline constexpr uint16_t kDefaultLangId = 0x0409;

// The process's current system default locale (NtSetDefaultLocale may change it).
uint32_t system_locale();

}  // namespace ireactor::nls
