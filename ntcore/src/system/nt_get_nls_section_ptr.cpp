// NtGetNlsSectionPtr: maps one of the NLS data files by kind and number (what Windows keeps as
// the \NLS\NlsSection* section objects) and returns its address and size.
#include <string>

#include "ireactor/services/system_services.h"
#include "system/nls_files.h"

namespace ireactor {

namespace {

// SectionType values (Windows'; kernelbase and ntdll use these four).
constexpr nt::ULONG kSortKeys = 9;        // sortdefault.nls
constexpr nt::ULONG kCaseMap = 10;        // l_intl.nls
constexpr nt::ULONG kCodePage = 11;       // c_<code page>.nls
constexpr nt::ULONG kNormalization = 12;  // norm*.nls, by NORM_FORM

// The file a request names; empty for a valid kind whose data does not exist.
std::string file_name(nt::ULONG type, nt::ULONG id) {
  switch (type) {
    case kSortKeys:
      return "sortdefault.nls";
    case kCaseMap:
      return "l_intl.nls";
    case kCodePage: {
      std::string n = std::to_string(id);
      if (n.size() < 3) n.insert(0, 3 - n.size(), '0');  // c_037.nls: at least three digits
      return "c_" + n + ".nls";
    }
    case kNormalization:
      switch (id) {
        case 1:
          return "normnfc.nls";  // NormalizationC
        case 2:
          return "normnfd.nls";  // NormalizationD
        case 5:
          return "normnfkc.nls";  // NormalizationKC
        case 6:
          return "normnfkd.nls";  // NormalizationKD
        case 13:
          return "normidna.nls";  // IDNA mapping (RtlIdnTo*)
        default:
          return {};
      }
    default:
      return {};
  }
}

}  // namespace

// SectionSize is written as a SIZE_T: that is how the callers we serve (Wine's kernelbase and
// ntdll headers) declare it.
nt::NTSTATUS NtGetNlsSectionPtr(nt::ULONG SectionType, nt::ULONG SectionData,
                                UserPtr<void> ContextData, UserPtr<uint64_t> SectionPointer,
                                UserPtr<uint64_t> SectionSize) {
  if (SectionType < kSortKeys || SectionType > kNormalization)
    return nt::STATUS_INVALID_PARAMETER_1;
  const std::string name = file_name(SectionType, SectionData);
  if (name.empty()) return nt::STATUS_OBJECT_NAME_NOT_FOUND;
  nls::MappedFile f;
  if (nt::NTSTATUS s = nls::map_file(name, f); s != nt::STATUS_SUCCESS) return s;
  if (!SectionPointer.write(f.base)) return nt::STATUS_ACCESS_VIOLATION;
  if (SectionSize && !SectionSize.write(f.size)) return nt::STATUS_ACCESS_VIOLATION;
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
