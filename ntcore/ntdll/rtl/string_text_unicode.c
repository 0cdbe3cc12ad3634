/* RtlIsTextUnicode: does a buffer look like UTF-16 text? Tests the IS_TEXT_UNICODE_* properties the
 * caller asks for (*flags in, NULL: all), reports those found (*flags out), and decides: reversed
 * or non-Unicode evidence says no, evidence against ASCII or for Unicode says yes. */
#include "strings_private.h"

#define TU_ASCII16 0x0001
#define TU_STATISTICS 0x0002
#define TU_CONTROLS 0x0004
#define TU_SIGNATURE 0x0008
#define TU_REVERSE_ASCII16 0x0010
#define TU_REVERSE_STATISTICS 0x0020
#define TU_REVERSE_CONTROLS 0x0040
#define TU_REVERSE_SIGNATURE 0x0080
#define TU_ILLEGAL_CHARS 0x0100
#define TU_ODD_LENGTH 0x0200
#define TU_NULL_BYTES 0x1000
#define TU_UNICODE_MASK 0x000F
#define TU_REVERSE_MASK 0x00F0
#define TU_NOT_UNICODE_MASK 0x0F00
#define TU_NOT_ASCII_MASK 0xF000

static int is_control(WCHAR c) {
  return c == '\r' || c == '\n' || c == '\t' || c == ' ' || c == 0x3000;
}
static WCHAR swapped(WCHAR c) {
  return (WCHAR)(c << 8 | c >> 8);
}

NTDLL_EXPORT BOOLEAN NTAPI RtlIsTextUnicode(const VOID* buf, INT len, INT* flags) {
  const WCHAR* s = buf;
  const int want = flags ? *flags : ~0;
  if (len < (int)sizeof(WCHAR)) {
    if (flags) *flags = 0;
    return FALSE;
  }
  int found = 0;
  if (len & 1) found |= TU_ODD_LENGTH;
  const int n = len / (int)sizeof(WCHAR);
  if (s[0] == 0xFEFF) found |= TU_SIGNATURE;
  if (s[0] == 0xFFFE) found |= TU_REVERSE_SIGNATURE;
  int ascii = 0, reverse_ascii = 0, small = 0, reverse_small = 0;
  for (int i = 0; i < n; i++) {
    const WCHAR c = s[i];
    if (c < 0x80) ascii++;
    if (swapped(c) < 0x80) reverse_ascii++;
    if (c <= 0xFF) small++;
    if (swapped(c) <= 0xFF) reverse_small++;
    if (is_control(c)) found |= TU_CONTROLS;
    if (is_control(swapped(c))) found |= TU_REVERSE_CONTROLS;
    /* documented as illegal: an embedded reversed BOM, NUL, CR-LF packed into one unit, 0xFFFF */
    if ((c == 0xFFFE && i) || !c || c == 0x0A0D || c == 0xFFFF) found |= TU_ILLEGAL_CHARS;
    if (!(c & 0xFF) || !(c >> 8)) found |= TU_NULL_BYTES;
  }
  if (ascii == n) found |= TU_ASCII16;
  if (reverse_ascii == n && ascii != n) found |= TU_REVERSE_ASCII16;
  /* Mostly Latin-1 range characters: what text in Western scripts looks like as UTF-16. */
  if (small > n / 2) found |= TU_STATISTICS;
  if (reverse_small > n / 2 && small <= n / 2) found |= TU_REVERSE_STATISTICS;
  found &= want;
  if (flags) *flags = found;
  if (found & (TU_REVERSE_MASK | TU_NOT_UNICODE_MASK)) return FALSE;
  if (found & (TU_NOT_ASCII_MASK | TU_UNICODE_MASK)) return TRUE;
  return FALSE;
}
