/* Conversions between UTF-16 and a code page (single-byte or DBCS) through its NLS table, and
 * the Rtl exports that use the process's ANSI or OEM code page or a caller's table. Sizes are in
 * bytes as the Rtl functions count them; output stops when the buffer is full (Windows reports
 * success with what fit). A table without data (the code page file missing) converts as
 * ISO-8859-1; a UTF-8 table converts through utf8.c's code. */
#include "nls_private.h"

NTSTATUS NTAPI RtlUTF8ToUnicodeN(WCHAR* dst, ULONG dst_max, ULONG* dst_len, const char* src,
                                 ULONG src_len);
NTSTATUS NTAPI RtlUnicodeToUTF8N(char* dst, ULONG dst_max, ULONG* dst_len, const WCHAR* src,
                                 ULONG src_len);

static BOOLEAN is_utf8(const CPTABLEINFO* info) {
  return info->CodePage == NLS_CP_UTF8;
}

ULONG nls_mb_to_wc(const CPTABLEINFO* info, WCHAR* dst, ULONG dst_bytes, const char* src,
                   ULONG src_bytes) {
  const UCHAR* s = (const UCHAR*)src;
  ULONG n = 0, max = dst_bytes / sizeof(WCHAR);
  if (is_utf8(info)) {
    ULONG written = 0;
    RtlUTF8ToUnicodeN(dst, dst_bytes, &written, src, src_bytes);
    return written / sizeof(WCHAR);
  }
  for (ULONG i = 0; i < src_bytes && n < max; i++, n++) {
    if (!info->MultiByteTable) {
      dst[n] = s[i];
      continue;
    }
    USHORT off = info->DBCSOffsets ? info->DBCSOffsets[s[i]] : 0;
    if (off && i + 1 < src_bytes) /* a lead byte and its trail byte */
      dst[n] = info->DBCSOffsets[off + s[++i]];
    else
      dst[n] = info->MultiByteTable[s[i]];
  }
  return n;
}

ULONG nls_mb_to_wc_size(const CPTABLEINFO* info, const char* src, ULONG src_bytes) {
  const UCHAR* s = (const UCHAR*)src;
  ULONG n = 0;
  if (is_utf8(info)) {
    ULONG bytes = 0;
    RtlUTF8ToUnicodeN(NULL, 0, &bytes, src, src_bytes);
    return bytes / sizeof(WCHAR);
  }
  for (ULONG i = 0; i < src_bytes; i++, n++)
    if (info->DBCSOffsets && info->DBCSOffsets[s[i]] && i + 1 < src_bytes) i++;
  return n;
}

/* The code page's bytes for one character: 1 or 2 (DBCS), in *out. */
static ULONG wc_to_mb_one(const CPTABLEINFO* info, WCHAR wc, UCHAR out[2]) {
  if (!info->WideCharTable) {
    out[0] = wc < 0x100 ? (UCHAR)wc : '?';
    return 1;
  }
  if (!info->DBCSCodePage) {
    out[0] = ((const UCHAR*)info->WideCharTable)[wc];
    return 1;
  }
  USHORT mb = ((const USHORT*)info->WideCharTable)[wc];
  if (mb >> 8) {
    out[0] = (UCHAR)(mb >> 8);
    out[1] = (UCHAR)mb;
    return 2;
  }
  out[0] = (UCHAR)mb;
  return 1;
}

ULONG nls_wc_to_mb(const CPTABLEINFO* info, char* dst, ULONG dst_bytes, const WCHAR* src,
                   ULONG src_bytes) {
  ULONG n = 0, count = src_bytes / sizeof(WCHAR);
  if (is_utf8(info)) {
    ULONG written = 0;
    RtlUnicodeToUTF8N(dst, dst_bytes, &written, src, src_bytes);
    return written;
  }
  for (ULONG i = 0; i < count && n < dst_bytes; i++) {
    UCHAR mb[2];
    ULONG len = wc_to_mb_one(info, src[i], mb);
    if (n + len > dst_bytes) break; /* no half characters */
    dst[n++] = (char)mb[0];
    if (len == 2) dst[n++] = (char)mb[1];
  }
  return n;
}

ULONG nls_wc_to_mb_size(const CPTABLEINFO* info, const WCHAR* src, ULONG src_bytes) {
  ULONG n = 0, count = src_bytes / sizeof(WCHAR);
  if (is_utf8(info)) {
    ULONG bytes = 0;
    RtlUnicodeToUTF8N(NULL, 0, &bytes, src, src_bytes);
    return bytes;
  }
  for (ULONG i = 0; i < count; i++) {
    UCHAR mb[2];
    n += wc_to_mb_one(info, src[i], mb);
  }
  return n;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlMultiByteToUnicodeN(WCHAR* dst, ULONG dst_max, ULONG* dst_len,
                                                   const char* src, ULONG src_len) {
  ULONG n = nls_mb_to_wc(nls_ansi_table(), dst, dst_max, src, src_len);
  if (dst_len) *dst_len = n * sizeof(WCHAR);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlMultiByteToUnicodeSize(ULONG* size, const char* src, ULONG src_len) {
  *size = nls_mb_to_wc_size(nls_ansi_table(), src, src_len) * sizeof(WCHAR);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlOemToUnicodeN(WCHAR* dst, ULONG dst_max, ULONG* dst_len,
                                             const char* src, ULONG src_len) {
  ULONG n = nls_mb_to_wc(nls_oem_table(), dst, dst_max, src, src_len);
  if (dst_len) *dst_len = n * sizeof(WCHAR);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlCustomCPToUnicodeN(CPTABLEINFO* info, WCHAR* dst, ULONG dst_max,
                                                  ULONG* dst_len, const char* src, ULONG src_len) {
  ULONG n = nls_mb_to_wc(info, dst, dst_max, src, src_len);
  if (dst_len) *dst_len = n * sizeof(WCHAR);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlUnicodeToMultiByteN(char* dst, ULONG dst_max, ULONG* dst_len,
                                                   const WCHAR* src, ULONG src_len) {
  ULONG n = nls_wc_to_mb(nls_ansi_table(), dst, dst_max, src, src_len);
  if (dst_len) *dst_len = n;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlUnicodeToMultiByteSize(ULONG* size, WCHAR* src, /* mingw: PWCH */
                                                      ULONG src_len) {
  *size = nls_wc_to_mb_size(nls_ansi_table(), src, src_len);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlUnicodeToOemN(char* dst, ULONG dst_max, ULONG* dst_len,
                                             const WCHAR* src, ULONG src_len) {
  ULONG n = nls_wc_to_mb(nls_oem_table(), dst, dst_max, src, src_len);
  if (dst_len) *dst_len = n;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlUnicodeToCustomCPN(CPTABLEINFO* info, char* dst, ULONG dst_max,
                                                  ULONG* dst_len, const WCHAR* src, ULONG src_len) {
  ULONG n = nls_wc_to_mb(info, dst, dst_max, src, src_len);
  if (dst_len) *dst_len = n;
  return STATUS_SUCCESS;
}

/* One ANSI character (two bytes for a DBCS lead byte), advancing *src past it. */
NTDLL_EXPORT WCHAR NTAPI RtlAnsiCharToUnicodeChar(UCHAR** src) {
  const CPTABLEINFO* info = nls_ansi_table();
  ULONG len = info->DBCSOffsets && info->DBCSOffsets[**src] ? 2 : 1;
  WCHAR wc = 0;
  if (is_utf8(info)) { /* a whole UTF-8 sequence, at most 4 bytes; its first UTF-16 unit */
    UCHAR b = **src;
    len = b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    for (ULONG i = 1; i < len; i++)
      if (((*src)[i] & 0xC0) != 0x80) len = i;
    WCHAR pair[2];
    ULONG bytes = 0;
    RtlUTF8ToUnicodeN(pair, sizeof(pair), &bytes, (const char*)*src, len);
    wc = pair[0];
  } else {
    nls_mb_to_wc(info, &wc, sizeof(wc), (const char*)*src, len);
  }
  *src += len;
  return wc;
}

/* Windows upcases only a-z here, whatever the code page (its own tests and Wine's agree). */
NTDLL_EXPORT CHAR NTAPI RtlUpperChar(CHAR ch) {
  return ch >= 'a' && ch <= 'z' ? (CHAR)(ch - 'a' + 'A') : ch;
}

NTDLL_EXPORT void NTAPI RtlUpperString(STRING* dst, const STRING* src) {
  USHORT len = src->Length < dst->MaximumLength ? src->Length : dst->MaximumLength;
  for (USHORT i = 0; i < len; i++) dst->Buffer[i] = RtlUpperChar(src->Buffer[i]);
  dst->Length = len;
}
