/* The C library's wide string functions as ntdll exports them: UTF-16 code units, compared as
 * unsigned values. _wcsicmp/_wcsnicmp and _wcslwr/_wcsupr fold ASCII letters only, as Windows'
 * ntdll does (the Rtl functions are the Unicode-aware ones). */
#include "strings_private.h"

NTDLL_EXPORT size_t __cdecl wcslen(const WCHAR* s) {
  const WCHAR* p = s;
  while (*p) p++;
  return (size_t)(p - s);
}

NTDLL_EXPORT size_t __cdecl wcsnlen(const WCHAR* s, size_t max) {
  size_t n = 0;
  while (n < max && s[n]) n++;
  return n;
}

NTDLL_EXPORT WCHAR* __cdecl wcscpy(WCHAR* dst, const WCHAR* src) {
  WCHAR* d = dst;
  while ((*d++ = *src++)) {
  }
  return dst;
}

/* Pads with NULs up to n, and leaves dst unterminated when src has n or more characters. */
NTDLL_EXPORT WCHAR* __cdecl wcsncpy(WCHAR* dst, const WCHAR* src, size_t n) {
  size_t i = 0;
  for (; i < n && src[i]; i++) dst[i] = src[i];
  for (; i < n; i++) dst[i] = 0;
  return dst;
}

NTDLL_EXPORT WCHAR* __cdecl wcscat(WCHAR* dst, const WCHAR* src) {
  wcscpy(dst + wcslen(dst), src);
  return dst;
}

NTDLL_EXPORT WCHAR* __cdecl wcsncat(WCHAR* dst, const WCHAR* src, size_t n) {
  WCHAR* d = dst + wcslen(dst);
  while (n-- && *src) *d++ = *src++;
  *d = 0;
  return dst;
}

NTDLL_EXPORT int __cdecl wcscmp(const WCHAR* a, const WCHAR* b) {
  while (*a && *a == *b) a++, b++;
  return *a < *b ? -1 : *a > *b;
}

NTDLL_EXPORT int __cdecl wcsncmp(const WCHAR* a, const WCHAR* b, size_t n) {
  if (!n) return 0;
  while (--n && *a && *a == *b) a++, b++;
  return *a < *b ? -1 : *a > *b;
}

NTDLL_EXPORT int __cdecl _wcsnicmp(const WCHAR* a, const WCHAR* b, size_t n) {
  for (; n; n--, a++, b++) {
    const int ca = strings_ascii_lower(*a), cb = strings_ascii_lower(*b);
    if (ca != cb) return (int)ca - (int)cb;
    if (!ca) break;
  }
  return 0;
}

NTDLL_EXPORT int __cdecl _wcsicmp(const WCHAR* a, const WCHAR* b) {
  return _wcsnicmp(a, b, (size_t)-1);
}

NTDLL_EXPORT WCHAR* __cdecl wcschr(const WCHAR* s, WCHAR c) {
  for (;; s++) {
    if (*s == c) return (WCHAR*)s;
    if (!*s) return NULL;
  }
}

NTDLL_EXPORT WCHAR* __cdecl wcsrchr(const WCHAR* s, WCHAR c) {
  const WCHAR* found = NULL;
  for (;; s++) {
    if (*s == c) found = s;
    if (!*s) return (WCHAR*)found;
  }
}

static int in_set(const WCHAR* set, WCHAR c) {
  for (; *set; set++)
    if (*set == c) return 1;
  return 0;
}

NTDLL_EXPORT size_t __cdecl wcsspn(const WCHAR* s, const WCHAR* accept) {
  size_t n = 0;
  while (s[n] && in_set(accept, s[n])) n++;
  return n;
}

NTDLL_EXPORT size_t __cdecl wcscspn(const WCHAR* s, const WCHAR* reject) {
  size_t n = 0;
  while (s[n] && !in_set(reject, s[n])) n++;
  return n;
}

NTDLL_EXPORT WCHAR* __cdecl wcspbrk(const WCHAR* s, const WCHAR* accept) {
  for (; *s; s++)
    if (in_set(accept, *s)) return (WCHAR*)s;
  return NULL;
}

NTDLL_EXPORT WCHAR* __cdecl wcsstr(const WCHAR* hay, const WCHAR* needle) {
  const size_t n = wcslen(needle);
  for (; *hay; hay++)
    if (!wcsncmp(hay, needle, n)) return (WCHAR*)hay;
  return *needle ? NULL : (WCHAR*)hay;
}

NTDLL_EXPORT WCHAR* __cdecl _wcslwr(WCHAR* s) {
  for (WCHAR* p = s; *p; p++) *p = (WCHAR)strings_ascii_lower(*p);
  return s;
}

NTDLL_EXPORT WCHAR* __cdecl _wcsupr(WCHAR* s) {
  for (WCHAR* p = s; *p; p++) *p = (WCHAR)strings_ascii_upper(*p);
  return s;
}

/* Tokens separated by any of delim; *context keeps the position between calls. */
NTDLL_EXPORT WCHAR* __cdecl wcstok_s(WCHAR* str, const WCHAR* delim, WCHAR** context) {
  if (!delim || !context || (!str && !*context)) return NULL;
  WCHAR* p = str ? str : *context;
  p += wcsspn(p, delim);
  if (!*p) {
    *context = p;
    return NULL;
  }
  WCHAR* end = p + wcscspn(p, delim);
  if (*end) *end++ = 0;
  *context = end;
  return p;
}
