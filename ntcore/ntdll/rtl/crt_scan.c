/* sscanf as ntdll exports it: msvcrt's scanf language over a narrow string.
 *   %[*][width][size]type: sizes h (short) l (long; with c s [: wide) ll I64 I (64-bit);
 *   types d i u o x X p c s [set] n %. White space in the format skips any white space.
 * Returns the number of fields assigned, or EOF (-1) when the input ends before the first
 * conversion. Floating point (%e %f %g) is not supported: it ends the scan. */
#include "strings_private.h"

#define SCAN_EOF (-1)

typedef struct scan {
  const unsigned char* s;
  size_t pos;
} scan;

static int peek(const scan* sc) {
  return sc->s[sc->pos];
}

/* Reads an integer of at most width characters in base (0: by prefix); FALSE without digits. */
static int scan_integer(scan* sc, int width, int base, ULONGLONG* value, int* negative) {
  int used = 0;
  *negative = 0;
  *value = 0;
  if (used < width && (peek(sc) == '-' || peek(sc) == '+')) {
    *negative = peek(sc) == '-';
    sc->pos++, used++;
  }
  if (peek(sc) == '0' && used < width) {
    const unsigned char next = sc->s[sc->pos + 1];
    if ((base == 0 || base == 16) && (next | 0x20) == 'x' && used + 2 < width &&
        strings_digit_value(sc->s[sc->pos + 2]) < 16) {
      base = 16;
      sc->pos += 2, used += 2;
    } else if (base == 0) {
      base = 8;
    }
  }
  if (!base) base = 10;
  int digits = 0;
  while (used < width) {
    const unsigned d = strings_digit_value((unsigned char)peek(sc));
    if (d >= (unsigned)base) break;
    *value = *value * (unsigned)base + d;
    sc->pos++, used++, digits++;
  }
  return digits > 0;
}

static int in_set(const unsigned char* set, size_t set_len, int negate, unsigned char c) {
  int found = 0;
  for (size_t i = 0; i < set_len && !found; i++) {
    if (i + 2 < set_len && set[i + 1] == '-') { /* a range a-z */
      const unsigned char lo = set[i], hi = set[i + 2];
      found = c >= (lo < hi ? lo : hi) && c <= (lo < hi ? hi : lo);
      i += 2;
    } else {
      found = set[i] == c;
    }
  }
  return found != negate;
}

static void store_integer(va_list* ap, int bits, ULONGLONG v) {
  if (bits == 64)
    *va_arg(*ap, ULONGLONG*) = v;
  else if (bits == 16)
    *va_arg(*ap, USHORT*) = (USHORT)v;
  else
    *va_arg(*ap, ULONG*) = (ULONG)v;
}

static int vscan(const char* str, const char* format, va_list ap) {
  scan sc = {(const unsigned char*)str, 0};
  const unsigned char* f = (const unsigned char*)format;
  int assigned = 0, converted = 0;
  while (*f) {
    if (strings_is_space(*f)) {
      while (strings_is_space(*f)) f++;
      while (strings_is_space(peek(&sc))) sc.pos++;
      continue;
    }
    if (*f != '%' || f[1] == '%') {
      if (*f == '%') f++;
      if (peek(&sc) != *f) return !peek(&sc) && !converted ? SCAN_EOF : assigned;
      sc.pos++, f++;
      continue;
    }
    f++;
    const int suppress = *f == '*';
    if (suppress) f++;
    int width = 0;
    while (*f >= '0' && *f <= '9') width = width * 10 + (*f++ - '0');
    int bits = 32, wide_text = 0;
    for (;; f++) {
      if (*f == 'h') {
        bits = 16;
      } else if (*f == 'l') {
        bits = bits == 32 && wide_text ? 64 : 32;
        wide_text = 1;
      } else if (*f == 'w') {
        wide_text = 1;
      } else if (*f == 'I' && f[1] == '6' && f[2] == '4') {
        bits = 64;
        f += 2;
      } else if (*f == 'I' && f[1] == '3' && f[2] == '2') {
        bits = 32;
        f += 2;
      } else if (*f == 'I') {
        bits = 64;
      } else {
        break;
      }
    }
    const unsigned char type = *f++;
    if (type == 'n') {
      if (!suppress) *va_arg(ap, int*) = (int)sc.pos;
      continue;
    }
    if (type != 'c' && type != '[')
      while (strings_is_space(peek(&sc))) sc.pos++;
    if (!peek(&sc)) return converted ? assigned : SCAN_EOF;
    if (!width) width = type == 'c' ? 1 : 0x7FFFFFFF;
    switch (type) {
      case 'd':
      case 'i':
      case 'u':
      case 'o':
      case 'x':
      case 'X':
      case 'p': {
        const int base = type == 'd' || type == 'u' ? 10 : type == 'o' ? 8 : type == 'i' ? 0 : 16;
        ULONGLONG v;
        int negative;
        if (!scan_integer(&sc, width, base, &v, &negative)) return assigned;
        if (negative) v = 0 - v;
        if (!suppress) {
          store_integer(&ap, type == 'p' ? 64 : bits, v);
          assigned++;
        }
        break;
      }
      case 'c':
      case 's':
      case '[': {
        const unsigned char* set = NULL;
        size_t set_len = 0;
        int negate = 0;
        if (type == '[') {
          negate = *f == '^';
          if (negate) f++;
          set = f;
          if (*f == ']') f++; /* a leading ] is part of the set */
          while (*f && *f != ']') f++;
          set_len = (size_t)(f - set);
          if (*f) f++;
        }
        void* out = suppress ? NULL : va_arg(ap, void*);
        int n = 0;
        for (; n < width && peek(&sc); n++) {
          const unsigned char c = (unsigned char)peek(&sc);
          if (type == 's' && strings_is_space(c)) break;
          if (type == '[' && !in_set(set, set_len, negate, c)) break;
          if (out) {
            if (wide_text)
              ((WCHAR*)out)[n] = c; /* Latin-1: ASCII is what scanned text holds */
            else
              ((char*)out)[n] = (char)c;
          }
          sc.pos++;
        }
        if (!n) return assigned;
        if (out && type != 'c') {
          if (wide_text)
            ((WCHAR*)out)[n] = 0;
          else
            ((char*)out)[n] = 0;
        }
        if (out) assigned++;
        break;
      }
      default: /* floating point and unknown types end the scan */
        return assigned;
    }
    converted++;
  }
  return assigned;
}

NTDLL_EXPORT int __cdecl sscanf(const char* str, const char* format, ...) {
  va_list ap;
  va_start(ap, format);
  const int n = vscan(str, format, ap);
  va_end(ap);
  return n;
}
