/* The C library's narrow string functions as ntdll exports them ("C" locale: case folding is ASCII
 * only). Comparisons are of unsigned chars, as Windows' are. */
#include "strings_private.h"

NTDLL_EXPORT size_t __cdecl strlen(const char* s) {
  const char* p = s;
  while (*p) p++;
  return (size_t)(p - s);
}

NTDLL_EXPORT size_t __cdecl strnlen(const char* s, size_t max) {
  size_t n = 0;
  while (n < max && s[n]) n++;
  return n;
}

NTDLL_EXPORT char* __cdecl strcpy(char* dst, const char* src) {
  char* d = dst;
  while ((*d++ = *src++)) {
  }
  return dst;
}

/* Pads with NULs up to n, and leaves dst unterminated when src has n or more characters. */
NTDLL_EXPORT char* __cdecl strncpy(char* dst, const char* src, size_t n) {
  size_t i = 0;
  for (; i < n && src[i]; i++) dst[i] = src[i];
  for (; i < n; i++) dst[i] = 0;
  return dst;
}

NTDLL_EXPORT char* __cdecl strcat(char* dst, const char* src) {
  strcpy(dst + strlen(dst), src);
  return dst;
}

/* Appends at most n characters and always terminates. */
NTDLL_EXPORT char* __cdecl strncat(char* dst, const char* src, size_t n) {
  char* d = dst + strlen(dst);
  while (n-- && *src) *d++ = *src++;
  *d = 0;
  return dst;
}

NTDLL_EXPORT int __cdecl strcmp(const char* a, const char* b) {
  const unsigned char *x = (const unsigned char*)a, *y = (const unsigned char*)b;
  while (*x && *x == *y) x++, y++;
  return *x < *y ? -1 : *x > *y;
}

NTDLL_EXPORT int __cdecl strncmp(const char* a, const char* b, size_t n) {
  const unsigned char *x = (const unsigned char*)a, *y = (const unsigned char*)b;
  if (!n) return 0;
  while (--n && *x && *x == *y) x++, y++;
  return *x < *y ? -1 : *x > *y;
}

NTDLL_EXPORT int __cdecl _strnicmp(const char* a, const char* b, size_t n) {
  const unsigned char *x = (const unsigned char*)a, *y = (const unsigned char*)b;
  for (; n; n--, x++, y++) {
    const int cx = strings_ascii_lower(*x), cy = strings_ascii_lower(*y);
    if (cx != cy) return cx - cy;
    if (!cx) break;
  }
  return 0;
}

NTDLL_EXPORT int __cdecl _stricmp(const char* a, const char* b) {
  return _strnicmp(a, b, (size_t)-1);
}

NTDLL_EXPORT int __cdecl _strcmpi(const char* a, const char* b) {
  return _strnicmp(a, b, (size_t)-1);
}

NTDLL_EXPORT int __cdecl _memicmp(const void* a, const void* b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (; n; n--, x++, y++) {
    const int cx = strings_ascii_lower(*x), cy = strings_ascii_lower(*y);
    if (cx != cy) return cx - cy;
  }
  return 0;
}

/* strchr finds the terminator too (strchr(s, 0) is the end of s). */
NTDLL_EXPORT char* __cdecl strchr(const char* s, int c) {
  for (;; s++) {
    if (*s == (char)c) return (char*)s;
    if (!*s) return NULL;
  }
}

NTDLL_EXPORT char* __cdecl strrchr(const char* s, int c) {
  const char* found = NULL;
  for (;; s++) {
    if (*s == (char)c) found = s;
    if (!*s) return (char*)found;
  }
}

NTDLL_EXPORT void* __cdecl memchr(const void* s, int c, size_t n) {
  for (const unsigned char* p = s; n; n--, p++)
    if (*p == (unsigned char)c) return (void*)p;
  return NULL;
}

static int in_set(const char* set, char c) {
  for (; *set; set++)
    if (*set == c) return 1;
  return 0;
}

NTDLL_EXPORT size_t __cdecl strspn(const char* s, const char* accept) {
  size_t n = 0;
  while (s[n] && in_set(accept, s[n])) n++;
  return n;
}

NTDLL_EXPORT size_t __cdecl strcspn(const char* s, const char* reject) {
  size_t n = 0;
  while (s[n] && !in_set(reject, s[n])) n++;
  return n;
}

NTDLL_EXPORT char* __cdecl strpbrk(const char* s, const char* accept) {
  for (; *s; s++)
    if (in_set(accept, *s)) return (char*)s;
  return NULL;
}

NTDLL_EXPORT char* __cdecl strstr(const char* hay, const char* needle) {
  const size_t n = strlen(needle);
  for (; *hay; hay++)
    if (!strncmp(hay, needle, n)) return (char*)hay;
  return *needle ? NULL : (char*)hay;
}

NTDLL_EXPORT char* __cdecl _strlwr(char* s) {
  for (char* p = s; *p; p++) *p = (char)strings_ascii_lower((unsigned char)*p);
  return s;
}

NTDLL_EXPORT char* __cdecl _strupr(char* s) {
  for (char* p = s; *p; p++) *p = (char)strings_ascii_upper((unsigned char)*p);
  return s;
}

/* Copies up to and including the first c; the position after it in dst, or NULL. */
NTDLL_EXPORT void* __cdecl _memccpy(void* dst, const void* src, int c, size_t n) {
  unsigned char* d = dst;
  const unsigned char* s = src;
  while (n--) {
    if ((*d++ = *s++) == (unsigned char)c) return d;
  }
  return NULL;
}

/* Tokens separated by any of delim; *context keeps the position between calls. */
NTDLL_EXPORT char* __cdecl strtok_s(char* str, const char* delim, char** context) {
  if (!delim || !context || (!str && !*context)) return NULL;
  char* p = str ? str : *context;
  p += strspn(p, delim);
  if (!*p) {
    *context = p;
    return NULL;
  }
  char* end = p + strcspn(p, delim);
  if (*end) *end++ = 0;
  *context = end;
  return p;
}
