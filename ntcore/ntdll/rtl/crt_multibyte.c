/* mbstowcs/wcstombs as ntdll exports them: conversions in the ANSI code page (not the C
 * library's locale). With no destination they return the length the conversion needs; the
 * result is terminated only when the count leaves room. */
#include "strings_private.h"

NTSTATUS NTAPI RtlMultiByteToUnicodeSize(ULONG* size, const char* src, ULONG src_len); /* nls */

NTDLL_EXPORT size_t __cdecl mbstowcs(WCHAR* dst, const char* src, size_t n) {
  const ULONG src_len = (ULONG)strlen(src);
  ULONG bytes = 0;
  if (!dst) {
    RtlMultiByteToUnicodeSize(&bytes, src, src_len);
    return bytes / sizeof(WCHAR);
  }
  if (!n) return 0;
  const size_t cap = n > 0x7FFFFFFF / sizeof(WCHAR) ? 0x7FFFFFFF / sizeof(WCHAR) : n;
  RtlMultiByteToUnicodeN(dst, (ULONG)(cap * sizeof(WCHAR)), &bytes, src, src_len);
  const size_t len = bytes / sizeof(WCHAR);
  if (len < n) dst[len] = 0;
  return len;
}

NTDLL_EXPORT size_t __cdecl wcstombs(char* dst, const WCHAR* src, size_t n) {
  const ULONG src_bytes = (ULONG)(wcslen(src) * sizeof(WCHAR));
  ULONG len = 0;
  if (!dst) {
    RtlUnicodeToMultiByteSize(&len, (WCHAR*)src, src_bytes); /* mingw: PWCH */
    return len;
  }
  if (!n) return 0;
  RtlUnicodeToMultiByteN(dst, n > 0x7FFFFFFF ? 0x7FFFFFFF : (ULONG)n, &len, src, src_bytes);
  if (len < n) dst[len] = 0;
  return len;
}
