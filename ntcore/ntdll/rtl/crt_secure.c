/* The C library's bounds-checked ("_s") copies and formatting, as ntdll exports them. They
 * return errno values instead of calling an invalid-parameter handler: EINVAL for a bad
 * argument, ERANGE when the result does not fit (the destination then holds ""), and with
 * _TRUNCATE as the count, STRUNCATE after filling the buffer with what fits. Narrow and wide
 * versions share one implementation over the character width. */
#include "strings_private.h"

#define ERR_INVAL 22
#define ERR_RANGE 34
#define ERR_TRUNCATE 80
#define TRUNCATE ((size_t)-1)

typedef int errno_t;

static unsigned unit(const void* s, size_t i, int wide) {
  return wide ? ((const WCHAR*)s)[i] : ((const unsigned char*)s)[i];
}

static void set_unit(void* s, size_t i, unsigned c, int wide) {
  if (wide)
    ((WCHAR*)s)[i] = (WCHAR)c;
  else
    ((char*)s)[i] = (char)c;
}

/* Appends at most count units of src at dst[start], within size units. */
static errno_t append_n(void* dst, size_t size, size_t start, const void* src, size_t count,
                        int wide) {
  const size_t room = size - start - 1; /* units before the terminator */
  size_t i = 0;
  for (; i < count && unit(src, i, wide); i++) {
    if (i == room) {
      if (count == TRUNCATE) {
        set_unit(dst, start + i, 0, wide);
        return ERR_TRUNCATE;
      }
      set_unit(dst, 0, 0, wide);
      return ERR_RANGE;
    }
    set_unit(dst, start + i, unit(src, i, wide), wide);
  }
  set_unit(dst, start + i, 0, wide);
  return 0;
}

static errno_t copy_s(void* dst, size_t size, const void* src, size_t count, int wide) {
  if (!count && dst && size) {
    set_unit(dst, 0, 0, wide);
    return 0;
  }
  if (!dst || !size) return count ? ERR_INVAL : 0;
  if (!src) {
    set_unit(dst, 0, 0, wide);
    return ERR_INVAL;
  }
  return append_n(dst, size, 0, src, count, wide);
}

static errno_t cat_s(void* dst, size_t size, const void* src, size_t count, int wide) {
  if (!dst || !size) return ERR_INVAL;
  if (!src && count) {
    set_unit(dst, 0, 0, wide);
    return ERR_INVAL;
  }
  size_t end = 0;
  while (end < size && unit(dst, end, wide)) end++;
  if (end == size) { /* dst is not terminated within its size */
    set_unit(dst, 0, 0, wide);
    return ERR_INVAL;
  }
  return count ? append_n(dst, size, end, src, count, wide) : 0;
}

NTDLL_EXPORT errno_t __cdecl strcpy_s(char* dst, size_t size, const char* src) {
  return copy_s(dst, size, src, size ? (size_t)-2 : 1, 0);
}
NTDLL_EXPORT errno_t __cdecl strncpy_s(char* dst, size_t size, const char* src, size_t count) {
  return copy_s(dst, size, src, count, 0);
}
NTDLL_EXPORT errno_t __cdecl strcat_s(char* dst, size_t size, const char* src) {
  return cat_s(dst, size, src, (size_t)-2, 0);
}
NTDLL_EXPORT errno_t __cdecl strncat_s(char* dst, size_t size, const char* src, size_t count) {
  return cat_s(dst, size, src, count, 0);
}
NTDLL_EXPORT errno_t __cdecl wcscpy_s(WCHAR* dst, size_t size, const WCHAR* src) {
  return copy_s(dst, size, src, size ? (size_t)-2 : 1, 1);
}
NTDLL_EXPORT errno_t __cdecl wcsncpy_s(WCHAR* dst, size_t size, const WCHAR* src, size_t count) {
  return copy_s(dst, size, src, count, 1);
}
NTDLL_EXPORT errno_t __cdecl wcscat_s(WCHAR* dst, size_t size, const WCHAR* src) {
  return cat_s(dst, size, src, (size_t)-2, 1);
}
NTDLL_EXPORT errno_t __cdecl wcsncat_s(WCHAR* dst, size_t size, const WCHAR* src, size_t count) {
  return cat_s(dst, size, src, count, 1);
}

/* A bad source clears the destination; too small a destination is cleared too. */
NTDLL_EXPORT errno_t __cdecl memcpy_s(void* dst, size_t size, const void* src, size_t count) {
  if (!count) return 0;
  if (!dst) return ERR_INVAL;
  if (!src || count > size) {
    memset(dst, 0, size);
    return src ? ERR_RANGE : ERR_INVAL;
  }
  memcpy(dst, src, count);
  return 0;
}

NTDLL_EXPORT errno_t __cdecl memmove_s(void* dst, size_t size, const void* src, size_t count) {
  if (!count) return 0;
  if (!dst || !src) return ERR_INVAL;
  if (count > size) return ERR_RANGE;
  memmove(dst, src, count);
  return 0;
}

/* ---- formatting ------------------------------------------------------------------------- */

/* At most count units (all that fit before the terminator with _TRUNCATE or a count past the
 * buffer): the length; -1 when truncated (the text so far, terminated) or when it does not fit
 * the buffer at all (then ""). */
static int format_s(void* buf, size_t size, size_t count, int wide, const void* fmt, va_list ap) {
  if (!buf || !size || !fmt) {
    if (buf && size) set_unit(buf, 0, 0, wide);
    return -1;
  }
  const int limited = count != TRUNCATE && count < size;
  const size_t avail = limited ? count : size - 1;
  const int len = strings_format(buf, avail, wide, fmt, ap);
  if (len >= 0) {
    set_unit(buf, (size_t)len, 0, wide);
    return len;
  }
  if (limited || count == TRUNCATE) {
    set_unit(buf, avail, 0, wide);
  } else {
    set_unit(buf, 0, 0, wide);
  }
  return -1;
}

NTDLL_EXPORT int __cdecl _vsnprintf_s(char* buf, size_t size, size_t count, const char* fmt,
                                      va_list ap) {
  return format_s(buf, size, count, 0, fmt, ap);
}
NTDLL_EXPORT int __cdecl _vsnwprintf_s(WCHAR* buf, size_t size, size_t count, const WCHAR* fmt,
                                       va_list ap) {
  return format_s(buf, size, count, 1, fmt, ap);
}
NTDLL_EXPORT int __cdecl vsprintf_s(char* buf, size_t size, const char* fmt, va_list ap) {
  return format_s(buf, size, size, 0, fmt, ap);
}
NTDLL_EXPORT int __cdecl vswprintf_s(WCHAR* buf, size_t size, const WCHAR* fmt, va_list ap) {
  return format_s(buf, size, size, 1, fmt, ap);
}

NTDLL_EXPORT int __cdecl _snprintf_s(char* buf, size_t size, size_t count, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = format_s(buf, size, count, 0, fmt, ap);
  va_end(ap);
  return n;
}
NTDLL_EXPORT int __cdecl _snwprintf_s(WCHAR* buf, size_t size, size_t count, const WCHAR* fmt,
                                      ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = format_s(buf, size, count, 1, fmt, ap);
  va_end(ap);
  return n;
}
NTDLL_EXPORT int __cdecl sprintf_s(char* buf, size_t size, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = format_s(buf, size, size, 0, fmt, ap);
  va_end(ap);
  return n;
}
NTDLL_EXPORT int __cdecl swprintf_s(WCHAR* buf, size_t size, const WCHAR* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = format_s(buf, size, size, 1, fmt, ap);
  va_end(ap);
  return n;
}
