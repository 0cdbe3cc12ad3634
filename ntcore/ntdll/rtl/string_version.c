/* VerSetConditionMask: the 3-bit comparison operator for one VER_* field of
 * RtlVerifyVersionInfo/VerifyVersionInfo, at bit 3 * (field's bit index). With several fields in
 * type_mask only the highest is set, as Windows does; condition 0 changes nothing. */
#include "strings_private.h"

NTDLL_EXPORT ULONGLONG NTAPI VerSetConditionMask(ULONGLONG mask, DWORD type_mask, BYTE condition) {
  condition &= 7;
  if (!condition) return mask;
  for (int field = 7; field >= 0; field--) { /* VER_PRODUCT_TYPE (0x80) down to VER_MINORVERSION */
    if (type_mask & (1u << field)) return mask | (ULONGLONG)condition << (3 * field);
  }
  return mask;
}
