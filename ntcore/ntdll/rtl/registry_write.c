/* RtlCheckRegistryKey, RtlWriteRegistryValue and RtlDeleteRegistryValue: one-call registry access
 * relative to the well-known roots of RTL_REGISTRY_*. */
#include "registry_private.h"

static const WCHAR* const root_paths[REGISTRY_RTL_MAXIMUM] = {
    L"",
    L"\\Registry\\Machine\\System\\CurrentControlSet\\Services",
    L"\\Registry\\Machine\\System\\CurrentControlSet\\Control",
    L"\\Registry\\Machine\\Software\\Microsoft\\Windows NT\\CurrentVersion",
    L"\\Registry\\Machine\\Hardware\\DeviceMap",
    registry_current_user_path,
};

#define REGISTRY_MAX_PATH 512

NTSTATUS registry_open_relative(ULONG relative_to, PCWSTR path, ACCESS_MASK access, HANDLE* key,
                                BOOLEAN* opened) {
  const ULONG root = relative_to & ~REGISTRY_RTL_OPTIONAL;
  *opened = FALSE;
  if (root & REGISTRY_RTL_HANDLE) {
    *key = (HANDLE)path;
    return STATUS_SUCCESS;
  }
  if (root >= REGISTRY_RTL_MAXIMUM) return STATUS_INVALID_PARAMETER;
  /* Root path, a separator, then the caller's path. */
  WCHAR full[REGISTRY_MAX_PATH];
  ULONG n = 0;
  for (const WCHAR* p = root_paths[root]; *p; ++p) full[n++] = *p;
  if (path) {
    if (n && path[0] && path[0] != L'\\') full[n++] = L'\\';
    for (const WCHAR* p = path; *p; ++p) {
      if (n + 1 >= REGISTRY_MAX_PATH) return STATUS_BUFFER_OVERFLOW;
      full[n++] = *p;
    }
  }
  full[n] = 0;
  UNICODE_STRING name;
  OBJECT_ATTRIBUTES attr;
  RtlInitUnicodeString(&name, full);
  InitializeObjectAttributes(&attr, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
  NTSTATUS status = NtOpenKey(key, access, &attr);
  if (status == STATUS_SUCCESS) *opened = TRUE;
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlCheckRegistryKey(ULONG relative_to, PWSTR path) {
  HANDLE key;
  BOOLEAN opened;
  NTSTATUS status =
      registry_open_relative(relative_to, path, REGISTRY_KEY_QUERY_VALUE, &key, &opened);
  if (opened) NtClose(key);
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlWriteRegistryValue(ULONG relative_to, PCWSTR path, PCWSTR value_name,
                                                  ULONG type, PVOID data, ULONG length) {
  HANDLE key;
  BOOLEAN opened;
  NTSTATUS status =
      registry_open_relative(relative_to, path, REGISTRY_KEY_SET_VALUE, &key, &opened);
  if (status != STATUS_SUCCESS) return status;
  UNICODE_STRING name;
  RtlInitUnicodeString(&name, value_name);
  status = NtSetValueKey(key, &name, 0, type, data, length);
  if (opened) NtClose(key);
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlDeleteRegistryValue(ULONG relative_to, PCWSTR path,
                                                   PCWSTR value_name) {
  HANDLE key;
  BOOLEAN opened;
  NTSTATUS status =
      registry_open_relative(relative_to, path, REGISTRY_KEY_SET_VALUE, &key, &opened);
  if (status != STATUS_SUCCESS) return status;
  UNICODE_STRING name;
  RtlInitUnicodeString(&name, value_name);
  status = NtDeleteValueKey(key, &name);
  if (opened) NtClose(key);
  return status;
}
