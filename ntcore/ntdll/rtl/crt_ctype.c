/* The C library's character classification and case mapping as ntdll exports them: the "C" locale
 * (only ASCII has classes), results are msvcrt's _ctype bit masks so `isalpha(c) & _UPPER` works as
 * it does on Windows. ntdll's case mappings are lopsided, and programs see it: tolower folds ASCII
 * only, toupper folds the low byte of c in the ANSI code page (0xE9 e-acute gives 0xC9 in 1252),
 * towupper maps all of UTF-16, towlower only Latin-1. */
#include "strings_private.h"

#define CT_UPPER 0x0001
#define CT_LOWER 0x0002
#define CT_DIGIT 0x0004
#define CT_SPACE 0x0008
#define CT_PUNCT 0x0010
#define CT_CONTROL 0x0020
#define CT_BLANK 0x0040
#define CT_HEX 0x0080
#define CT_ALPHA (0x0100 | CT_UPPER | CT_LOWER)

/* msvcrt's "C" locale _ctype entry for c; 0 outside ASCII (also for EOF and negative chars). */
static int ctype_bits(int c) {
  if (c < 0 || c > 0x7F) return 0;
  if (c >= 'A' && c <= 'Z') return 0x100 | CT_UPPER | (c <= 'F' ? CT_HEX : 0);
  if (c >= 'a' && c <= 'z') return 0x100 | CT_LOWER | (c <= 'f' ? CT_HEX : 0);
  if (c >= '0' && c <= '9') return CT_DIGIT | CT_HEX;
  if (c == ' ') return CT_SPACE | CT_BLANK;
  if (c == '\t') return CT_CONTROL | CT_SPACE | CT_BLANK;
  if (c >= '\n' && c <= '\r') return CT_CONTROL | CT_SPACE;
  if (c < 0x20 || c == 0x7F) return CT_CONTROL;
  return CT_PUNCT;
}

NTDLL_EXPORT int __cdecl isalpha(int c) {
  return ctype_bits(c) & CT_ALPHA;
}
NTDLL_EXPORT int __cdecl isalnum(int c) {
  return ctype_bits(c) & (CT_ALPHA | CT_DIGIT);
}
NTDLL_EXPORT int __cdecl isupper(int c) {
  return ctype_bits(c) & CT_UPPER;
}
NTDLL_EXPORT int __cdecl islower(int c) {
  return ctype_bits(c) & CT_LOWER;
}
NTDLL_EXPORT int __cdecl isdigit(int c) {
  return ctype_bits(c) & CT_DIGIT;
}
NTDLL_EXPORT int __cdecl isxdigit(int c) {
  return ctype_bits(c) & CT_HEX;
}
NTDLL_EXPORT int __cdecl isspace(int c) {
  return ctype_bits(c) & CT_SPACE;
}
NTDLL_EXPORT int __cdecl ispunct(int c) {
  return ctype_bits(c) & CT_PUNCT;
}
NTDLL_EXPORT int __cdecl iscntrl(int c) {
  return ctype_bits(c) & CT_CONTROL;
}
NTDLL_EXPORT int __cdecl isprint(int c) {
  return ctype_bits(c) & (CT_ALPHA | CT_DIGIT | CT_PUNCT | CT_BLANK) && c != '\t';
}
NTDLL_EXPORT int __cdecl isgraph(int c) {
  return ctype_bits(c) & (CT_ALPHA | CT_DIGIT | CT_PUNCT);
}

NTDLL_EXPORT int __cdecl tolower(int c) {
  return strings_ascii_lower(c);
}

NTDLL_EXPORT int __cdecl toupper(int c) {
  const char ch = (char)c;
  if ((unsigned char)ch < 0x80) return strings_ascii_upper((unsigned char)ch);
  WCHAR w;
  ULONG n = 0;
  if (RtlMultiByteToUnicodeN(&w, sizeof(w), &n, &ch, 1) || n != sizeof(w)) return (unsigned char)ch;
  w = RtlUpcaseUnicodeChar(w);
  char upper[2];
  if (RtlUnicodeToMultiByteN(upper, sizeof(upper), &n, &w, sizeof(w)) || n != 1)
    return (unsigned char)ch; /* no single-byte upper case in this code page */
  return (unsigned char)upper[0];
}

NTDLL_EXPORT WCHAR __cdecl towupper(WCHAR c) {
  return RtlUpcaseUnicodeChar(c);
}
NTDLL_EXPORT WCHAR __cdecl towlower(WCHAR c) {
  return c < 0x100 ? RtlDowncaseUnicodeChar(c) : c;
}

#undef __isascii /* mingw-w64's ctype.h has them as macros */
#undef __toascii
#undef __iscsym
#undef __iscsymf
NTDLL_EXPORT int __cdecl __isascii(int c) {
  return (unsigned)c < 0x80;
}
NTDLL_EXPORT int __cdecl __toascii(int c) {
  return c & 0x7F;
}
NTDLL_EXPORT int __cdecl __iscsym(int c) {
  return c == '_' || isalnum(c);
}
NTDLL_EXPORT int __cdecl __iscsymf(int c) {
  return c == '_' || isalpha(c);
}

#undef _tolower /* macros in mingw-w64's ctype.h too */
#undef _toupper
#undef iswascii

/* The underscore forms map without checking: only meaningful for letters of the other case. */
NTDLL_EXPORT int __cdecl _tolower(int c) {
  return c - 'A' + 'a';
}
NTDLL_EXPORT int __cdecl _toupper(int c) {
  return c - 'a' + 'A';
}
NTDLL_EXPORT int __cdecl iswascii(WCHAR c) {
  return c < 0x80;
}
