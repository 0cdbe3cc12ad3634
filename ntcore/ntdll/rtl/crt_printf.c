/* ntdll's sprintf family over the engine in crt_format.c. The unbounded ones (sprintf, swprintf:
 * ntdll's swprintf has no count, as in old msvcrt) write whatever the text needs. */
#include "strings_private.h"

#define UNBOUNDED ((size_t)0x7FFFFFFF)

NTDLL_EXPORT int __cdecl _vsnprintf(char* buf, size_t count, const char* fmt, va_list ap) {
  return strings_format(buf, count, 0, fmt, ap);
}

NTDLL_EXPORT int __cdecl _vsnwprintf(WCHAR* buf, size_t count, const WCHAR* fmt, va_list ap) {
  return strings_format(buf, count, 1, fmt, ap);
}

NTDLL_EXPORT int __cdecl vsprintf(char* buf, const char* fmt, va_list ap) {
  return strings_format(buf, UNBOUNDED, 0, fmt, ap);
}

NTDLL_EXPORT int __cdecl _vswprintf(WCHAR* buf, const WCHAR* fmt, va_list ap) {
  return strings_format(buf, UNBOUNDED, 1, fmt, ap);
}

/* The length the text would have, without its terminator. */
NTDLL_EXPORT int __cdecl _vscprintf(const char* fmt, va_list ap) {
  return strings_measure(0, fmt, ap);
}

NTDLL_EXPORT int __cdecl _vscwprintf(const WCHAR* fmt, va_list ap) {
  return strings_measure(1, fmt, ap);
}

NTDLL_EXPORT int __cdecl _snprintf(char* buf, size_t count, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = strings_format(buf, count, 0, fmt, ap);
  va_end(ap);
  return n;
}

NTDLL_EXPORT int __cdecl _snwprintf(WCHAR* buf, size_t count, const WCHAR* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = strings_format(buf, count, 1, fmt, ap);
  va_end(ap);
  return n;
}

NTDLL_EXPORT int __cdecl sprintf(char* buf, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = strings_format(buf, UNBOUNDED, 0, fmt, ap);
  va_end(ap);
  return n;
}

NTDLL_EXPORT int __cdecl swprintf(WCHAR* buf, const WCHAR* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = strings_format(buf, UNBOUNDED, 1, fmt, ap);
  va_end(ap);
  return n;
}

NTDLL_EXPORT int __cdecl _swprintf(WCHAR* buf, const WCHAR* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = strings_format(buf, UNBOUNDED, 1, fmt, ap);
  va_end(ap);
  return n;
}
