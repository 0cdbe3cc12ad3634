/* NTSTATUS -> Win32 error, as Windows maps them: a few rules, then the table
 * (status_to_dos_error_table.h). RtlNtStatusToDosError also records the status in the TEB
 * (RtlGetLastNtStatus reads it back). */
#include "env_private.h"

typedef struct STATUS_ERROR {
  ULONG status;
  ULONG error;
} STATUS_ERROR;

static const STATUS_ERROR table[] = {
#include "status_to_dos_error_table.h"
};

NTDLL_EXPORT ULONG NTAPI RtlNtStatusToDosErrorNoTeb(NTSTATUS status) {
  ULONG s = (ULONG)status;
  /* Success, and customer-defined codes (bit 29), are their own Win32 values. */
  if (!s || (s & 0x20000000)) return s;
  /* 0xDxxxxxxx (error severity with the reserved bit 28) maps as 0xCxxxxxxx. */
  if ((s & 0xF0000000) == 0xD0000000) s &= ~0x10000000u;
  /* Win32 errors carried in a status (FACILITY_NTWIN32 0xC007, HRESULT_FROM_WIN32's 0x8007) and the
   * debugger's facility 0xC001 give back their low word. */
  const ULONG high = s >> 16;
  if (high == 0xC001 || high == 0x8007 || high == 0xC007) return s & 0xFFFF;

  size_t lo = 0, hi = sizeof(table) / sizeof(table[0]);
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (table[mid].status == s) return table[mid].error;
    if (table[mid].status < s)
      lo = mid + 1;
    else
      hi = mid;
  }
  return ERROR_MR_MID_NOT_FOUND;
}

NTDLL_EXPORT ULONG NTAPI RtlNtStatusToDosError(NTSTATUS status) {
  ir_teb()->LastStatusValue = status;
  return RtlNtStatusToDosErrorNoTeb(status);
}
