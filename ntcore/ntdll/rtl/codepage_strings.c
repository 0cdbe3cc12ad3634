/* ANSI_STRING / OEM_STRING <-> UNICODE_STRING through the process's ANSI or OEM code page, and
 * the sizes those conversions need (terminating NUL included, as Windows counts them). */
#include "nls_private.h"

#define NLS_MAX_USHORT 0xFFFF

static ULONG mb_string_to_unicode_size(const CPTABLEINFO* info, const STRING* src) {
  return (nls_mb_to_wc_size(info, src->Buffer, src->Length) + 1) * sizeof(WCHAR);
}

static ULONG unicode_string_to_mb_size(const CPTABLEINFO* info, const UNICODE_STRING* src) {
  return nls_wc_to_mb_size(info, src->Buffer, src->Length) + 1;
}

static NTSTATUS mb_string_to_unicode(const CPTABLEINFO* info, UNICODE_STRING* dst,
                                     const STRING* src, BOOLEAN alloc) {
  ULONG total = mb_string_to_unicode_size(info, src);
  if (total > NLS_MAX_USHORT) return STATUS_INVALID_PARAMETER_2;
  dst->Length = (USHORT)(total - sizeof(WCHAR));
  if (alloc) {
    WCHAR* buf = RtlAllocateHeap(ir_peb()->ProcessHeap, 0, total);
    if (!buf) return STATUS_NO_MEMORY;
    dst->Buffer = buf;
    dst->MaximumLength = (USHORT)total;
  } else if (total > dst->MaximumLength) {
    return STATUS_BUFFER_OVERFLOW;
  }
  nls_mb_to_wc(info, dst->Buffer, dst->Length, src->Buffer, src->Length);
  dst->Buffer[dst->Length / sizeof(WCHAR)] = 0;
  return STATUS_SUCCESS;
}

/* A buffer too small (but not empty) still gets what fits, NUL-terminated. */
static NTSTATUS unicode_to_mb_string(const CPTABLEINFO* info, STRING* dst,
                                     const UNICODE_STRING* src, BOOLEAN alloc) {
  ULONG total = unicode_string_to_mb_size(info, src);
  NTSTATUS status = STATUS_SUCCESS;
  if (total > NLS_MAX_USHORT) return STATUS_INVALID_PARAMETER_2;
  dst->Length = (USHORT)(total - 1);
  if (alloc) {
    char* buf = RtlAllocateHeap(ir_peb()->ProcessHeap, 0, total);
    if (!buf) return STATUS_NO_MEMORY;
    dst->Buffer = buf;
    dst->MaximumLength = (USHORT)total;
  } else if (total > dst->MaximumLength) {
    if (!dst->MaximumLength) return STATUS_BUFFER_OVERFLOW;
    dst->Length = dst->MaximumLength - 1;
    status = STATUS_BUFFER_OVERFLOW;
  }
  dst->Length = (USHORT)nls_wc_to_mb(info, dst->Buffer, dst->Length, src->Buffer, src->Length);
  dst->Buffer[dst->Length] = 0;
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlAnsiStringToUnicodeString(UNICODE_STRING* dst, STRING* src,
                                                         BOOLEAN alloc) {
  return mb_string_to_unicode(nls_ansi_table(), dst, src, alloc);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlOemStringToUnicodeString(UNICODE_STRING* dst, const STRING* src,
                                                        BOOLEAN alloc) {
  return mb_string_to_unicode(nls_oem_table(), dst, src, alloc);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlUnicodeStringToAnsiString(STRING* dst, const UNICODE_STRING* src,
                                                         BOOLEAN alloc) {
  return unicode_to_mb_string(nls_ansi_table(), dst, src, alloc);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlUnicodeStringToOemString(STRING* dst, const UNICODE_STRING* src,
                                                        BOOLEAN alloc) {
  return unicode_to_mb_string(nls_oem_table(), dst, src, alloc);
}

NTDLL_EXPORT ULONG NTAPI RtlxAnsiStringToUnicodeSize(const STRING* src) {
  return mb_string_to_unicode_size(nls_ansi_table(), src);
}

NTDLL_EXPORT ULONG NTAPI RtlxOemStringToUnicodeSize(const STRING* src) {
  return mb_string_to_unicode_size(nls_oem_table(), src);
}

NTDLL_EXPORT ULONG NTAPI RtlxUnicodeStringToAnsiSize(const UNICODE_STRING* src) {
  return unicode_string_to_mb_size(nls_ansi_table(), src);
}

NTDLL_EXPORT ULONG NTAPI RtlxUnicodeStringToOemSize(const UNICODE_STRING* src) {
  return unicode_string_to_mb_size(nls_oem_table(), src);
}

NTDLL_EXPORT ULONG NTAPI RtlUnicodeStringToAnsiSize(const UNICODE_STRING* src) {
  return unicode_string_to_mb_size(nls_ansi_table(), src);
}

NTDLL_EXPORT ULONG NTAPI RtlUnicodeStringToOemSize(const UNICODE_STRING* src) {
  return unicode_string_to_mb_size(nls_oem_table(), src);
}
