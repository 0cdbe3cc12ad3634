/* Number <-> text in the C library: strtol/strtoul/wcstol/wcstoul, atoi and friends, _itoa and
 * friends. msvcrt's rules: leading white space, an optional sign, base 0 reads 0x/0 prefixes; no
 * digits at all leaves *end at the start of the string; out of range values saturate. The wide
 * parsers also take the Unicode decimal digits (fullwidth, Arabic-Indic, ...) as msvcrt's do. */
#include "strings_private.h"

#define LONG_MAX_VALUE 0x7FFFFFFFUL
#define ULONG_MAX_VALUE 0xFFFFFFFFUL

/* The first code point of each run of ten Unicode decimal digits (after ASCII) the wide parsers
 * accept. */
static const WCHAR digit_zeros[] = {0x0660, 0x06F0, 0x0966, 0x09E6, 0x0A66, 0x0AE6,
                                    0x0B66, 0x0C66, 0x0CE6, 0x0D66, 0x0E50, 0x0ED0,
                                    0x0F20, 0x1040, 0x17E0, 0x1810, 0xFF10};

static unsigned wide_digit_value(WCHAR c) {
  if (c < 0x80) return strings_digit_value(c);
  for (size_t i = 0; i < sizeof(digit_zeros) / sizeof(digit_zeros[0]); i++)
    if (c >= digit_zeros[i] && c < digit_zeros[i] + 10) return c - digit_zeros[i];
  return 99;
}

/* Reads one unit of a narrow (wide == 0) or wide string. */
static unsigned unit_at(const void* s, size_t i, int wide) {
  return wide ? ((const WCHAR*)s)[i] : ((const unsigned char*)s)[i];
}

/* The common parser: the magnitude (saturated to max_magnitude, with *overflow set), the sign, and
 * the index just past the number (0 when there is none). */
static ULONGLONG parse_number(const void* s, int wide, int base, ULONGLONG max_magnitude,
                              int* negative, int* overflow, size_t* end) {
  size_t i = 0;
  *negative = 0;
  *overflow = 0;
  *end = 0;
  if (base < 0 || base == 1 || base > 36) return 0;
  while (strings_is_space((int)unit_at(s, i, wide))) i++;
  if (unit_at(s, i, wide) == '-' || unit_at(s, i, wide) == '+') {
    *negative = unit_at(s, i, wide) == '-';
    i++;
  }
  const int x_follows = (unit_at(s, i + 1, wide) | 0x20) == 'x';
  if (unit_at(s, i, wide) == '0' && x_follows && (base == 0 || base == 16)) {
    base = 16;
    i += 2;
  } else if (base == 0) {
    base = unit_at(s, i, wide) == '0' ? 8 : 10;
  }
  ULONGLONG value = 0;
  int digits = 0;
  for (;; i++) {
    const unsigned c = unit_at(s, i, wide);
    const unsigned d = wide ? wide_digit_value((WCHAR)c) : strings_digit_value(c);
    if (d >= (unsigned)base) break;
    digits++;
    if (value > (max_magnitude - d) / (unsigned)base) {
      *overflow = 1;
      value = max_magnitude;
    } else if (!*overflow) {
      value = value * (unsigned)base + d;
    }
  }
  if (digits) *end = i;
  return digits ? value : 0;
}

static LONG to_long(const void* s, const void** end, int base, int wide) {
  int negative, overflow;
  size_t stop;
  ULONGLONG v = parse_number(s, wide, base, 0xFFFFFFFFULL, &negative, &overflow, &stop);
  if (end) *end = (const char*)s + (wide ? stop * 2 : stop);
  if (negative) return v > LONG_MAX_VALUE + 1 ? (LONG)0x80000000 : (LONG)(0 - v);
  return v > LONG_MAX_VALUE ? (LONG)LONG_MAX_VALUE : (LONG)v;
}

/* strtoul negates a '-' number as an unsigned value ("-1" is 0xFFFFFFFF); overflow gives the
 * maximum whatever the sign. */
static ULONG to_ulong(const void* s, const void** end, int base, int wide) {
  int negative, overflow;
  size_t stop;
  ULONGLONG v = parse_number(s, wide, base, ULONG_MAX_VALUE, &negative, &overflow, &stop);
  if (end) *end = (const char*)s + (wide ? stop * 2 : stop);
  if (overflow) return ULONG_MAX_VALUE;
  return negative ? (ULONG)(0 - v) : (ULONG)v;
}

/* atoi and friends: base 10, no saturation (the value wraps as Windows' 64-bit atoi does). */
static LONGLONG to_longlong(const void* s, int wide) {
  int negative, overflow;
  size_t stop;
  ULONGLONG v = parse_number(s, wide, 10, ~0ULL, &negative, &overflow, &stop);
  return negative ? (LONGLONG)(0 - v) : (LONGLONG)v;
}

NTDLL_EXPORT long __cdecl strtol(const char* s, char** end, int base) {
  return to_long(s, (const void**)end, base, 0);
}
NTDLL_EXPORT unsigned long __cdecl strtoul(const char* s, char** end, int base) {
  return to_ulong(s, (const void**)end, base, 0);
}
NTDLL_EXPORT long __cdecl wcstol(const WCHAR* s, WCHAR** end, int base) {
  return to_long(s, (const void**)end, base, 1);
}
NTDLL_EXPORT unsigned long __cdecl wcstoul(const WCHAR* s, WCHAR** end, int base) {
  return to_ulong(s, (const void**)end, base, 1);
}

/* The 64-bit wide parsers saturate at the 64-bit limits. */
NTDLL_EXPORT LONGLONG __cdecl _wcstoi64(const WCHAR* s, WCHAR** end, int base) {
  int negative, overflow;
  size_t stop;
  const ULONGLONG v = parse_number(s, 1, base, ~0ULL, &negative, &overflow, &stop);
  if (end) *end = (WCHAR*)s + stop;
  const ULONGLONG max = 0x7FFFFFFFFFFFFFFFULL;
  if (negative) return v > max + 1 ? (LONGLONG)(max + 1) : (LONGLONG)(0 - v);
  return v > max ? (LONGLONG)max : (LONGLONG)v;
}

NTDLL_EXPORT ULONGLONG __cdecl _wcstoui64(const WCHAR* s, WCHAR** end, int base) {
  int negative, overflow;
  size_t stop;
  const ULONGLONG v = parse_number(s, 1, base, ~0ULL, &negative, &overflow, &stop);
  if (end) *end = (WCHAR*)s + stop;
  if (overflow) return ~0ULL;
  return negative ? 0 - v : v;
}

NTDLL_EXPORT int __cdecl atoi(const char* s) {
  return (int)to_longlong(s, 0);
}
NTDLL_EXPORT long __cdecl atol(const char* s) {
  return (long)to_longlong(s, 0);
}
NTDLL_EXPORT LONGLONG __cdecl _atoi64(const char* s) {
  return to_longlong(s, 0);
}
NTDLL_EXPORT int __cdecl _wtoi(const WCHAR* s) {
  return (int)to_longlong(s, 1);
}
NTDLL_EXPORT long __cdecl _wtol(const WCHAR* s) {
  return (long)to_longlong(s, 1);
}
NTDLL_EXPORT LONGLONG __cdecl _wtoi64(const WCHAR* s) {
  return to_longlong(s, 1);
}

/* Writes value in radix (2..36, lowercase letters), with a '-' when negative is set, as narrow or
 * wide text. */
static void* to_text(ULONGLONG value, int negative, void* out, int radix, int wide) {
  char digits[65];
  int n = 0;
  if (radix < 2 || radix > 36) radix = 10;
  do {
    digits[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[value % (unsigned)radix];
    value /= (unsigned)radix;
  } while (value);
  size_t i = 0;
  if (negative) digits[n++] = '-';
  while (n) {
    const char c = digits[--n];
    if (wide)
      ((WCHAR*)out)[i++] = (WCHAR)c;
    else
      ((char*)out)[i++] = c;
  }
  if (wide)
    ((WCHAR*)out)[i] = 0;
  else
    ((char*)out)[i] = 0;
  return out;
}

/* Signed conversions print a '-' only in radix 10; other radixes show the two's complement. */
static void* signed_text(LONGLONG v, ULONGLONG mask, void* out, int radix, int wide) {
  if (radix == 10 && v < 0) return to_text(0 - (ULONGLONG)v, 1, out, radix, wide);
  return to_text((ULONGLONG)v & mask, 0, out, radix, wide);
}

NTDLL_EXPORT char* __cdecl _itoa(int v, char* out, int radix) {
  return signed_text(v, 0xFFFFFFFFULL, out, radix, 0);
}
NTDLL_EXPORT char* __cdecl _ltoa(long v, char* out, int radix) {
  return signed_text(v, 0xFFFFFFFFULL, out, radix, 0);
}
NTDLL_EXPORT char* __cdecl _ultoa(unsigned long v, char* out, int radix) {
  return to_text(v, 0, out, radix, 0);
}
NTDLL_EXPORT char* __cdecl _i64toa(LONGLONG v, char* out, int radix) {
  return signed_text(v, ~0ULL, out, radix, 0);
}
NTDLL_EXPORT char* __cdecl _ui64toa(ULONGLONG v, char* out, int radix) {
  return to_text(v, 0, out, radix, 0);
}
NTDLL_EXPORT WCHAR* __cdecl _itow(int v, WCHAR* out, int radix) {
  return signed_text(v, 0xFFFFFFFFULL, out, radix, 1);
}
NTDLL_EXPORT WCHAR* __cdecl _ltow(long v, WCHAR* out, int radix) {
  return signed_text(v, 0xFFFFFFFFULL, out, radix, 1);
}
NTDLL_EXPORT WCHAR* __cdecl _ultow(unsigned long v, WCHAR* out, int radix) {
  return to_text(v, 0, out, radix, 1);
}
NTDLL_EXPORT WCHAR* __cdecl _i64tow(LONGLONG v, WCHAR* out, int radix) {
  return signed_text(v, ~0ULL, out, radix, 1);
}
NTDLL_EXPORT WCHAR* __cdecl _ui64tow(ULONGLONG v, WCHAR* out, int radix) {
  return to_text(v, 0, out, radix, 1);
}

/* The _s forms: EINVAL (22) without a buffer or with a bad radix, ERANGE (34) when the text and
 * its terminator do not fit; the buffer then holds "". */
static int to_text_s(ULONGLONG value, int negative, void* out, size_t size, int radix, int wide) {
  if (!out || !size) return 22;
  if (radix < 2 || radix > 36) {
    if (wide)
      ((WCHAR*)out)[0] = 0;
    else
      ((char*)out)[0] = 0;
    return 22;
  }
  size_t len = negative ? 1 : 0;
  ULONGLONG v = value;
  do {
    len++;
    v /= (unsigned)radix;
  } while (v);
  if (len + 1 > size) {
    if (wide)
      ((WCHAR*)out)[0] = 0;
    else
      ((char*)out)[0] = 0;
    return 34;
  }
  to_text(value, negative, out, radix, wide);
  return 0;
}

static int signed_text_s(LONGLONG v, ULONGLONG mask, void* out, size_t size, int radix, int wide) {
  if (radix == 10 && v < 0) return to_text_s(0 - (ULONGLONG)v, 1, out, size, radix, wide);
  return to_text_s((ULONGLONG)v & mask, 0, out, size, radix, wide);
}

NTDLL_EXPORT int __cdecl _itoa_s(int v, char* out, size_t size, int radix) {
  return signed_text_s(v, 0xFFFFFFFFULL, out, size, radix, 0);
}
NTDLL_EXPORT int __cdecl _ltoa_s(long v, char* out, size_t size, int radix) {
  return signed_text_s(v, 0xFFFFFFFFULL, out, size, radix, 0);
}
NTDLL_EXPORT int __cdecl _ultoa_s(unsigned long v, char* out, size_t size, int radix) {
  return to_text_s(v, 0, out, size, radix, 0);
}
NTDLL_EXPORT int __cdecl _i64toa_s(LONGLONG v, char* out, size_t size, int radix) {
  return signed_text_s(v, ~0ULL, out, size, radix, 0);
}
NTDLL_EXPORT int __cdecl _ui64toa_s(ULONGLONG v, char* out, size_t size, int radix) {
  return to_text_s(v, 0, out, size, radix, 0);
}
NTDLL_EXPORT int __cdecl _itow_s(int v, WCHAR* out, size_t size, int radix) {
  return signed_text_s(v, 0xFFFFFFFFULL, out, size, radix, 1);
}
NTDLL_EXPORT int __cdecl _ltow_s(long v, WCHAR* out, size_t size, int radix) {
  return signed_text_s(v, 0xFFFFFFFFULL, out, size, radix, 1);
}
NTDLL_EXPORT int __cdecl _ultow_s(unsigned long v, WCHAR* out, size_t size, int radix) {
  return to_text_s(v, 0, out, size, radix, 1);
}
NTDLL_EXPORT int __cdecl _i64tow_s(LONGLONG v, WCHAR* out, size_t size, int radix) {
  return signed_text_s(v, ~0ULL, out, size, radix, 1);
}
NTDLL_EXPORT int __cdecl _ui64tow_s(ULONGLONG v, WCHAR* out, size_t size, int radix) {
  return to_text_s(v, 0, out, size, radix, 1);
}
