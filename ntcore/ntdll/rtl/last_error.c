/* The thread's last Win32 error, last NT status and hard-error mode: TEB fields, no system call. */
#include "env_private.h"

/* RTL_ERRORMODE_FAILCRITICALERRORS, _NOGPFAULTERRORBOX, _NOOPENFILEERRORBOX (SetErrorMode's
 * SEM_* bits, renumbered): the only bits a thread's mode may hold. */
#define ENV_ERROR_MODE_MASK 0x70

NTDLL_EXPORT void NTAPI RtlSetLastWin32Error(DWORD error) {
  ir_teb()->LastErrorValue = error;
}

NTDLL_EXPORT void NTAPI RtlRestoreLastWin32Error(DWORD error) {
  ir_teb()->LastErrorValue = error;
}

NTDLL_EXPORT DWORD NTAPI RtlGetLastWin32Error(void) {
  return ir_teb()->LastErrorValue;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlGetLastNtStatus(void) {
  return ir_teb()->LastStatusValue;
}

static ULONG* hard_error_mode(void) {
  return (ULONG*)((BYTE*)ir_teb() + ENV_TEB_HARD_ERROR_MODE);
}

NTDLL_EXPORT DWORD NTAPI RtlGetThreadErrorMode(void) {
  return *hard_error_mode();
}

/* The thread's mode holds RTL_ERRORMODE_* (SEM_* shifted left by 4). */
NTDLL_EXPORT NTSTATUS NTAPI RtlSetThreadErrorMode(DWORD mode, LPDWORD old_mode) {
  if (mode & ~ENV_ERROR_MODE_MASK) return STATUS_INVALID_PARAMETER_1;
  if (old_mode) *old_mode = *hard_error_mode();
  *hard_error_mode() = mode;
  return STATUS_SUCCESS;
}
