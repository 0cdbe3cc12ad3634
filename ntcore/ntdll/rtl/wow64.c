/* WOW64 queries and controls as a native 64-bit process sees them: there is no WOW64 layer, so file
 * system redirection cannot be switched and there are no 32-bit thread contexts. */
#include "env_private.h"

NTDLL_EXPORT NTSTATUS NTAPI RtlWow64EnableFsRedirection(BOOLEAN enable) {
  return STATUS_NOT_IMPLEMENTED;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlWow64EnableFsRedirectionEx(PVOID disable, PVOID* old_value) {
  return STATUS_NOT_IMPLEMENTED;
}

/* The process's machine when it runs under WOW64 (IMAGE_FILE_MACHINE_UNKNOWN for a native one) and
 * the system's native machine. */
NTDLL_EXPORT NTSTATUS NTAPI RtlWow64GetProcessMachines(HANDLE process, USHORT* current,
                                                       USHORT* native) {
  ULONG_PTR wow64_peb = 0;
  const NTSTATUS status = NtQueryInformationProcess(process, ProcessWow64Information, &wow64_peb,
                                                    sizeof(wow64_peb), NULL);
  if (!NT_SUCCESS(status)) return status;
  if (current) *current = wow64_peb ? IMAGE_FILE_MACHINE_I386 : IMAGE_FILE_MACHINE_UNKNOWN;
  if (native) *native = IMAGE_FILE_MACHINE_AMD64;
  return STATUS_SUCCESS;
}

/* A 64-bit thread has no WOW64 context: the thread information class refuses it. */
NTDLL_EXPORT NTSTATUS NTAPI RtlWow64GetThreadContext(HANDLE thread, WOW64_CONTEXT* context) {
  return STATUS_INVALID_PARAMETER;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlWow64SetThreadContext(HANDLE thread, const WOW64_CONTEXT* context) {
  return STATUS_INVALID_PARAMETER;
}
