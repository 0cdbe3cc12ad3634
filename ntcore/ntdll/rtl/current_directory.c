/* The process's current directory: PEB.ProcessParameters->CurrentDirectory, its DOS path (with a
 * trailing '\', in a buffer of fixed MaximumLength) and an open handle to it, under the PEB lock.
 * */
#include "env_private.h"

/* The directory's length in bytes (without the trailing '\' except for a drive's root, and without
 * NUL) when the buffer (size bytes) holds it with a NUL, else the bytes needed with the NUL. */
NTDLL_EXPORT ULONG NTAPI RtlGetCurrentDirectory_U(ULONG size, PWSTR buffer) {
  RtlAcquirePebLock();
  const UNICODE_STRING* dos = &ir_peb()->ProcessParameters->CurrentDirectory.DosPath;
  SIZE_T len = dos->Length / sizeof(WCHAR);
  if (len > 1 && dos->Buffer[len - 1] == '\\' && !(len == 3 && dos->Buffer[1] == ':')) len--;
  ULONG result;
  if ((len + 1) * sizeof(WCHAR) > size) {
    result = (ULONG)((len + 1) * sizeof(WCHAR));
  } else {
    for (SIZE_T i = 0; i < len; i++) buffer[i] = dos->Buffer[i];
    buffer[len] = 0;
    result = (ULONG)(len * sizeof(WCHAR));
  }
  RtlReleasePebLock();
  return result;
}

/* Makes `directory` (a DOS path, relative to the current directory or not) current: it must be an
 * existing directory we can traverse, and its full path with a trailing '\' must fit the process's
 * current-directory buffer. */
NTDLL_EXPORT NTSTATUS NTAPI RtlSetCurrentDirectory_U(PUNICODE_STRING directory) {
  const SIZE_T in_len = directory->Length / sizeof(WCHAR);
  ENV_PATH name, full, nt;
  env_path_init(&name);
  env_path_init(&full);
  env_path_init(&nt);
  NTSTATUS status = STATUS_NO_MEMORY;
  HANDLE handle = NULL;
  if (!env_path_reserve(&name, in_len + 1)) goto done;
  for (SIZE_T i = 0; i < in_len; i++) name.chars[i] = directory->Buffer[i];
  name.chars[in_len] = 0;

  SIZE_T part = 0;
  status = env_full_path(name.chars, &full, NULL, &part);
  if (!NT_SUCCESS(status)) goto done;
  if (full.chars[full.length - 1] != '\\') {
    if (!env_path_reserve(&full, full.length + 2)) {
      status = STATUS_NO_MEMORY;
      goto done;
    }
    full.chars[full.length++] = '\\';
    full.chars[full.length] = 0;
  }
  /* Opened without its trailing '\' (a file named so is not a directory, not a bad name),
   * but for a drive's root. */
  const BOOLEAN drive_root = full.length == 3 && full.chars[1] == ':';
  if (!drive_root) full.chars[full.length - 1] = 0;
  status = env_nt_path(full.chars, &nt, NULL, &part);
  full.chars[full.length - 1] = '\\';
  if (!NT_SUCCESS(status)) goto done;

  UNICODE_STRING nt_name = {(USHORT)(nt.length * sizeof(WCHAR)),
                            (USHORT)(nt.length * sizeof(WCHAR)), nt.chars};
  OBJECT_ATTRIBUTES attributes = {
      .Length = sizeof(attributes), .ObjectName = &nt_name, .Attributes = OBJ_CASE_INSENSITIVE};
  IO_STATUS_BLOCK io;
  status = NtOpenFile(&handle, FILE_TRAVERSE | SYNCHRONIZE, &attributes, &io,
                      FILE_SHARE_READ | FILE_SHARE_WRITE,
                      FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT);
  if (!NT_SUCCESS(status)) goto done;

  RtlAcquirePebLock();
  IR_CURDIR* cwd = &ir_peb()->ProcessParameters->CurrentDirectory;
  if ((full.length + 1) * sizeof(WCHAR) > cwd->DosPath.MaximumLength) {
    status = STATUS_NAME_TOO_LONG;
  } else {
    for (SIZE_T i = 0; i <= full.length; i++) cwd->DosPath.Buffer[i] = full.chars[i];
    cwd->DosPath.Length = (USHORT)(full.length * sizeof(WCHAR));
    HANDLE old = cwd->Handle;
    cwd->Handle = handle;
    handle = old; /* closed below */
  }
  RtlReleasePebLock();
done:
  if (handle) NtClose(handle);
  env_path_release(&name);
  env_path_release(&full);
  env_path_release(&nt);
  return status;
}
