// NtQueryObject. Only ObjectHandleFlagInformation so far (GetHandleInformation, which
// winpthreads calls to check that a thread handle is still valid); the other classes report
// object names, types and counts the object manager does not keep yet.
#include "ireactor/process.h"
#include "ireactor/services/object_services.h"

namespace ireactor {

namespace {

constexpr nt::ULONG ObjectBasicInformation = 0;
constexpr nt::ULONG ObjectNameInformation = 1;
constexpr nt::ULONG ObjectTypeInformation = 2;
constexpr nt::ULONG ObjectTypesInformation = 3;
constexpr nt::ULONG ObjectHandleFlagInformation = 4;
constexpr uint32_t OBJ_PROTECT_CLOSE = 0x1;

struct OBJECT_HANDLE_FLAG_INFORMATION {
  nt::BOOLEAN Inherit;
  nt::BOOLEAN ProtectFromClose;
};

}  // namespace

nt::NTSTATUS NtQueryObject(nt::HANDLE Handle, nt::ULONG ObjectInformationClass,
                           UserPtr<void> ObjectInformation, nt::ULONG ObjectInformationLength,
                           UserPtr<nt::ULONG> ReturnLength) {
  switch (ObjectInformationClass) {
    case ObjectHandleFlagInformation:
      break;
    case ObjectBasicInformation:
    case ObjectNameInformation:
    case ObjectTypeInformation:
    case ObjectTypesInformation:
      return nt::STATUS_NOT_IMPLEMENTED;
    default:
      return nt::STATUS_INVALID_INFO_CLASS;
  }
  constexpr size_t size = sizeof(OBJECT_HANDLE_FLAG_INFORMATION);
  if (ObjectInformationLength != size) return nt::STATUS_INFO_LENGTH_MISMATCH;
  if (!probe_user(ObjectInformation.addr(), size, true)) return nt::STATUS_ACCESS_VIOLATION;
  if (ReturnLength && !probe_user(ReturnLength.addr(), sizeof(nt::ULONG), true))
    return nt::STATUS_ACCESS_VIOLATION;
  HandleEntry e;
  if (nt::NTSTATUS s = current_process().handles.get(Handle, e); !nt::nt_success(s)) return s;
  const OBJECT_HANDLE_FLAG_INFORMATION info{(e.attributes & nt::OBJ_INHERIT) != 0,
                                            (e.attributes & OBJ_PROTECT_CLOSE) != 0};
  if (!copy_to_user(ObjectInformation.addr(), &info, size)) return nt::STATUS_ACCESS_VIOLATION;
  if (ReturnLength) ReturnLength.write(static_cast<nt::ULONG>(size));
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
