/* Counted UTF-16 strings (UNICODE_STRING): initialisation, the heap-allocated copies, comparison,
 * copying and appending, hashing. Lengths are in bytes and need not include a terminator;
 * case-insensitive operations upcase through the Unicode case tables (RtlUpcaseUnicodeChar). */
#include "strings_private.h"

#define MAX_USTR_BYTES 0xFFFC /* the longest Length that leaves room for a terminator */

static size_t wide_length(const WCHAR* s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

NTDLL_EXPORT VOID NTAPI RtlInitUnicodeString(PUNICODE_STRING dst, PCWSTR src) {
  dst->Buffer = (PWSTR)src;
  if (!src) {
    dst->Length = dst->MaximumLength = 0;
    return;
  }
  size_t bytes = wide_length(src) * sizeof(WCHAR);
  if (bytes > MAX_USTR_BYTES) bytes = MAX_USTR_BYTES; /* Windows truncates silently here */
  dst->Length = (USHORT)bytes;
  dst->MaximumLength = (USHORT)(bytes + sizeof(WCHAR));
}

NTDLL_EXPORT NTSTATUS NTAPI RtlInitUnicodeStringEx(PUNICODE_STRING dst, PCWSTR src) {
  if (src && wide_length(src) * sizeof(WCHAR) > MAX_USTR_BYTES) return STATUS_NAME_TOO_LONG;
  RtlInitUnicodeString(dst, src);
  return STATUS_SUCCESS;
}

/* A terminated heap copy of src. FALSE when it is too long for a UNICODE_STRING or the heap is out
 * of memory. */
NTDLL_EXPORT BOOLEAN NTAPI RtlCreateUnicodeString(PUNICODE_STRING dst, PCWSTR src) {
  const size_t bytes = (wide_length(src) + 1) * sizeof(WCHAR);
  if (bytes > 0xFFFF) return FALSE;
  WCHAR* buf = RtlAllocateHeap(strings_process_heap(), 0, bytes);
  if (!buf) return FALSE;
  memcpy(buf, src, bytes);
  dst->Buffer = buf;
  dst->Length = (USHORT)(bytes - sizeof(WCHAR));
  dst->MaximumLength = (USHORT)bytes;
  return TRUE;
}

NTDLL_EXPORT VOID NTAPI RtlFreeUnicodeString(PUNICODE_STRING s) {
  if (s->Buffer) RtlFreeHeap(strings_process_heap(), 0, s->Buffer);
  s->Buffer = NULL;
  s->Length = s->MaximumLength = 0;
}

#define DUPLICATE_NULL_TERMINATE 1       /* RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE */
#define DUPLICATE_ALLOCATE_NULL_STRING 2 /* ..._ALLOCATE_NULL_STRING (only with the flag above) */

/* A heap copy of src; an empty src gives an empty string without a buffer unless both flags ask for
 * an allocated, terminated empty string. */
NTDLL_EXPORT NTSTATUS NTAPI RtlDuplicateUnicodeString(ULONG flags, PCUNICODE_STRING src,
                                                      PUNICODE_STRING dst) {
  if (!src || !dst || flags > 3 || flags == DUPLICATE_ALLOCATE_NULL_STRING ||
      src->Length > src->MaximumLength || (!src->Length && src->MaximumLength && !src->Buffer) ||
      (src->Length && !src->Buffer))
    return STATUS_INVALID_PARAMETER;
  if (!src->Length && flags != (DUPLICATE_NULL_TERMINATE | DUPLICATE_ALLOCATE_NULL_STRING)) {
    dst->Length = dst->MaximumLength = 0;
    dst->Buffer = NULL;
    return STATUS_SUCCESS;
  }
  const size_t bytes = src->Length + (flags & DUPLICATE_NULL_TERMINATE ? sizeof(WCHAR) : 0);
  if (bytes > 0xFFFF) return STATUS_NAME_TOO_LONG;
  WCHAR* buf = RtlAllocateHeap(strings_process_heap(), 0, bytes);
  if (!buf) return STATUS_NO_MEMORY;
  memcpy(buf, src->Buffer, src->Length);
  if (flags & DUPLICATE_NULL_TERMINATE) buf[src->Length / sizeof(WCHAR)] = 0;
  dst->Buffer = buf;
  dst->Length = src->Length;
  dst->MaximumLength = (USHORT)bytes;
  return STATUS_SUCCESS;
}

/* <0, 0, >0 as a sorts before, equals or sorts after b: the first differing character (upcased when
 * insensitive), else the shorter string first. Lengths in characters. */
NTDLL_EXPORT LONG NTAPI RtlCompareUnicodeStrings(const WCHAR* a, SIZE_T a_len, const WCHAR* b,
                                                 SIZE_T b_len, BOOLEAN case_insensitive) {
  const SIZE_T n = a_len < b_len ? a_len : b_len;
  for (SIZE_T i = 0; i < n; i++) {
    WCHAR ca = a[i], cb = b[i];
    if (ca != cb && case_insensitive) {
      ca = RtlUpcaseUnicodeChar(ca);
      cb = RtlUpcaseUnicodeChar(cb);
    }
    if (ca != cb) return (LONG)ca - (LONG)cb;
  }
  return a_len < b_len ? -1 : a_len > b_len;
}

NTDLL_EXPORT LONG NTAPI RtlCompareUnicodeString(PCUNICODE_STRING a, PCUNICODE_STRING b,
                                                BOOLEAN case_insensitive) {
  return RtlCompareUnicodeStrings(a->Buffer, a->Length / sizeof(WCHAR), b->Buffer,
                                  b->Length / sizeof(WCHAR), case_insensitive);
}

NTDLL_EXPORT BOOLEAN NTAPI RtlEqualUnicodeString(PCUNICODE_STRING a, PCUNICODE_STRING b,
                                                 BOOLEAN case_insensitive) {
  return a->Length == b->Length && !RtlCompareUnicodeString(a, b, case_insensitive);
}

NTDLL_EXPORT BOOLEAN NTAPI RtlPrefixUnicodeString(PCUNICODE_STRING prefix, PCUNICODE_STRING s,
                                                  BOOLEAN case_insensitive) {
  if (prefix->Length > s->Length) return FALSE;
  const SIZE_T n = prefix->Length / sizeof(WCHAR);
  return !RtlCompareUnicodeStrings(prefix->Buffer, n, s->Buffer, n, case_insensitive);
}

/* Copies as much of src as dst holds, terminated when there is room; a NULL src empties dst. */
NTDLL_EXPORT VOID NTAPI RtlCopyUnicodeString(PUNICODE_STRING dst, PCUNICODE_STRING src) {
  if (!src) {
    dst->Length = 0;
    return;
  }
  const USHORT n = src->Length < dst->MaximumLength ? src->Length : dst->MaximumLength;
  memmove(dst->Buffer, src->Buffer, n);
  dst->Length = n;
  if (n + sizeof(WCHAR) <= dst->MaximumLength) dst->Buffer[n / sizeof(WCHAR)] = 0;
}

static NTSTATUS append(PUNICODE_STRING dst, const WCHAR* src, size_t bytes) {
  if (dst->Length + bytes > dst->MaximumLength) return STATUS_BUFFER_TOO_SMALL;
  memmove((BYTE*)dst->Buffer + dst->Length, src, bytes);
  dst->Length = (USHORT)(dst->Length + bytes);
  if (dst->Length + sizeof(WCHAR) <= dst->MaximumLength)
    dst->Buffer[dst->Length / sizeof(WCHAR)] = 0;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlAppendUnicodeToString(PUNICODE_STRING dst, PCWSTR src) {
  return src ? append(dst, src, wide_length(src) * sizeof(WCHAR)) : STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlAppendUnicodeStringToString(PUNICODE_STRING dst,
                                                           PCUNICODE_STRING src) {
  return append(dst, src->Buffer, src->Length);
}

#define HASH_STRING_ALGORITHM_DEFAULT 0
#define HASH_STRING_ALGORITHM_X65599 1

/* The X65599 hash (the default one): h = h * 65599 + c over the (upcased) characters. */
NTDLL_EXPORT NTSTATUS NTAPI RtlHashUnicodeString(PCUNICODE_STRING s, BOOLEAN case_insensitive,
                                                 ULONG algorithm, PULONG hash) {
  if (!s || !hash) return STATUS_INVALID_PARAMETER;
  if (algorithm != HASH_STRING_ALGORITHM_DEFAULT && algorithm != HASH_STRING_ALGORITHM_X65599)
    return STATUS_INVALID_PARAMETER;
  ULONG h = 0;
  for (USHORT i = 0; i < s->Length / sizeof(WCHAR); i++)
    h = h * 65599 + (case_insensitive ? RtlUpcaseUnicodeChar(s->Buffer[i]) : s->Buffer[i]);
  *hash = h;
  return STATUS_SUCCESS;
}

/* Zeroes the whole buffer (secrets) and empties the string. */
NTDLL_EXPORT VOID NTAPI RtlEraseUnicodeString(PUNICODE_STRING s) {
  if (s->Buffer) memset(s->Buffer, 0, s->MaximumLength);
  s->Length = 0;
}

#define FIND_CHAR_START_AT_END 1
#define FIND_CHAR_COMPLEMENT_CHAR_SET 2
#define FIND_CHAR_CASE_INSENSITIVE 4

static int in_set(PCUNICODE_STRING set, WCHAR c, int case_insensitive) {
  if (case_insensitive) c = RtlUpcaseUnicodeChar(c);
  for (USHORT i = 0; i < set->Length / sizeof(WCHAR); i++) {
    const WCHAR m = case_insensitive ? RtlUpcaseUnicodeChar(set->Buffer[i]) : set->Buffer[i];
    if (m == c) return 1;
  }
  return 0;
}

/* The first (or, from the end, last) character of s in the set (or, complemented, not in it).
 * *position is in bytes: just past the character searching forward, at it searching back. */
NTDLL_EXPORT NTSTATUS NTAPI RtlFindCharInUnicodeString(ULONG flags, PCUNICODE_STRING s,
                                                       PCUNICODE_STRING set, USHORT* position) {
  if (flags & ~7u) return STATUS_INVALID_PARAMETER;
  const int want = !(flags & FIND_CHAR_COMPLEMENT_CHAR_SET);
  const int ci = (flags & FIND_CHAR_CASE_INSENSITIVE) != 0;
  const int n = s->Length / sizeof(WCHAR);
  *position = 0;
  if (flags & FIND_CHAR_START_AT_END) {
    for (int i = n - 1; i >= 0; i--) {
      if (in_set(set, s->Buffer[i], ci) == want) {
        *position = (USHORT)(i * sizeof(WCHAR));
        return STATUS_SUCCESS;
      }
    }
  } else {
    for (int i = 0; i < n; i++) {
      if (in_set(set, s->Buffer[i], ci) == want) {
        *position = (USHORT)((i + 1) * sizeof(WCHAR));
        return STATUS_SUCCESS;
      }
    }
  }
  return STATUS_NOT_FOUND;
}
