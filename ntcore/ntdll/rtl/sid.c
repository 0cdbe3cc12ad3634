/* Security identifiers: S-R-I-S-S... as a SID structure (revision 1, up to 15
 * sub-authorities). */
#include "security_private.h"

NTDLL_EXPORT ULONG NTAPI RtlLengthRequiredSid(ULONG count) {
  return (ULONG)(FIELD_OFFSET(SID, SubAuthority) + count * sizeof(ULONG));
}

NTDLL_EXPORT ULONG NTAPI RtlLengthSid(PSID sid) {
  return RtlLengthRequiredSid(((SID*)sid)->SubAuthorityCount);
}

NTDLL_EXPORT BOOLEAN NTAPI RtlValidSid(PSID sid) {
  const SID* s = sid;
  return s && s->Revision == SID_REVISION && s->SubAuthorityCount <= SID_MAX_SUB_AUTHORITIES;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlInitializeSid(PSID sid, PSID_IDENTIFIER_AUTHORITY authority,
                                             UCHAR count) {
  SID* s = sid;
  if (count > SID_MAX_SUB_AUTHORITIES) return STATUS_INVALID_PARAMETER;
  s->Revision = SID_REVISION;
  s->SubAuthorityCount = count;
  s->IdentifierAuthority = *authority;
  return STATUS_SUCCESS;
}

/* At most eight sub-authorities: the ones this signature can carry. */
NTDLL_EXPORT NTSTATUS NTAPI RtlAllocateAndInitializeSid(PSID_IDENTIFIER_AUTHORITY authority,
                                                        UCHAR count, ULONG sub0, ULONG sub1,
                                                        ULONG sub2, ULONG sub3, ULONG sub4,
                                                        ULONG sub5, ULONG sub6, ULONG sub7,
                                                        PSID* sid) {
  if (count > 8) return STATUS_INVALID_SID;
  SID* s = security_alloc(RtlLengthRequiredSid(count));
  if (!s) return STATUS_NO_MEMORY;
  const ULONG subs[8] = {sub0, sub1, sub2, sub3, sub4, sub5, sub6, sub7};
  s->Revision = SID_REVISION;
  s->SubAuthorityCount = count;
  s->IdentifierAuthority = *authority;
  for (UCHAR i = 0; i < count; ++i) s->SubAuthority[i] = subs[i];
  *sid = s;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT PVOID NTAPI RtlFreeSid(PSID sid) {
  security_free(sid);
  return NULL;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlCopySid(ULONG length, PSID dest, PSID src) {
  const ULONG need = RtlLengthSid(src);
  if (length < need) return STATUS_BUFFER_TOO_SMALL;
  security_copy(dest, src, need);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT BOOLEAN NTAPI RtlEqualSid(PSID sid1, PSID sid2) {
  const SID *a = sid1, *b = sid2;
  if (a->Revision != b->Revision || a->SubAuthorityCount != b->SubAuthorityCount) return FALSE;
  return security_same(a, b, RtlLengthSid(sid1));
}

/* Equal up to the last sub-authority: the same domain, possibly different
 * accounts. */
NTDLL_EXPORT BOOLEAN NTAPI RtlEqualPrefixSid(PSID sid1, PSID sid2) {
  const SID *a = sid1, *b = sid2;
  if (a->Revision != b->Revision || a->SubAuthorityCount != b->SubAuthorityCount) return FALSE;
  if (!security_same(&a->IdentifierAuthority, &b->IdentifierAuthority,
                     sizeof(a->IdentifierAuthority)))
    return FALSE;
  for (int i = 0; i + 1 < a->SubAuthorityCount; ++i)
    if (a->SubAuthority[i] != b->SubAuthority[i]) return FALSE;
  return TRUE;
}

NTDLL_EXPORT PULONG NTAPI RtlSubAuthoritySid(PSID sid, ULONG index) {
  return &((SID*)sid)->SubAuthority[index];
}

NTDLL_EXPORT PUCHAR NTAPI RtlSubAuthorityCountSid(PSID sid) {
  return &((SID*)sid)->SubAuthorityCount;
}

NTDLL_EXPORT PSID_IDENTIFIER_AUTHORITY NTAPI RtlIdentifierAuthoritySid(PSID sid) {
  return &((SID*)sid)->IdentifierAuthority;
}

/* RtlConvertSidToUnicodeString: the SID's string form "S-1-5-21-...". The
 * authority is decimal when it fits in 32 bits, otherwise 0x followed by its
 * twelve hex digits (Windows' rule). */

static WCHAR* put_decimal(WCHAR* p, ULONG v) {
  WCHAR digits[10];
  int n = 0;
  do digits[n++] = (WCHAR)(L'0' + v % 10);
  while (v /= 10);
  while (n) *p++ = digits[--n];
  return p;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlConvertSidToUnicodeString(PUNICODE_STRING out, PSID sid,
                                                         BOOLEAN allocate) {
  static const WCHAR hex[] = L"0123456789ABCDEF";
  const SID* s = sid;
  if (!RtlValidSid(sid)) return STATUS_INVALID_SID;
  WCHAR text[2 + 4 + 1 + 14 + SID_MAX_SUB_AUTHORITIES * 11 + 1]; /* S-1-0x...-n... */
  WCHAR* p = text;
  *p++ = L'S';
  *p++ = L'-';
  p = put_decimal(p, s->Revision);
  *p++ = L'-';
  const BYTE* a = s->IdentifierAuthority.Value;
  if (a[0] || a[1]) {
    *p++ = L'0';
    *p++ = L'x';
    for (int i = 0; i < 6; ++i) {
      *p++ = hex[a[i] >> 4];
      *p++ = hex[a[i] & 15];
    }
  } else {
    p = put_decimal(p, (ULONG)a[2] << 24 | (ULONG)a[3] << 16 | (ULONG)a[4] << 8 | a[5]);
  }
  for (int i = 0; i < s->SubAuthorityCount; ++i) {
    *p++ = L'-';
    p = put_decimal(p, s->SubAuthority[i]);
  }
  const USHORT bytes = (USHORT)((p - text) * sizeof(WCHAR));
  *p = 0;
  if (allocate) {
    WCHAR* buffer = security_alloc(bytes + sizeof(WCHAR));
    if (!buffer) return STATUS_NO_MEMORY;
    out->Buffer = buffer;
    out->MaximumLength = bytes + sizeof(WCHAR);
  } else if (bytes + sizeof(WCHAR) > out->MaximumLength) {
    return STATUS_BUFFER_OVERFLOW;
  }
  security_copy(out->Buffer, text, bytes + sizeof(WCHAR));
  out->Length = bytes;
  return STATUS_SUCCESS;
}
