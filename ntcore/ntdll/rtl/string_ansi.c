/* Counted 8-bit strings (STRING, ANSI_STRING, OEM_STRING): initialisation, freeing, copying and
 * appending, comparison (case-insensitive through RtlUpperChar, the ANSI code page's upcasing),
 * and RtlCreateUnicodeStringFromAsciiz (the ANSI code page conversion). */
#include "strings_private.h"

#define MAX_STRING_BYTES 0xFFFE /* the longest Length that leaves room for a terminator */

CHAR NTAPI RtlUpperChar(CHAR ch); /* nls family */

NTDLL_EXPORT VOID NTAPI RtlInitString(PSTRING dst, PCSZ src) {
  dst->Buffer = (PCHAR)src;
  if (!src) {
    dst->Length = dst->MaximumLength = 0;
    return;
  }
  size_t n = 0;
  while (src[n]) n++;
  if (n > MAX_STRING_BYTES) n = MAX_STRING_BYTES;
  dst->Length = (USHORT)n;
  dst->MaximumLength = (USHORT)(n + 1);
}

NTDLL_EXPORT VOID NTAPI RtlInitAnsiString(PANSI_STRING dst, PCSZ src) {
  RtlInitString(dst, src);
}

/* The Ex forms refuse a string too long for a STRING instead of truncating it. */
NTDLL_EXPORT NTSTATUS NTAPI RtlInitStringEx(PSTRING dst, PCSZ src) {
  size_t n = 0;
  if (src)
    while (src[n]) n++;
  if (n > MAX_STRING_BYTES) return STATUS_NAME_TOO_LONG;
  RtlInitString(dst, src);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlInitAnsiStringEx(PANSI_STRING dst, PCSZ src) {
  return RtlInitStringEx(dst, src);
}

/* Copies as much of src as dst holds (no terminator); a NULL src empties dst. */
NTDLL_EXPORT VOID NTAPI RtlCopyString(PSTRING dst, const STRING* src) {
  if (!src) {
    dst->Length = 0;
    return;
  }
  const USHORT n = src->Length < dst->MaximumLength ? src->Length : dst->MaximumLength;
  memmove(dst->Buffer, src->Buffer, n);
  dst->Length = n;
}

static NTSTATUS append(PSTRING dst, const char* src, size_t n) {
  if (dst->Length + n > dst->MaximumLength) return STATUS_BUFFER_TOO_SMALL;
  memmove(dst->Buffer + dst->Length, src, n);
  dst->Length = (USHORT)(dst->Length + n);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlAppendAsciizToString(PSTRING dst, PCSZ src) {
  if (!src) return STATUS_SUCCESS;
  size_t n = 0;
  while (src[n]) n++;
  return append(dst, src, n);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlAppendStringToString(PSTRING dst, const STRING* src) {
  return append(dst, src->Buffer, src->Length);
}

static void free_string(PSTRING s) {
  if (s->Buffer) RtlFreeHeap(strings_process_heap(), 0, s->Buffer);
  s->Buffer = NULL;
  s->Length = s->MaximumLength = 0;
}

NTDLL_EXPORT VOID NTAPI RtlFreeAnsiString(PANSI_STRING s) {
  free_string(s);
}
NTDLL_EXPORT VOID NTAPI RtlFreeOemString(POEM_STRING s) {
  free_string(s);
}

NTDLL_EXPORT LONG NTAPI RtlCompareString(const STRING* a, const STRING* b,
                                         BOOLEAN case_insensitive) {
  const USHORT n = a->Length < b->Length ? a->Length : b->Length;
  for (USHORT i = 0; i < n; i++) {
    CHAR ca = a->Buffer[i], cb = b->Buffer[i];
    if (ca != cb && case_insensitive) {
      ca = RtlUpperChar(ca);
      cb = RtlUpperChar(cb);
    }
    if (ca != cb) return (LONG)(UCHAR)ca - (LONG)(UCHAR)cb;
  }
  return (LONG)a->Length - (LONG)b->Length;
}

NTDLL_EXPORT BOOLEAN NTAPI RtlEqualString(const STRING* a, const STRING* b,
                                          BOOLEAN case_insensitive) {
  return a->Length == b->Length && !RtlCompareString(a, b, case_insensitive);
}

NTDLL_EXPORT BOOLEAN NTAPI RtlPrefixString(const STRING* prefix, const STRING* s,
                                           BOOLEAN case_insensitive) {
  if (prefix->Length > s->Length) return FALSE;
  for (USHORT i = 0; i < prefix->Length; i++) {
    CHAR a = prefix->Buffer[i], b = s->Buffer[i];
    if (a != b && case_insensitive) {
      a = RtlUpperChar(a);
      b = RtlUpperChar(b);
    }
    if (a != b) return FALSE;
  }
  return TRUE;
}

/* src in the ANSI code page, as a terminated heap copy in UTF-16. */
NTDLL_EXPORT BOOLEAN NTAPI RtlCreateUnicodeStringFromAsciiz(PUNICODE_STRING dst, LPCSTR src) {
  STRING ansi;
  RtlInitAnsiString(&ansi, src);
  return NT_SUCCESS(RtlAnsiStringToUnicodeString(dst, &ansi, TRUE));
}
