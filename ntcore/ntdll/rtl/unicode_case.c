/* Unicode simple case mapping for all of UTF-16, through Windows' case tables (l_intl.nls, which
 * the PEB's UnicodeCaseTableData points at): RtlUpcaseUnicodeChar, RtlDowncaseUnicodeChar and
 * the UNICODE_STRING forms. Without the file only ASCII letters change case. */
#include "nls_private.h"

/* Each table is a three-level trie of deltas, added modulo 2^16: the high byte picks a block,
 * the next nibble a row, the low nibble the delta. */
static WCHAR nls_case_map(const USHORT* table, WCHAR ch) {
  return (WCHAR)(ch + table[table[table[ch >> 8] + ((ch >> 4) & 0x0F)] + (ch & 0x0F)]);
}

NTDLL_EXPORT WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR ch) {
  const USHORT* table = nls_upcase_table();
  if (table) return nls_case_map(table, ch);
  return ch >= 'a' && ch <= 'z' ? (WCHAR)(ch - 'a' + 'A') : ch;
}

NTDLL_EXPORT WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR ch) {
  const USHORT* table = nls_downcase_table();
  if (table) return nls_case_map(table, ch);
  return ch >= 'A' && ch <= 'Z' ? (WCHAR)(ch - 'A' + 'a') : ch;
}

/* Copies src into dst (allocated from the process heap when asked, exactly src's length) with
 * every character mapped; STATUS_BUFFER_OVERFLOW when dst is too small. */
static NTSTATUS nls_case_string(UNICODE_STRING* dst, const UNICODE_STRING* src, BOOLEAN alloc,
                                WCHAR (*map)(WCHAR)) {
  USHORT len = src->Length;
  if (alloc) {
    WCHAR* buf = RtlAllocateHeap(ir_peb()->ProcessHeap, 0, len);
    if (!buf) return STATUS_NO_MEMORY;
    dst->Buffer = buf;
    dst->MaximumLength = len;
  } else if (len > dst->MaximumLength) {
    return STATUS_BUFFER_OVERFLOW;
  }
  for (USHORT i = 0; i < len / sizeof(WCHAR); i++) dst->Buffer[i] = map(src->Buffer[i]);
  dst->Length = len;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlUpcaseUnicodeString(UNICODE_STRING* dst, const UNICODE_STRING* src,
                                                   BOOLEAN alloc) {
  return nls_case_string(dst, src, alloc, RtlUpcaseUnicodeChar);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlDowncaseUnicodeString(UNICODE_STRING* dst, const UNICODE_STRING* src,
                                                     BOOLEAN alloc) {
  return nls_case_string(dst, src, alloc, RtlDowncaseUnicodeChar);
}
