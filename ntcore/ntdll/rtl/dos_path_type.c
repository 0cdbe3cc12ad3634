/* What kind of DOS path a string is, and whether it names a DOS device (CON, NUL, COM1, ...). */
#include "env_private.h"

/* "\\server\share" UNC, "C:\x" drive absolute, "C:x" drive relative, "\x" rooted, "x" relative,
 * "\\.\x" and "\\?\x" local device, "\\." and "\\?" alone root local device. '/' separates as '\'
 * does. */
NTDLL_EXPORT RTL_PATH_TYPE NTAPI RtlDetermineDosPathNameType_U(PCWSTR path) {
  if (env_is_sep(path[0])) {
    if (!env_is_sep(path[1])) return RtlPathTypeRooted;
    if (path[2] != '.' && path[2] != '?') return RtlPathTypeUncAbsolute;
    if (env_is_sep(path[3])) return RtlPathTypeLocalDevice;
    if (path[3]) return RtlPathTypeUncAbsolute;
    return RtlPathTypeRootLocalDevice;
  }
  if (!path[0] || path[1] != ':') return RtlPathTypeRelative;
  return env_is_sep(path[2]) ? RtlPathTypeDriveAbsolute : RtlPathTypeDriveRelative;
}

static BOOLEAN same_ignoring_case(const WCHAR* s, const char* ascii, SIZE_T n) {
  for (SIZE_T i = 0; i < n; i++)
    if (env_upcase(s[i]) != (WCHAR)ascii[i]) return FALSE;
  return TRUE;
}

/* Whether name[0..len) is a DOS device name: AUX CON NUL PRN COM1-9 LPT1-9 CONIN$ CONOUT$. */
static BOOLEAN is_device(const WCHAR* name, SIZE_T len) {
  switch (len) {
    case 3:
      return same_ignoring_case(name, "AUX", 3) || same_ignoring_case(name, "CON", 3) ||
             same_ignoring_case(name, "NUL", 3) || same_ignoring_case(name, "PRN", 3);
    case 4:
      return (same_ignoring_case(name, "COM", 3) || same_ignoring_case(name, "LPT", 3)) &&
             name[3] >= '1' && name[3] <= '9';
    case 6:
      return same_ignoring_case(name, "CONIN$", 6);
    case 7:
      return same_ignoring_case(name, "CONOUT$", 7);
    default:
      return FALSE;
  }
}

/* 0, or the device name's offset (high word) and length (low word), both in bytes. A device is the
 * last component, before any extension or ':' and trailing spaces ("c:\dir\con .txt"); "\\.\CON"
 * names one only as the whole path, UNC paths never do. */
NTDLL_EXPORT ULONG NTAPI RtlIsDosDeviceName_U(PCWSTR path) {
  const RTL_PATH_TYPE type = RtlDetermineDosPathNameType_U(path);
  SIZE_T end = wcslen(path);
  switch (type) {
    case RtlPathTypeUncAbsolute:
    case RtlPathTypeRootLocalDevice:
    case RtlPathTypeUnknown:
      return 0;
    case RtlPathTypeLocalDevice:
      return is_device(path + 4, end - 4) ? (4 * sizeof(WCHAR)) << 16 | (ULONG)((end - 4) * 2) : 0;
    default:
      break;
  }
  if (end && path[end - 1] == ':') end--; /* "CON:" */
  while (end && (path[end - 1] == ' ' || path[end - 1] == '.')) end--;
  SIZE_T start = end;
  while (start && !env_is_sep(path[start - 1])) start--;
  if (!start && (type == RtlPathTypeDriveRelative || type == RtlPathTypeDriveAbsolute) && end >= 2)
    start = 2; /* "C:CON" */
  SIZE_T stop = start;
  while (stop < end && path[stop] != '.' && path[stop] != ':') stop++;
  while (stop > start && path[stop - 1] == ' ') stop--;
  if (!is_device(path + start, stop - start)) return 0;
  return (ULONG)(start * sizeof(WCHAR)) << 16 | (ULONG)((stop - start) * sizeof(WCHAR));
}
