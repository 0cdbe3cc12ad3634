/* The printf engine behind ntdll's sprintf family (crt_printf.c): msvcrt's format language.
 *   %[flags][width][.precision][size]type
 *   flags - + space # 0; width and precision as digits or * (a negative * width means '-');
 *   sizes h (hh: the same) l ll L w I I32 I64 z j t (I, z, j, t: 64-bit);
 *   types d i u o x X c C s S p n e E f g G; any other type character prints itself.
 * In the narrow functions %s/%c take char and %S/%C wide; in the wide ones the reverse; h always
 * means narrow and l/w wide; text crosses between the two through the ANSI code page. Floating
 * point prints the exact binary value rounded half away from zero at the last digit, with
 * msvcrt's three-digit exponents and 1.#INF/1.#QNAN. */
#include "strings_private.h"

typedef struct sink {
  void* buf;
  size_t cap; /* in characters */
  size_t len; /* characters produced, including those that did not fit */
  int wide;
} sink;

static void put(sink* s, unsigned c) {
  if (s->len < s->cap) {
    if (s->wide)
      ((WCHAR*)s->buf)[s->len] = (WCHAR)c;
    else
      ((char*)s->buf)[s->len] = (char)c;
  }
  s->len++;
}

static void put_repeat(sink* s, unsigned c, int n) {
  while (n-- > 0) put(s, c);
}

enum { F_LEFT = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16 };

typedef struct spec {
  int flags, width, precision; /* precision -1: none */
} spec;

/* Puts one character of the other width: narrow to wide (a byte at a time: DBCS pairs are not
 * joined) or wide to narrow (one or two bytes) through the ANSI code page. */
static void put_converted(sink* s, unsigned c) {
  ULONG n = 0;
  if (s->wide) {
    const char ch = (char)c;
    WCHAR w = (WCHAR)(unsigned char)ch;
    RtlMultiByteToUnicodeN(&w, sizeof(w), &n, &ch, 1);
    put(s, w);
  } else {
    const WCHAR w = (WCHAR)c;
    char bytes[2] = {'?', 0};
    RtlUnicodeToMultiByteN(bytes, sizeof(bytes), &n, &w, sizeof(w));
    put(s, (unsigned char)bytes[0]);
    if (n == 2) put(s, (unsigned char)bytes[1]);
  }
}

static void put_text(sink* s, const spec* sp, const void* text, int text_wide) {
  static const char null_text[] = "(null)";
  if (!text) {
    text = null_text;
    text_wide = 0;
  }
  size_t n = 0;
  const size_t limit = sp->precision >= 0 ? (size_t)sp->precision : (size_t)-1;
  if (text_wide)
    while (n < limit && ((const WCHAR*)text)[n]) n++;
  else
    while (n < limit && ((const char*)text)[n]) n++;
  const int pad = sp->width > (int)n ? sp->width - (int)n : 0;
  if (!(sp->flags & F_LEFT)) put_repeat(s, sp->flags & F_ZERO ? '0' : ' ', pad);
  for (size_t i = 0; i < n; i++) {
    const unsigned c = text_wide ? ((const WCHAR*)text)[i] : ((const unsigned char*)text)[i];
    if (text_wide == s->wide)
      put(s, c);
    else
      put_converted(s, c);
  }
  if (sp->flags & F_LEFT) put_repeat(s, ' ', pad);
}

/* A number's parts: sign/prefix, zero padding from the precision, the digits, zeros past the last
 * digit a double has, a suffix (%e's exponent); padded to the width. */
static void put_number(sink* s, const spec* sp, const char* prefix, const char* digits, int ndigits,
                       int min_digits, int trailing_zeros, const char* suffix) {
  int nprefix = 0;
  while (prefix[nprefix]) nprefix++;
  const int zeros = min_digits > ndigits ? min_digits - ndigits : 0;
  int nsuffix = 0;
  while (suffix[nsuffix]) nsuffix++;
  const int body = nprefix + zeros + ndigits + trailing_zeros + nsuffix;
  int pad = sp->width > body ? sp->width - body : 0;
  if (!(sp->flags & F_LEFT) && !(sp->flags & F_ZERO)) put_repeat(s, ' ', pad);
  for (int i = 0; i < nprefix; i++) put(s, (unsigned char)prefix[i]);
  if (!(sp->flags & F_LEFT) && (sp->flags & F_ZERO)) put_repeat(s, '0', pad);
  put_repeat(s, '0', zeros);
  for (int i = 0; i < ndigits; i++) put(s, (unsigned char)digits[i]);
  put_repeat(s, '0', trailing_zeros);
  for (int i = 0; i < nsuffix; i++) put(s, (unsigned char)suffix[i]);
  if (sp->flags & F_LEFT) put_repeat(s, ' ', pad);
}

static void put_integer(sink* s, spec sp, ULONGLONG value, int is_signed, int negative,
                        unsigned type) {
  const int base = type == 'o' ? 8 : (type == 'x' || type == 'X' || type == 'p') ? 16 : 10;
  const char* alphabet = type == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
  char digits[24];
  int n = 0;
  for (ULONGLONG v = value; v; v /= (unsigned)base)
    digits[sizeof(digits) - 1 - n++] = alphabet[v % (unsigned)base];
  char prefix[3] = {0};
  if (is_signed) {
    if (negative)
      prefix[0] = '-';
    else if (sp.flags & F_PLUS)
      prefix[0] = '+';
    else if (sp.flags & F_SPACE)
      prefix[0] = ' ';
  }
  int min_digits = sp.precision >= 0 ? sp.precision : 1;
  if (sp.precision >= 0) sp.flags &= ~F_ZERO; /* a precision turns '0' padding off */
  if ((sp.flags & F_ALT) && value) {
    if (base == 16) {
      prefix[0] = '0';
      prefix[1] = (char)(type == 'x' ? 'x' : 'X');
    } else if (base == 8 && min_digits <= n) {
      min_digits = n + 1; /* a leading 0 */
    }
  }
  put_number(s, &sp, prefix, digits + sizeof(digits) - n, n, min_digits, 0, "");
}

/* ---- floating point ------------------------------------------------------------------- */

/* A double's exact decimal value: digits d[0..n) (no leading zero), value = 0.d0d1... x 10^exp. At
 * most 767 significant digits (the longest exact expansion of a double). */
typedef struct decimal {
  char d[800];
  int n, exp;
} decimal;

/* Big natural numbers in base 10^9, least significant limb first. */
typedef struct big {
  ULONG limb[90];
  int n;
} big;

static void big_mul(big* b, ULONG m) {
  ULONGLONG carry = 0;
  for (int i = 0; i < b->n; i++) {
    const ULONGLONG v = (ULONGLONG)b->limb[i] * m + carry;
    b->limb[i] = (ULONG)(v % 1000000000u);
    carry = v / 1000000000u;
  }
  while (carry) {
    b->limb[b->n++] = (ULONG)(carry % 1000000000u);
    carry /= 1000000000u;
  }
}

static void to_decimal(double x, decimal* out) {
  union {
    double d;
    ULONGLONG u;
  } bits = {x};
  ULONGLONG mantissa = bits.u & ((1ULL << 52) - 1);
  const int biased = (int)((bits.u >> 52) & 0x7FF);
  int e2; /* x = mantissa * 2^e2 */
  if (biased) {
    mantissa |= 1ULL << 52;
    e2 = biased - 1075;
  } else {
    e2 = -1074;
  }
  out->n = 0;
  out->exp = 0;
  if (!mantissa) return;
  big b = {{(ULONG)(mantissa % 1000000000u), (ULONG)(mantissa / 1000000000u % 1000000000u),
            (ULONG)(mantissa / 1000000000000000000ull)},
           3};
  while (b.n > 1 && !b.limb[b.n - 1]) b.n--;
  int e10 = 0; /* x = b * 10^e10 */
  for (; e2 > 0; e2 -= e2 >= 29 ? 29 : e2) big_mul(&b, 1u << (e2 >= 29 ? 29 : e2));
  for (; e2 < 0; e2 += e2 <= -13 ? 13 : -e2) { /* m / 2^k = m * 5^k / 10^k */
    const int k = e2 <= -13 ? 13 : -e2;
    ULONG p = 1;
    for (int i = 0; i < k; i++) p *= 5;
    big_mul(&b, p);
    e10 -= k;
  }
  char* d = out->d;
  int n = 0;
  for (int i = b.n - 1; i >= 0; i--) {
    char chunk[9];
    ULONG v = b.limb[i];
    for (int j = 8; j >= 0; j--, v /= 10) chunk[j] = (char)('0' + v % 10);
    for (int j = 0; j < 9; j++)
      if (n || chunk[j] != '0') d[n++] = chunk[j];
  }
  out->exp = n + e10;
  while (n && d[n - 1] == '0') n--;
  out->n = n;
}

/* Keeps `keep` significant digits, rounding half away from zero on the exact value. */
static void round_to(decimal* v, int keep) {
  if (keep >= v->n) return;
  if (keep < 0) {
    v->n = 0;
    return;
  }
  const int up = v->d[keep] >= '5';
  v->n = keep;
  if (up) {
    int i = keep - 1;
    while (i >= 0 && v->d[i] == '9') i--;
    if (i < 0) { /* 99.9 -> 100 */
      v->d[0] = '1';
      v->n = 1;
      v->exp++;
    } else {
      v->d[i]++;
      v->n = i + 1;
    }
  }
  while (v->n && v->d[v->n - 1] == '0') v->n--;
}

static char digit_at(const decimal* v, int i) {
  return i >= 0 && i < v->n ? v->d[i] : '0';
}

/* Lays the digits out as %f (fixed) or %e text into out; returns its length. */
static int fixed_text(const decimal* v, int precision, int alt, char* out) {
  int n = 0;
  if (v->exp <= 0)
    out[n++] = '0';
  else
    for (int i = 0; i < v->exp; i++) out[n++] = digit_at(v, i);
  if (precision || alt) out[n++] = '.';
  for (int i = 0; i < precision; i++) out[n++] = digit_at(v, v->exp + i);
  return n;
}

static int exponent_text(const decimal* v, int precision, int alt, char upper, char* out) {
  int n = 0;
  out[n++] = digit_at(v, 0);
  if (precision || alt) out[n++] = '.';
  for (int i = 1; i <= precision; i++) out[n++] = digit_at(v, i);
  int e = v->n ? v->exp - 1 : 0;
  out[n++] = upper ? 'E' : 'e';
  out[n++] = e < 0 ? '-' : '+';
  if (e < 0) e = -e;
  out[n++] = (char)('0' + e / 100);
  out[n++] = (char)('0' + e / 10 % 10);
  out[n++] = (char)('0' + e % 10);
  return n;
}

/* A double's exact expansion ends within 1074 digits after the point: any further digit is 0. */
#define MAX_PRECISION 1100

static void put_float(sink* s, spec sp, double x, unsigned type) {
  char text[1500]; /* a 309-digit integer part, the point, MAX_PRECISION digits */
  decimal v;
  union {
    double d;
    ULONGLONG u;
  } bits = {x};
  const int negative = (int)(bits.u >> 63);
  char prefix[2] = {0};
  if (negative)
    prefix[0] = '-';
  else if (sp.flags & F_PLUS)
    prefix[0] = '+';
  else if (sp.flags & F_SPACE)
    prefix[0] = ' ';
  int precision = sp.precision < 0 ? 6 : sp.precision, extra_zeros = 0;
  if (precision > MAX_PRECISION && type != 'g' && type != 'G') {
    extra_zeros = precision - MAX_PRECISION; /* past the last digit a double can have */
    precision = MAX_PRECISION;
  } else if (precision > MAX_PRECISION) {
    precision = MAX_PRECISION;
  }
  const int upper = type == 'E' || type == 'G';
  int n;
  if (((bits.u >> 52) & 0x7FF) == 0x7FF) { /* msvcrt: 1.#INF00, 1.#QNAN0 */
    const char* word = (bits.u << 12) ? "1.#QNAN0" : "1.#INF00";
    for (n = 0; word[n]; n++) text[n] = word[n];
    sp.flags &= ~F_ZERO;
  } else {
    to_decimal(negative ? -x : x, &v);
    if (type == 'f') {
      round_to(&v, v.exp + precision);
      n = fixed_text(&v, precision, sp.flags & F_ALT, text);
    } else if (type == 'e' || type == 'E') {
      round_to(&v, precision + 1);
      n = exponent_text(&v, precision, sp.flags & F_ALT, (char)upper, text);
    } else { /* g: the shorter of %e and %f at `precision` significant digits */
      if (!precision) precision = 1;
      round_to(&v, precision);
      const int e = v.n ? v.exp - 1 : 0;
      if (e >= -4 && e < precision) {
        precision -= e + 1;
        n = fixed_text(&v, precision, sp.flags & F_ALT, text);
      } else {
        precision -= 1;
        n = exponent_text(&v, precision, sp.flags & F_ALT, (char)upper, text);
      }
      if (!(sp.flags & F_ALT)) { /* drop trailing zeros of the fraction (and a bare '.') */
        int dot = -1, exp_at = n;
        for (int i = 0; i < n; i++) {
          if (text[i] == '.') dot = i;
          if (text[i] == 'e' || text[i] == 'E') exp_at = i;
        }
        if (dot >= 0) {
          int cut = exp_at;
          while (cut > dot + 1 && text[cut - 1] == '0') cut--;
          if (cut == dot + 1) cut = dot;
          for (int i = exp_at; i < n; i++) text[cut + i - exp_at] = text[i];
          n -= exp_at - cut;
        }
      }
    }
  }
  if (extra_zeros && (type == 'e' || type == 'E')) { /* the zeros go before the exponent */
    char exponent[6];
    for (int i = 0; i < 5; i++) exponent[i] = text[n - 5 + i];
    exponent[5] = 0;
    put_number(s, &sp, prefix, text, n - 5, 0, extra_zeros, exponent);
  } else {
    put_number(s, &sp, prefix, text, n, 0, extra_zeros, "");
  }
}

/* ---- the format loop ------------------------------------------------------------------ */

static unsigned fmt_at(const void* fmt, size_t i, int wide) {
  return wide ? ((const WCHAR*)fmt)[i] : ((const unsigned char*)fmt)[i];
}

static size_t format(sink* s, const void* fmt, va_list ap) {
  const int wide = s->wide;
  size_t i = 0;
  for (unsigned c; (c = fmt_at(fmt, i, wide)); i++) {
    if (c != '%') {
      put(s, c);
      continue;
    }
    spec sp = {0, 0, -1};
    for (;; i++) {
      const unsigned f = fmt_at(fmt, i + 1, wide);
      if (f == '-')
        sp.flags |= F_LEFT;
      else if (f == '+')
        sp.flags |= F_PLUS;
      else if (f == ' ')
        sp.flags |= F_SPACE;
      else if (f == '#')
        sp.flags |= F_ALT;
      else if (f == '0')
        sp.flags |= F_ZERO;
      else
        break;
    }
    i++;
    if (fmt_at(fmt, i, wide) == '*') {
      sp.width = va_arg(ap, int);
      if (sp.width < 0) {
        sp.flags |= F_LEFT;
        sp.width = -sp.width;
      }
      i++;
    } else {
      while ((c = fmt_at(fmt, i, wide)) >= '0' && c <= '9')
        sp.width = sp.width * 10 + (int)(c - '0'), i++;
    }
    if (fmt_at(fmt, i, wide) == '.') {
      i++;
      sp.precision = 0;
      if (fmt_at(fmt, i, wide) == '*') {
        sp.precision = va_arg(ap, int);
        if (sp.precision < 0) sp.precision = -1;
        i++;
      } else {
        while ((c = fmt_at(fmt, i, wide)) >= '0' && c <= '9')
          sp.precision = sp.precision * 10 + (int)(c - '0'), i++;
      }
    }
    /* size: 'h' 16, 'l' 32 (long) or 64 (ll), I 64 on x64, I32, I64 */
    int bits = 32, narrow = 0, wide_arg = 0, longs = 0;
    for (;; i++) {
      c = fmt_at(fmt, i, wide);
      if (c == 'h') {
        bits = 16; /* hh too: ntdll has no char size */
        narrow = 1;
      } else if (c == 'l') {
        bits = ++longs >= 2 ? 64 : 32;
        wide_arg = 1;
      } else if (c == 'w') {
        wide_arg = 1;
      } else if (c == 'z' || c == 'j' || c == 't') { /* size_t, intmax_t, ptrdiff_t */
        bits = 64;
      } else if (c == 'L') {
        /* long double is double */
      } else if (c == 'I') {
        if (fmt_at(fmt, i + 1, wide) == '6' && fmt_at(fmt, i + 2, wide) == '4') {
          bits = 64;
          i += 2;
        } else if (fmt_at(fmt, i + 1, wide) == '3' && fmt_at(fmt, i + 2, wide) == '2') {
          bits = 32;
          i += 2;
        } else {
          bits = 64;
        }
      } else {
        break;
      }
    }
    switch (c) {
      case 'd':
      case 'i': {
        LONGLONG v = bits == 64 ? va_arg(ap, LONGLONG) : va_arg(ap, int);
        if (bits == 16) v = (short)v;
        put_integer(s, sp, v < 0 ? 0 - (ULONGLONG)v : (ULONGLONG)v, 1, v < 0, c);
        break;
      }
      case 'u':
      case 'o':
      case 'x':
      case 'X': {
        ULONGLONG v = bits == 64 ? va_arg(ap, ULONGLONG) : va_arg(ap, unsigned);
        if (bits == 16) v = (unsigned short)v;
        put_integer(s, sp, v, 0, 0, c);
        break;
      }
      case 'p': /* msvcrt: the full pointer width in uppercase hex, no 0x */
        if (sp.precision < 0) sp.precision = 16;
        put_integer(s, sp, (ULONG_PTR)va_arg(ap, void*), 0, 0, 'X');
        break;
      case 'c':
      case 'C': {
        const unsigned ch = (unsigned)va_arg(ap, int);
        const int as_wide = narrow ? 0 : wide_arg ? 1 : (c == 'C') != wide;
        const WCHAR wtext[2] = {(WCHAR)ch, 0};
        const char ntext[2] = {(char)ch, 0};
        spec one = sp;
        one.precision = 1;
        if (as_wide ? !wtext[0] : !ntext[0]) { /* %c of 0 prints a NUL */
          put_repeat(s, ' ', sp.flags & F_LEFT ? 0 : sp.width - 1);
          put(s, 0);
          put_repeat(s, ' ', sp.flags & F_LEFT ? sp.width - 1 : 0);
        } else {
          put_text(s, &one, as_wide ? (const void*)wtext : (const void*)ntext, as_wide);
        }
        break;
      }
      case 's':
      case 'S': {
        const void* text = va_arg(ap, const void*);
        const int as_wide = narrow ? 0 : wide_arg ? 1 : (c == 'S') != wide;
        put_text(s, &sp, text, as_wide);
        break;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'g':
      case 'G':
        put_float(s, sp, va_arg(ap, double), c);
        break;
      case 'n': /* msvcrt stores the count so far */
        *va_arg(ap, int*) = (int)s->len;
        break;
      case 0: /* a '%' at the end of the format */
        i--;
        break;
      default: /* "%%" and unknown types print the character */
        put(s, c);
        break;
    }
  }
  return s->len;
}

/* msvcrt's contract: the length when it fits (terminated when there is room for the NUL), -1 when
 * it does not (the buffer then holds the first `count` characters, unterminated). */
int strings_format(void* buf, size_t count, int wide, const void* fmt, va_list ap) {
  if (!buf && !count) return strings_measure(wide, fmt, ap); /* documented: the length needed */
  sink s = {buf, count, 0, wide};
  const size_t len = format(&s, fmt, ap);
  if (len > count) return -1;
  if (len < count) put(&s, 0);
  return (int)len;
}

int strings_measure(int wide, const void* fmt, va_list ap) {
  sink s = {NULL, 0, 0, wide};
  return (int)format(&s, fmt, ap);
}

int strings_sprintf(char* buf, size_t count, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = strings_format(buf, count, 0, fmt, ap);
  va_end(ap);
  return n;
}
