/* The typed ACE adders: each appends one ACE (header, mask, optional object
 * GUIDs, SID) at the ACL's first free byte. An ACE of a newer revision raises
 * the ACL's revision. */
#include "security_private.h"

/* Builds the ACE at the end of `acl`: `flags` are the caller's inheritance flags, `audit` the
 * audit ACEs' success/failure flags. Object ACEs carry a flags word and only the GUIDs that are
 * present. */
static NTSTATUS add_ace(PACL acl, ULONG revision, ULONG flags, BYTE audit, BYTE type,
                        ACCESS_MASK mask, const GUID* object_type, const GUID* inherited_type,
                        BOOLEAN object, PSID sid) {
  if (!RtlValidSid(sid)) return STATUS_INVALID_SID;
  if (acl->AclRevision > MAX_ACL_REVISION || revision > MAX_ACL_REVISION)
    return STATUS_REVISION_MISMATCH;
  if (!RtlValidAcl(acl)) return STATUS_INVALID_ACL;
  PVOID free_ace;
  if (!RtlFirstFreeAce(acl, &free_ace)) return STATUS_INVALID_ACL;
  if (flags & ~VALID_INHERIT_FLAGS) return STATUS_INVALID_PARAMETER;
  ULONG size = sizeof(ACE_HEADER) + sizeof(ACCESS_MASK);
  if (object) {
    size += sizeof(ULONG);
    if (object_type) size += sizeof(GUID);
    if (inherited_type) size += sizeof(GUID);
  }
  const ULONG sid_length = RtlLengthSid(sid);
  size += sid_length;
  if (!free_ace || (BYTE*)free_ace + size > (BYTE*)acl + acl->AclSize)
    return STATUS_ALLOTTED_SPACE_EXCEEDED;
  ACE_HEADER* ace = free_ace;
  ace->AceType = type;
  ace->AceFlags = (BYTE)(flags | audit);
  ace->AceSize = (WORD)size;
  BYTE* p = (BYTE*)(ace + 1);
  *(ACCESS_MASK*)p = mask;
  p += sizeof(ACCESS_MASK);
  if (object) {
    ULONG* object_flags = (ULONG*)p;
    p += sizeof(ULONG);
    *object_flags = 0;
    if (object_type) {
      *object_flags |= ACE_OBJECT_TYPE_PRESENT;
      security_copy(p, object_type, sizeof(GUID));
      p += sizeof(GUID);
    }
    if (inherited_type) {
      *object_flags |= ACE_INHERITED_OBJECT_TYPE_PRESENT;
      security_copy(p, inherited_type, sizeof(GUID));
      p += sizeof(GUID);
    }
  }
  security_copy(p, sid, sid_length);
  acl->AceCount++;
  if (acl->AclRevision < revision) acl->AclRevision = (BYTE)revision;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlAddAccessAllowedAce(PACL acl, ULONG revision, ACCESS_MASK mask,
                                                   PSID sid) {
  return add_ace(acl, revision, 0, 0, ACCESS_ALLOWED_ACE_TYPE, mask, NULL, NULL, FALSE, sid);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlAddAccessAllowedAceEx(PACL acl, ULONG revision, ULONG flags,
                                                     ACCESS_MASK mask, PSID sid) {
  return add_ace(acl, revision, flags, 0, ACCESS_ALLOWED_ACE_TYPE, mask, NULL, NULL, FALSE, sid);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlAddAccessDeniedAce(PACL acl, ULONG revision, ACCESS_MASK mask,
                                                  PSID sid) {
  return add_ace(acl, revision, 0, 0, ACCESS_DENIED_ACE_TYPE, mask, NULL, NULL, FALSE, sid);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlAddAccessDeniedAceEx(PACL acl, ULONG revision, ULONG flags,
                                                    ACCESS_MASK mask, PSID sid) {
  return add_ace(acl, revision, flags, 0, ACCESS_DENIED_ACE_TYPE, mask, NULL, NULL, FALSE, sid);
}

/* Audit ACEs say in their flags whether successes, failures or both are
 * audited. */
static BYTE audit_flags(BOOLEAN success, BOOLEAN failure) {
  return (BYTE)((success ? SUCCESSFUL_ACCESS_ACE_FLAG : 0) |
                (failure ? FAILED_ACCESS_ACE_FLAG : 0));
}

NTDLL_EXPORT NTSTATUS NTAPI RtlAddAuditAccessAce(PACL acl, ULONG revision, ACCESS_MASK mask,
                                                 PSID sid, BOOLEAN success, BOOLEAN failure) {
  return add_ace(acl, revision, 0, audit_flags(success, failure), SYSTEM_AUDIT_ACE_TYPE, mask, NULL,
                 NULL, FALSE, sid);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlAddAuditAccessAceEx(PACL acl, ULONG revision, ULONG flags,
                                                   ACCESS_MASK mask, PSID sid, BOOLEAN success,
                                                   BOOLEAN failure) {
  return add_ace(acl, revision, flags, audit_flags(success, failure), SYSTEM_AUDIT_ACE_TYPE, mask,
                 NULL, NULL, FALSE, sid);
}

/* Object ACEs (directory-service objects) use the object ACE types with GUIDs
 * when any GUID is given, and the plain types otherwise. */
NTDLL_EXPORT NTSTATUS NTAPI RtlAddAccessAllowedObjectAce(PACL acl, ULONG revision, ULONG flags,
                                                         ACCESS_MASK mask, GUID* object_type,
                                                         GUID* inherited_type, PSID sid) {
  const BOOLEAN object = object_type || inherited_type;
  return add_ace(acl, revision, flags, 0,
                 object ? ACCESS_ALLOWED_OBJECT_ACE_TYPE : ACCESS_ALLOWED_ACE_TYPE, mask,
                 object_type, inherited_type, object, sid);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlAddAccessDeniedObjectAce(PACL acl, ULONG revision, ULONG flags,
                                                        ACCESS_MASK mask, GUID* object_type,
                                                        GUID* inherited_type, PSID sid) {
  const BOOLEAN object = object_type || inherited_type;
  return add_ace(acl, revision, flags, 0,
                 object ? ACCESS_DENIED_OBJECT_ACE_TYPE : ACCESS_DENIED_ACE_TYPE, mask, object_type,
                 inherited_type, object, sid);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlAddAuditAccessObjectAce(PACL acl, ULONG revision, ULONG flags,
                                                       ACCESS_MASK mask, GUID* object_type,
                                                       GUID* inherited_type, PSID sid,
                                                       BOOLEAN success, BOOLEAN failure) {
  const BOOLEAN object = object_type || inherited_type;
  return add_ace(acl, revision, flags, audit_flags(success, failure),
                 object ? SYSTEM_AUDIT_OBJECT_ACE_TYPE : SYSTEM_AUDIT_ACE_TYPE, mask, object_type,
                 inherited_type, object, sid);
}

/* The integrity label: a SYSTEM_MANDATORY_LABEL ACE whose mask holds only the
 * no-write-up, no-read-up and no-execute-up policy bits. */
NTDLL_EXPORT NTSTATUS NTAPI RtlAddMandatoryAce(PACL acl, ULONG revision, ULONG flags, PSID sid,
                                               UCHAR type, ACCESS_MASK mask) {
  if (type != SYSTEM_MANDATORY_LABEL_ACE_TYPE) return STATUS_INVALID_PARAMETER;
  if (mask & ~SYSTEM_MANDATORY_LABEL_VALID_MASK) return STATUS_INVALID_PARAMETER;
  return add_ace(acl, revision, flags, 0, type, mask, NULL, NULL, FALSE, sid);
}
