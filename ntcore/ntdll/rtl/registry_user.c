/* The current user's hive: RtlFormatCurrentUserKeyPath and RtlOpenCurrentUser. Every namespace
 * has one user, with the fixed SID S-1-5-21-0-0-0-1000: there are no tokens to ask. */
#include "registry_private.h"

const WCHAR registry_current_user_path[] = L"\\Registry\\User\\S-1-5-21-0-0-0-1000";

NTDLL_EXPORT NTSTATUS NTAPI RtlFormatCurrentUserKeyPath(PUNICODE_STRING path) {
  const USHORT bytes = sizeof(registry_current_user_path) - sizeof(WCHAR);
  WCHAR* buf = RtlAllocateHeap(ir_peb()->ProcessHeap, 0, bytes + sizeof(WCHAR));
  if (!buf) return STATUS_NO_MEMORY;
  for (USHORT i = 0; i <= bytes / sizeof(WCHAR); ++i) buf[i] = registry_current_user_path[i];
  path->Buffer = buf;
  path->Length = bytes;
  path->MaximumLength = bytes + sizeof(WCHAR);
  return STATUS_SUCCESS;
}

static NTSTATUS open_path(const WCHAR* path, ACCESS_MASK access, HANDLE* key) {
  UNICODE_STRING name;
  OBJECT_ATTRIBUTES attr;
  RtlInitUnicodeString(&name, path);
  InitializeObjectAttributes(&attr, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
  return NtOpenKey(key, access, &attr);
}

/* Falls back to the default user's hive, as Windows does when the user's own is not loaded. */
NTDLL_EXPORT NTSTATUS NTAPI RtlOpenCurrentUser(ACCESS_MASK access, PHANDLE key) {
  NTSTATUS status = open_path(registry_current_user_path, access, key);
  if (status != STATUS_SUCCESS) status = open_path(L"\\Registry\\User\\.Default", access, key);
  return status;
}
