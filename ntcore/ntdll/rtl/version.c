/* The Windows version as the PEB carries it (the runtime fills OSMajorVersion, OSMinorVersion,
 * OSBuildNumber and OSPlatformId for the namespace's Windows build) and the version checks made
 * against it. */
#include "env_private.h"

#define KUSER_NT_PRODUCT_TYPE 0x264 /* ULONG: VER_NT_WORKSTATION, ... */
#define KUSER_SUITE_MASK 0x2D0      /* ULONG */

NTDLL_EXPORT NTSTATUS NTAPI RtlGetVersion(PRTL_OSVERSIONINFOW info) {
  const IR_PEB* peb = ir_peb();
  info->dwMajorVersion = peb->OSMajorVersion;
  info->dwMinorVersion = peb->OSMinorVersion;
  info->dwBuildNumber = peb->OSBuildNumber;
  info->dwPlatformId = peb->OSPlatformId;
  info->szCSDVersion[0] = 0; /* no service pack on Windows 10 and later */
  if (info->dwOSVersionInfoSize == sizeof(RTL_OSVERSIONINFOEXW)) {
    RTL_OSVERSIONINFOEXW* ex = (RTL_OSVERSIONINFOEXW*)info;
    ex->wServicePackMajor = peb->OSCSDVersion >> 8;
    ex->wServicePackMinor = peb->OSCSDVersion & 0xFF;
    ex->wSuiteMask = (WORD) * (const volatile ULONG*)(ENV_KUSER + KUSER_SUITE_MASK);
    ex->wProductType = (BYTE) * (const volatile ULONG*)(ENV_KUSER + KUSER_NT_PRODUCT_TYPE);
    ex->wReserved = 0;
  }
  return STATUS_SUCCESS;
}

/* The build number's top nibble says a free build (0xF), as Windows reports it. */
NTDLL_EXPORT void NTAPI RtlGetNtVersionNumbers(LPDWORD major, LPDWORD minor, LPDWORD build) {
  const IR_PEB* peb = ir_peb();
  if (major) *major = peb->OSMajorVersion;
  if (minor) *minor = peb->OSMinorVersion;
  if (build) *build = 0xF0000000u | peb->OSBuildNumber;
}

/* The product our namespaces present: a workstation, Windows 10/11 Pro. Versions before Vista have
 * no product types. */
NTDLL_EXPORT BOOLEAN NTAPI RtlGetProductInfo(DWORD os_major, DWORD os_minor, DWORD sp_major,
                                             DWORD sp_minor, PDWORD product) {
  if (os_major < 6) {
    *product = PRODUCT_UNDEFINED;
    return FALSE;
  }
  *product = PRODUCT_PROFESSIONAL;
  return TRUE;
}

/* The VER_* condition VerSetConditionMask stored for `type` (three bits per type bit). */
static ULONG condition_of(ULONGLONG conditions, ULONG type) {
  return (ULONG)(conditions >> (3 * __builtin_ctz(type))) & 7;
}

static BOOLEAN compare(ULONG actual, ULONG wanted, ULONG condition) {
  switch (condition) {
    case VER_EQUAL:
      return actual == wanted;
    case VER_GREATER:
      return actual > wanted;
    case VER_GREATER_EQUAL:
      return actual >= wanted;
    case VER_LESS:
      return actual < wanted;
    case VER_LESS_EQUAL:
      return actual <= wanted;
    default:
      return FALSE;
  }
}

/* Major version, minor version, service pack major and minor compare as one number: the first
 * level named that differs decides, under its own condition; equal all the way down passes when
 * the last condition named accepts equality. */
static BOOLEAN version_matches(const RTL_OSVERSIONINFOEXW* actual,
                               const RTL_OSVERSIONINFOEXW* wanted, ULONG types,
                               ULONGLONG conditions) {
  const ULONG level_types[4] = {VER_MAJORVERSION, VER_MINORVERSION, VER_SERVICEPACKMAJOR,
                                VER_SERVICEPACKMINOR};
  const ULONG have[4] = {actual->dwMajorVersion, actual->dwMinorVersion, actual->wServicePackMajor,
                         actual->wServicePackMinor};
  const ULONG want[4] = {wanted->dwMajorVersion, wanted->dwMinorVersion, wanted->wServicePackMajor,
                         wanted->wServicePackMinor};
  ULONG last_condition = VER_EQUAL;
  for (int i = 0; i < 4; i++) {
    if (!(types & level_types[i])) continue;
    last_condition = condition_of(conditions, level_types[i]);
    if (have[i] != want[i]) return compare(have[i], want[i], last_condition);
  }
  return compare(0, 0, last_condition);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlVerifyVersionInfo(PRTL_OSVERSIONINFOEXW wanted, ULONG types,
                                                 ULONGLONG conditions) {
  if (!types || !conditions) return STATUS_INVALID_PARAMETER;
  RTL_OSVERSIONINFOEXW actual;
  actual.dwOSVersionInfoSize = sizeof(actual);
  RtlGetVersion((PRTL_OSVERSIONINFOW)&actual);

  if (types & VER_PRODUCT_TYPE && !compare(actual.wProductType, wanted->wProductType,
                                           condition_of(conditions, VER_PRODUCT_TYPE)))
    return STATUS_REVISION_MISMATCH;
  if (types & VER_SUITENAME) {
    const ULONG condition = condition_of(conditions, VER_SUITENAME);
    const ULONG common = actual.wSuiteMask & wanted->wSuiteMask;
    if (condition == VER_AND ? common != wanted->wSuiteMask : condition == VER_OR ? !common : 1)
      return STATUS_REVISION_MISMATCH;
  }
  if (types & VER_PLATFORMID &&
      !compare(actual.dwPlatformId, wanted->dwPlatformId, condition_of(conditions, VER_PLATFORMID)))
    return STATUS_REVISION_MISMATCH;
  if (types & VER_BUILDNUMBER && !compare(actual.dwBuildNumber, wanted->dwBuildNumber,
                                          condition_of(conditions, VER_BUILDNUMBER)))
    return STATUS_REVISION_MISMATCH;
  if (types & (VER_MAJORVERSION | VER_MINORVERSION | VER_SERVICEPACKMAJOR | VER_SERVICEPACKMINOR) &&
      !version_matches(&actual, wanted, types, conditions))
    return STATUS_REVISION_MISMATCH;
  return STATUS_SUCCESS;
}
