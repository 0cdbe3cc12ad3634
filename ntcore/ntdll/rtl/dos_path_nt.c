/* DOS paths to NT paths: "\\?\x" passes through as "\??\x" untouched; anything else is made a full
 * path first, then "\\.\x" becomes "\??\x", "\\server\share" "\??\UNC\server\share" and "C:\x"
 * "\??\C:\x". The NT name's buffer comes from the process heap (RtlFreeUnicodeString frees it). */
#include "env_private.h"

static const WCHAR nt_prefix[] = {'\\', '?', '?', '\\'};

static void append(ENV_PATH* path, const WCHAR* s, SIZE_T n) {
  for (SIZE_T i = 0; i < n; i++) path->chars[path->length++] = s[i];
}

NTSTATUS env_nt_path(const WCHAR* name, ENV_PATH* out, RTL_PATH_TYPE* type_out, SIZE_T* file_part) {
  out->length = 0;
  *file_part = 0;
  if (!name || !name[0]) return STATUS_OBJECT_NAME_INVALID;
  if (name[0] == '\\' && name[1] == '\\' && name[2] == '?' && name[3] == '\\') {
    const SIZE_T len = wcslen(name);
    if (type_out) *type_out = RtlPathTypeRootLocalDevice;
    if (!env_path_reserve(out, len + 1)) return STATUS_NO_MEMORY;
    append(out, nt_prefix, 4);
    append(out, name + 4, len - 4);
    out->chars[out->length] = 0;
    SIZE_T i = out->length;
    while (i > 4 && out->chars[i - 1] != '\\') i--;
    if (i > 4 && i < out->length) *file_part = i;
    return STATUS_SUCCESS;
  }
  ENV_PATH full;
  env_path_init(&full);
  SIZE_T part = 0;
  NTSTATUS status = env_full_path(name, &full, type_out, &part);
  if (NT_SUCCESS(status) && !env_path_reserve(out, full.length + 8)) status = STATUS_NO_MEMORY;
  if (NT_SUCCESS(status)) {
    const WCHAR* p = full.chars;
    SIZE_T skip = 0;
    append(out, nt_prefix, 4);
    if (p[0] == '\\' && p[1] == '\\' && (p[2] == '.' || p[2] == '?') && p[3] == '\\') {
      skip = 4; /* \\.\x -> \??\x */
    } else if (p[0] == '\\' && p[1] == '\\') {
      append(out, L"UNC\\", 4);
      skip = 2; /* \\server\share -> \??\UNC\server\share */
    }
    append(out, p + skip, full.length - skip);
    out->chars[out->length] = 0;
    if (part < full.length && part >= skip) *file_part = out->length - (full.length - part);
    if (out->length * sizeof(WCHAR) > 0xFFFC) status = STATUS_NAME_TOO_LONG;
  }
  env_path_release(&full);
  return status;
}

/* The shared work of the four exports. A relative name (with `relative`) is also given as the part
 * after the current directory when the NT path lies under it, with the current directory's handle
 * to open it from. */
static NTSTATUS dos_to_nt(PCWSTR dos, PUNICODE_STRING nt, PWSTR* file_part,
                          RTL_RELATIVE_NAME_U* relative, BOOLEAN want_relative) {
  if (file_part) *file_part = NULL;
  if (relative) {
    relative->RelativeName.Length = relative->RelativeName.MaximumLength = 0;
    relative->RelativeName.Buffer = NULL;
    relative->ContainingDirectory = NULL;
    relative->CurDirRef = NULL;
  }
  ENV_PATH path;
  env_path_init(&path);
  RTL_PATH_TYPE type = RtlPathTypeUnknown;
  SIZE_T part = 0;
  NTSTATUS status = env_nt_path(dos, &path, &type, &part);
  if (!NT_SUCCESS(status)) goto done;
  const SIZE_T bytes = path.length * sizeof(WCHAR);
  WCHAR* buffer = RtlAllocateHeap(ir_peb()->ProcessHeap, 0, bytes + sizeof(WCHAR));
  if (!buffer) {
    status = STATUS_NO_MEMORY;
    goto done;
  }
  for (SIZE_T i = 0; i <= path.length; i++) buffer[i] = path.chars[i];
  nt->Buffer = buffer;
  nt->Length = (USHORT)bytes;
  nt->MaximumLength = (USHORT)(bytes + sizeof(WCHAR));
  if (file_part && part) *file_part = buffer + part;

  if (want_relative && relative && type == RtlPathTypeRelative) {
    RtlAcquirePebLock();
    const IR_CURDIR* cwd = &ir_peb()->ProcessParameters->CurrentDirectory;
    const SIZE_T cur_len = cwd->DosPath.Length / sizeof(WCHAR);
    BOOLEAN under = cwd->Handle && cur_len && path.length > 4 + cur_len;
    for (SIZE_T i = 0; under && i < cur_len; i++)
      under = env_upcase(cwd->DosPath.Buffer[i]) == env_upcase(buffer[4 + i]);
    if (under) {
      relative->RelativeName.Buffer = buffer + 4 + cur_len;
      relative->RelativeName.Length = (USHORT)(bytes - (4 + cur_len) * sizeof(WCHAR));
      relative->RelativeName.MaximumLength = relative->RelativeName.Length + sizeof(WCHAR);
      relative->ContainingDirectory = cwd->Handle;
    }
    RtlReleasePebLock();
  }
done:
  env_path_release(&path);
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlDosPathNameToNtPathName_U_WithStatus(PCWSTR dos, PUNICODE_STRING nt,
                                                                    PWSTR* file_part,
                                                                    RTL_RELATIVE_NAME_U* relative) {
  return dos_to_nt(dos, nt, file_part, relative, FALSE);
}

NTDLL_EXPORT BOOL NTAPI RtlDosPathNameToNtPathName_U(PCWSTR dos, PUNICODE_STRING nt,
                                                     PCWSTR* file_part, void* relative) {
  return NT_SUCCESS(dos_to_nt(dos, nt, (PWSTR*)file_part, relative, FALSE));
}

NTDLL_EXPORT NTSTATUS NTAPI RtlDosPathNameToRelativeNtPathName_U_WithStatus(
    PCWSTR dos, PUNICODE_STRING nt, PWSTR* file_part, RTL_RELATIVE_NAME_U* relative) {
  return dos_to_nt(dos, nt, file_part, relative, TRUE);
}

NTDLL_EXPORT BOOLEAN NTAPI RtlDosPathNameToRelativeNtPathName_U(PCWSTR dos, PUNICODE_STRING nt,
                                                                PWSTR* file_part,
                                                                RTL_RELATIVE_NAME_U* relative) {
  return NT_SUCCESS(dos_to_nt(dos, nt, file_part, relative, TRUE));
}

/* We take no reference on the current directory for a relative name: nothing to drop. */
NTDLL_EXPORT void NTAPI RtlReleaseRelativeName(RTL_RELATIVE_NAME_U* relative) {
  relative->CurDirRef = NULL;
}

NTSTATUS NTAPI NtQueryAttributesFile(POBJECT_ATTRIBUTES attributes, PVOID basic_information);

/* Whether a file (or directory) of that DOS name exists: one the system refuses to show us
 * (sharing, access) exists too. */
NTDLL_EXPORT BOOLEAN NTAPI RtlDoesFileExists_U(PCWSTR name) {
  ENV_PATH path;
  env_path_init(&path);
  SIZE_T part = 0;
  BOOLEAN exists = FALSE;
  if (NT_SUCCESS(env_nt_path(name, &path, NULL, &part))) {
    UNICODE_STRING nt = {(USHORT)(path.length * sizeof(WCHAR)),
                         (USHORT)(path.length * sizeof(WCHAR)), path.chars};
    OBJECT_ATTRIBUTES attributes = {
        .Length = sizeof(attributes), .ObjectName = &nt, .Attributes = OBJ_CASE_INSENSITIVE};
    BYTE info[40]; /* FILE_BASIC_INFORMATION */
    const NTSTATUS status = NtQueryAttributesFile(&attributes, info);
    exists =
        NT_SUCCESS(status) || status == STATUS_SHARING_VIOLATION || status == STATUS_ACCESS_DENIED;
  }
  env_path_release(&path);
  return exists;
}
