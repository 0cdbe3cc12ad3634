// NtInitializeNlsFiles: maps locale.nls (every locale's data, what kernelbase's GetLocaleInfo
// reads) and reports the system default locale.
#include "ireactor/services/system_services.h"
#include "system/nls_files.h"

namespace ireactor {

nt::NTSTATUS NtInitializeNlsFiles(UserPtr<uint64_t> BaseAddress, UserPtr<nt::ULONG> DefaultLocaleId,
                                  UserPtr<int64_t> DefaultCasingTableSize) {
  nls::MappedFile f;
  if (nt::NTSTATUS s = nls::map_file("locale.nls", f); s != nt::STATUS_SUCCESS) return s;
  if (!BaseAddress.write(f.base)) return nt::STATUS_ACCESS_VIOLATION;
  if (DefaultLocaleId && !DefaultLocaleId.write(nls::system_locale()))
    return nt::STATUS_ACCESS_VIOLATION;
  if (DefaultCasingTableSize && !DefaultCasingTableSize.write(static_cast<int64_t>(f.size)))
    return nt::STATUS_ACCESS_VIOLATION;
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
