/* Access control lists: an ACL header followed by AceCount variable-size ACEs,
 * each starting with an ACE_HEADER whose AceSize (a multiple of 4) leads to the
 * next. */
#include "security_private.h"

NTDLL_EXPORT NTSTATUS NTAPI RtlCreateAcl(PACL acl, ULONG length, ULONG revision) {
  if (length < sizeof(ACL)) return STATUS_BUFFER_TOO_SMALL;
  if (revision < MIN_ACL_REVISION || revision > MAX_ACL_REVISION || length > 0xFFFF)
    return STATUS_INVALID_PARAMETER;
  acl->AclRevision = (BYTE)revision;
  acl->Sbz1 = 0;
  acl->AclSize = (WORD)(length & ~3u); /* ACEs are DWORD-aligned: a ragged tail is unusable */
  acl->AceCount = 0;
  acl->Sbz2 = 0;
  return STATUS_SUCCESS;
}

/* The ACE after `ace`, or NULL when `ace`'s header or body does not lie inside
 * the ACL. */
static ACE_HEADER* next_ace(const ACL* acl, ACE_HEADER* ace) {
  const BYTE* end = (const BYTE*)acl + acl->AclSize;
  if ((BYTE*)ace + sizeof(ACE_HEADER) > end) return NULL;
  if (ace->AceSize < sizeof(ACE_HEADER) || (ace->AceSize & 3)) return NULL;
  if ((BYTE*)ace + ace->AceSize > end) return NULL;
  return (ACE_HEADER*)((BYTE*)ace + ace->AceSize);
}

NTDLL_EXPORT BOOLEAN NTAPI RtlValidAcl(PACL acl) {
  if (acl->AclRevision < MIN_ACL_REVISION || acl->AclRevision > MAX_ACL_REVISION) return FALSE;
  if (acl->AclSize < sizeof(ACL) || (acl->AclSize & 3)) return FALSE;
  ACE_HEADER* ace = (ACE_HEADER*)(acl + 1);
  for (WORD i = 0; i < acl->AceCount; ++i)
    if (!(ace = next_ace(acl, ace))) return FALSE;
  return TRUE;
}

/* Where the next ACE goes: TRUE with NULL when the ACL is full, FALSE when it
 * is malformed. */
NTDLL_EXPORT BOOLEAN NTAPI RtlFirstFreeAce(PACL acl, PVOID* first_free) {
  *first_free = NULL;
  ACE_HEADER* ace = (ACE_HEADER*)(acl + 1);
  for (WORD i = 0; i < acl->AceCount; ++i)
    if (!(ace = next_ace(acl, ace))) return FALSE;
  if ((BYTE*)ace < (BYTE*)acl + acl->AclSize) *first_free = ace;
  return TRUE;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlGetAce(PACL acl, ULONG index, PVOID* ace) {
  if (!RtlValidAcl(acl) || index >= acl->AceCount) return STATUS_INVALID_PARAMETER;
  ACE_HEADER* p = (ACE_HEADER*)(acl + 1);
  while (index--) p = (ACE_HEADER*)((BYTE*)p + p->AceSize);
  *ace = p;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlQueryInformationAcl(PACL acl, PVOID info, ULONG length,
                                                   ACL_INFORMATION_CLASS info_class) {
  if (acl->AclRevision < MIN_ACL_REVISION || acl->AclRevision > MAX_ACL_REVISION)
    return STATUS_INVALID_PARAMETER;
  switch (info_class) {
    case AclRevisionInformation: {
      if (length < sizeof(ACL_REVISION_INFORMATION)) return STATUS_BUFFER_TOO_SMALL;
      ((ACL_REVISION_INFORMATION*)info)->AclRevision = acl->AclRevision;
      return STATUS_SUCCESS;
    }
    case AclSizeInformation: {
      if (length < sizeof(ACL_SIZE_INFORMATION)) return STATUS_BUFFER_TOO_SMALL;
      PVOID free_ace;
      if (!RtlFirstFreeAce(acl, &free_ace)) return STATUS_INVALID_PARAMETER;
      ACL_SIZE_INFORMATION* size = info;
      size->AceCount = acl->AceCount;
      size->AclBytesInUse = free_ace ? (DWORD)((BYTE*)free_ace - (BYTE*)acl) : acl->AclSize;
      size->AclBytesFree = acl->AclSize - size->AclBytesInUse;
      return STATUS_SUCCESS;
    }
    default:
      return STATUS_INVALID_INFO_CLASS;
  }
}

/* Inserts a list of ready-made ACEs before ACE number `start` (past the end:
 * appends). The ACL takes the higher of its own and the list's revision. */
NTDLL_EXPORT NTSTATUS NTAPI RtlAddAce(PACL acl, ULONG revision, ULONG start, PVOID list,
                                      ULONG length) {
  if (!RtlValidAcl(acl)) return STATUS_INVALID_PARAMETER;
  PVOID free_ace;
  if (!RtlFirstFreeAce(acl, &free_ace)) return STATUS_INVALID_PARAMETER;
  if (revision < MIN_ACL_REVISION || revision > MAX_ACL_REVISION) return STATUS_INVALID_PARAMETER;
  /* Count the list's ACEs; they must tile it exactly. */
  ULONG count = 0;
  for (ULONG offset = 0; offset < length; ++count) {
    const ACE_HEADER* ace = (const ACE_HEADER*)((BYTE*)list + offset);
    if (length - offset < sizeof(ACE_HEADER) || ace->AceSize < sizeof(ACE_HEADER) ||
        ace->AceSize > length - offset)
      return STATUS_INVALID_PARAMETER;
    offset += ace->AceSize;
  }
  if (!free_ace || (BYTE*)free_ace + length > (BYTE*)acl + acl->AclSize)
    return STATUS_BUFFER_TOO_SMALL;
  BYTE* at = (BYTE*)(acl + 1);
  for (ULONG i = 0; i < start && i < acl->AceCount; ++i) at += ((ACE_HEADER*)at)->AceSize;
  security_copy(at + length, at, (SIZE_T)((BYTE*)free_ace - at));
  security_copy(at, list, length);
  acl->AceCount += (WORD)count;
  if (acl->AclRevision < revision) acl->AclRevision = (BYTE)revision;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlDeleteAce(PACL acl, ULONG index) {
  PVOID free_ace;
  if (!RtlValidAcl(acl) || index >= acl->AceCount || !RtlFirstFreeAce(acl, &free_ace))
    return STATUS_INVALID_PARAMETER;
  BYTE* end = free_ace ? (BYTE*)free_ace : (BYTE*)acl + acl->AclSize;
  BYTE* at = (BYTE*)(acl + 1);
  for (ULONG i = 0; i < index; ++i) at += ((ACE_HEADER*)at)->AceSize;
  const WORD size = ((ACE_HEADER*)at)->AceSize;
  security_copy(at, at + size, (SIZE_T)(end - at - size));
  acl->AceCount--;
  return STATUS_SUCCESS;
}
