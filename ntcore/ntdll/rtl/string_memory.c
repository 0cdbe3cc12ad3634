/* The Rtl memory primitives. On x64 Windows' ntdll exports them as functions (the SDK's
 * RtlCopyMemory & co. are macros over the C library, undone here). / */
#include "strings_private.h"

#undef RtlCopyMemory
#undef RtlMoveMemory
#undef RtlFillMemory
#undef RtlZeroMemory

/* How many leading bytes of a and b are equal. */
NTDLL_EXPORT SIZE_T NTAPI RtlCompareMemory(const VOID* a, const VOID* b, SIZE_T length) {
  const BYTE *x = a, *y = b;
  SIZE_T n = 0;
  while (n < length && x[n] == y[n]) n++;
  return n;
}

NTDLL_EXPORT VOID NTAPI RtlCopyMemory(VOID* dst, const VOID* src, SIZE_T length) {
  memmove(dst, src, length); /* Windows' x64 RtlCopyMemory tolerates overlap too */
}

NTDLL_EXPORT VOID NTAPI RtlCopyMemoryNonTemporal(VOID* dst, const VOID* src, SIZE_T length) {
  memmove(dst, src, length); /* the cache hint makes no difference to the result */
}

NTDLL_EXPORT VOID NTAPI RtlMoveMemory(VOID* dst, const VOID* src, SIZE_T length) {
  memmove(dst, src, length);
}

NTDLL_EXPORT VOID NTAPI RtlFillMemory(VOID* dst, SIZE_T length, BYTE fill) {
  memset(dst, fill, length);
}

NTDLL_EXPORT VOID NTAPI RtlZeroMemory(VOID* dst, SIZE_T length) {
  memset(dst, 0, length);
}

/* How many bytes from src, in whole ULONGs, equal value (src is ULONG-aligned). */
NTDLL_EXPORT SIZE_T NTAPI RtlCompareMemoryUlong(const VOID* src, SIZE_T length, ULONG value) {
  const ULONG* p = src;
  SIZE_T i = 0;
  while (i < length / sizeof(ULONG) && p[i] == value) i++;
  return i * sizeof(ULONG);
}

NTDLL_EXPORT VOID NTAPI RtlFillMemoryUlong(VOID* dst, SIZE_T length, ULONG value) {
  ULONG* p = dst;
  for (SIZE_T i = 0; i < length / sizeof(ULONG); i++) p[i] = value;
}
