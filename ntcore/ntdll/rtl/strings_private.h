/* The "strings" family's private declarations: the case mapping and heap functions other families
 * export (declared here so our files do not depend on their headers), and the helpers shared
 * between the crt_*.c and string_*.c files (prefixed strings_). */
#ifndef STRINGS_PRIVATE_H
#define STRINGS_PRIVATE_H

/* mingw-w64 declares the C library functions dllimport (_CRTIMP, _SECIMP); here we define them. */
#define _CRTIMP
#define _SECIMP
#include "ntdll_base.h"

/* nls family (rtl/unicode_case.c): full Unicode simple case mapping from l_intl.nls. */
WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR ch);
WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR ch);

/* nls family: the ANSI code page conversions. */
NTSTATUS NTAPI RtlMultiByteToUnicodeN(WCHAR* dst, ULONG dst_max, ULONG* dst_len, const char* src,
                                      ULONG src_len);
NTSTATUS NTAPI RtlUnicodeToMultiByteN(char* dst, ULONG dst_max, ULONG* dst_len, const WCHAR* src,
                                      ULONG src_len);

/* The process heap (heap family) that Rtl*String allocations come from. */
static inline HANDLE strings_process_heap(void) {
  return ir_peb()->ProcessHeap;
}

/* ASCII-only classification and folding: ntdll's C library works in the "C" locale. */
static inline int strings_ascii_lower(int c) {
  return c >= 'A' && c <= 'Z' ? c + 32 : c;
}
static inline int strings_ascii_upper(int c) {
  return c >= 'a' && c <= 'z' ? c - 32 : c;
}
static inline int strings_is_space(int c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The value of a digit in bases up to 36, or 36 and above for anything else. */
static inline unsigned strings_digit_value(unsigned c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

/* The printf engine (crt_format.c) behind the sprintf family, RtlFormatMessage's inserts and the
 * Wine debug header. strings_format formats into buf (count characters; wide: WCHAR buf and format)
 * and returns the length, or -1 when it did not fit (buf then holds the first count characters,
 * unterminated). strings_measure returns the length the text would have. */
int strings_format(void* buf, size_t count, int wide, const void* fmt, va_list ap);
int strings_measure(int wide, const void* fmt, va_list ap);
int strings_sprintf(char* buf, size_t count, const char* fmt, ...);

#endif
