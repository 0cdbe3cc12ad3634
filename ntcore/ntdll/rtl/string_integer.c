/* Integers in text, the Rtl way: RtlCharToInteger and RtlUnicodeStringToInteger read an optional
 * sign and, in base 0, a 0x/0o/0b prefix (else decimal); they stop at the first character that is
 * not a digit of the base and wrap silently. RtlIntegerToChar and RtlIntegerToUnicodeString write
 * an unsigned value in base 2, 8, 10 or 16 (uppercase). */
#include "strings_private.h"

static int valid_base(ULONG base) {
  return base == 2 || base == 8 || base == 10 || base == 16;
}

/* Reads a number from units s[0..n) (narrow or wide). */
static NTSTATUS parse(const void* s, size_t n, int wide, ULONG base, PULONG value) {
#define UNIT(i) (wide ? ((const WCHAR*)s)[i] : ((const unsigned char*)s)[i])
  size_t i = 0;
  while (i < n && UNIT(i) <= ' ') i++; /* Windows skips every control character and space */
  int negative = 0;
  if (i < n && (UNIT(i) == '+' || UNIT(i) == '-')) negative = UNIT(i++) == '-';
  if (!base) {
    base = 10;
    if (i + 1 < n && UNIT(i) == '0') {
      const unsigned p = UNIT(i + 1);
      base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 10;
      if (base != 10) i += 2;
    }
  } else if (!valid_base(base)) {
    return STATUS_INVALID_PARAMETER;
  }
  if (!value) return STATUS_ACCESS_VIOLATION;
  ULONG total = 0;
  for (; i < n; i++) {
    const unsigned d = strings_digit_value(UNIT(i));
    if (d >= base) break;
    total = total * base + d;
  }
  *value = negative ? 0 - total : total;
  return STATUS_SUCCESS;
#undef UNIT
}

NTDLL_EXPORT NTSTATUS NTAPI RtlCharToInteger(PCSZ s, ULONG base, PULONG value) {
  size_t n = 0;
  while (s[n]) n++;
  return parse(s, n, 0, base, value);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlUnicodeStringToInteger(PCUNICODE_STRING s, ULONG base,
                                                      PULONG value) {
  return parse(s->Buffer, s->Length / sizeof(WCHAR), 1, base, value);
}

/* The digits of value in base into out[64], right-aligned; returns the count. */
static int to_digits(ULONGLONG value, ULONG base, char* out) {
  int n = 0;
  do {
    out[63 - n++] = "0123456789ABCDEF"[value % base];
    value /= base;
  } while (value);
  return n;
}

/* Fills str with the text; a terminator only when length leaves room for it. */
static NTSTATUS to_char(ULONGLONG value, ULONG base, LONG length, PCHAR str) {
  if (!base) base = 10;
  if (!valid_base(base)) return STATUS_INVALID_PARAMETER;
  char digits[64];
  const int n = to_digits(value, base, digits);
  if (length < n) return STATUS_BUFFER_OVERFLOW;
  if (!str) return STATUS_ACCESS_VIOLATION;
  for (int i = 0; i < n; i++) str[i] = digits[64 - n + i];
  if (length > n) str[n] = 0;
  return STATUS_SUCCESS;
}

/* The text and its terminator must fit in s->MaximumLength. */
static NTSTATUS to_unicode(ULONGLONG value, ULONG base, PUNICODE_STRING s) {
  if (!base) base = 10;
  if (!valid_base(base)) return STATUS_INVALID_PARAMETER;
  char digits[64];
  const int n = to_digits(value, base, digits);
  if ((size_t)(n + 1) * sizeof(WCHAR) > s->MaximumLength) return STATUS_BUFFER_OVERFLOW;
  for (int i = 0; i < n; i++) s->Buffer[i] = (WCHAR)digits[64 - n + i];
  s->Buffer[n] = 0;
  s->Length = (USHORT)(n * sizeof(WCHAR));
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlIntegerToChar(ULONG value, ULONG base, LONG length, PCHAR str) {
  return to_char(value, base, length, str);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlLargeIntegerToChar(const ULONGLONG* value, ULONG base, LONG length,
                                                  PCHAR str) {
  return to_char(*value, base, length, str);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlIntegerToUnicodeString(ULONG value, ULONG base, PUNICODE_STRING s) {
  return to_unicode(value, base, s);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlInt64ToUnicodeString(ULONGLONG value, ULONG base,
                                                    PUNICODE_STRING s) {
  return to_unicode(value, base, s);
}
