/* UTF-8 <-> UTF-16 (RtlUTF8ToUnicodeN, RtlUnicodeToUTF8N). Ill-formed input becomes U+FFFD
 * with STATUS_SOME_NOT_MAPPED, counted as Windows counts it: a byte that cannot start a sequence,
 * or a sequence cut short by a byte that cannot continue it, is one U+FFFD; a lead byte with
 * fewer bytes after it than its sequence needs is one U+FFFD for all the rest; a complete sequence
 * that encodes an overlong form, a surrogate or a value above U+10FFFF is one U+FFFD per
 * continuation byte. A NULL destination only measures; output stops where the buffer is full:
 * STATUS_BUFFER_TOO_SMALL. */
#include "nls_private.h"

#define UTF8_INVALID 0xFFFFFFFFu

/* Decodes the sequence at s[0..len): returns the bytes it takes and sets *cp to the code point,
 * or to UTF8_INVALID with *bad = how many U+FFFD stand for those bytes. */
static ULONG utf8_decode(const UCHAR* s, ULONG len, ULONG* cp, ULONG* bad) {
  static const ULONG min_value[4] = {0, 0x80, 0x800, 0x10000}; /* by trail byte count */
  UCHAR b = s[0];
  ULONG trail, v;
  *bad = 1;
  *cp = UTF8_INVALID;
  if (b < 0x80) {
    *cp = b;
    return 1;
  }
  if (b < 0xC2 || b > 0xF4) return 1; /* a continuation byte, an overlong lead, or beyond */
  trail = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
  if (trail >= len) return len; /* cut short by the end: whatever follows the lead is lost */
  v = b & (0x3F >> trail);
  for (ULONG i = 1; i <= trail; i++) {
    if ((s[i] & 0xC0) != 0x80) return i;
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min_value[trail] || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) {
    *bad = trail;
    return trail + 1;
  }
  *cp = v;
  return trail + 1;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlUTF8ToUnicodeN(WCHAR* dst, ULONG dst_max, ULONG* dst_len,
                                              const char* src, ULONG src_len) {
  if (!src) return STATUS_INVALID_PARAMETER_4;
  if (!dst_len) return STATUS_INVALID_PARAMETER;
  const UCHAR* s = (const UCHAR*)src;
  ULONG max = dst ? dst_max / sizeof(WCHAR) : ~0u, n = 0;
  NTSTATUS status = STATUS_SUCCESS;
  for (ULONG i = 0; i < src_len;) {
    ULONG cp, bad;
    WCHAR units[3];
    ULONG count = 1;
    i += utf8_decode(s + i, src_len - i, &cp, &bad);
    if (cp == UTF8_INVALID) {
      for (count = 0; count < bad; count++) units[count] = 0xFFFD;
      status = STATUS_SOME_NOT_MAPPED;
    } else if (cp >= 0x10000) {
      units[0] = (WCHAR)(0xD800 + ((cp - 0x10000) >> 10));
      units[1] = (WCHAR)(0xDC00 + (cp & 0x3FF));
      count = 2;
    } else {
      units[0] = (WCHAR)cp;
    }
    /* Unit by unit: a pair may lose its second half to a full buffer, as on Windows. */
    for (ULONG k = 0; k < count; k++, n++) {
      if (n >= max) {
        *dst_len = n * sizeof(WCHAR);
        return STATUS_BUFFER_TOO_SMALL;
      }
      if (dst) dst[n] = units[k];
    }
  }
  *dst_len = n * sizeof(WCHAR);
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlUnicodeToUTF8N(char* dst, ULONG dst_max, ULONG* dst_len,
                                              const WCHAR* src, ULONG src_len) {
  if (!src) return STATUS_INVALID_PARAMETER_4;
  if (!dst_len) return STATUS_INVALID_PARAMETER;
  if (dst && (src_len & 1)) return STATUS_INVALID_PARAMETER_5; /* half a character */
  ULONG count = src_len / sizeof(WCHAR), max = dst ? dst_max : ~0u, n = 0;
  NTSTATUS status = STATUS_SUCCESS;
  for (ULONG i = 0; i < count; i++) {
    ULONG cp = src[i];
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < count && src[i + 1] >= 0xDC00 &&
        src[i + 1] <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (src[i + 1] - 0xDC00);
    } else if (cp >= 0xD800 && cp <= 0xDFFF) { /* an unpaired surrogate */
      cp = 0xFFFD;
      status = STATUS_SOME_NOT_MAPPED;
    }
    UCHAR out[4];
    ULONG len;
    if (cp < 0x80) {
      out[0] = (UCHAR)cp;
      len = 1;
    } else if (cp < 0x800) {
      out[0] = (UCHAR)(0xC0 | (cp >> 6));
      out[1] = (UCHAR)(0x80 | (cp & 0x3F));
      len = 2;
    } else if (cp < 0x10000) {
      out[0] = (UCHAR)(0xE0 | (cp >> 12));
      out[1] = (UCHAR)(0x80 | ((cp >> 6) & 0x3F));
      out[2] = (UCHAR)(0x80 | (cp & 0x3F));
      len = 3;
    } else {
      out[0] = (UCHAR)(0xF0 | (cp >> 18));
      out[1] = (UCHAR)(0x80 | ((cp >> 12) & 0x3F));
      out[2] = (UCHAR)(0x80 | ((cp >> 6) & 0x3F));
      out[3] = (UCHAR)(0x80 | (cp & 0x3F));
      len = 4;
    }
    if (n + len > max) {
      status = STATUS_BUFFER_TOO_SMALL;
      break;
    }
    if (dst)
      for (ULONG k = 0; k < len; k++) dst[n + k] = (char)out[k];
    n += len;
    if (cp >= 0x10000) i++;
  }
  *dst_len = n;
  return status;
}
