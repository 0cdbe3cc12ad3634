/* Private object security (CreatePrivateObjectSecurity's engine): a new object's self-relative
 * descriptor from its parent's (inheritance) and its creator's (explicit parts), with the token
 * supplying what neither gives (owner, primary group, default DACL); the conversion of an older
 * descriptor to auto-inheritance; RtlImpersonateSelf. ntcore serves no token services yet, so a
 * creator that names no owner or group, a fall-back to the token's default DACL, and
 * RtlImpersonateSelf fail with those services' STATUS_NOT_IMPLEMENTED. Object-type GUIDs are not
 * matched: object ACEs are inherited like the others. */
#include "security_private.h"

#define CREATOR_AUTHORITY 3 /* S-1-3-0 CREATOR OWNER, S-1-3-1 CREATOR GROUP */

/* The caller's token for queries: the given one, else the thread's, else the process's. */
static NTSTATUS query_token(HANDLE token, TOKEN_INFORMATION_CLASS info_class, PVOID* info) {
  HANDLE own = NULL;
  NTSTATUS status = STATUS_SUCCESS;
  if (!token) {
    status = NtOpenThreadToken(SECURITY_CURRENT_THREAD, TOKEN_QUERY, TRUE, &own);
    if (status == STATUS_NO_TOKEN)
      status = NtOpenProcessToken(SECURITY_CURRENT_PROCESS, TOKEN_QUERY, &own);
    if (!NT_SUCCESS(status)) return status;
    token = own;
  }
  ULONG length = 0;
  status = NtQueryInformationToken(token, info_class, NULL, 0, &length);
  if (status == STATUS_BUFFER_TOO_SMALL) {
    *info = security_alloc(length);
    status = *info ? NtQueryInformationToken(token, info_class, *info, length, &length)
                   : STATUS_NO_MEMORY;
    if (!NT_SUCCESS(status)) security_free(*info);
  } else if (NT_SUCCESS(status)) {
    status = STATUS_UNSUCCESSFUL; /* no data is not an answer */
  }
  if (own) NtClose(own);
  return status;
}

static BOOLEAN is_creator_sid(PSID sid, ULONG rid) {
  const SID* s = sid;
  static const BYTE authority[6] = {0, 0, 0, 0, 0, CREATOR_AUTHORITY};
  return s->SubAuthorityCount == 1 && s->SubAuthority[0] == rid &&
         security_same(&s->IdentifierAuthority, authority, sizeof(authority));
}

/* The masked ACE types (header, mask, ..., SID last) whose SID and generic rights we rewrite. */
static BOOLEAN is_plain_ace(const ACE_HEADER* ace) {
  return ace->AceType == ACCESS_ALLOWED_ACE_TYPE || ace->AceType == ACCESS_DENIED_ACE_TYPE ||
         ace->AceType == SYSTEM_AUDIT_ACE_TYPE || ace->AceType == SYSTEM_ALARM_ACE_TYPE;
}

/* An ACL being assembled in a heap buffer large enough for every case (each ACE at most
 * doubles: an effective copy plus an inherit-only one). */
typedef struct {
  ACL* acl;
  BYTE* next;
} acl_builder;

static void append(acl_builder* b, const ACE_HEADER* ace, BYTE flags, PSID sid,
                   const GENERIC_MAPPING* mapping) {
  ACE_HEADER* out = (ACE_HEADER*)b->next;
  if (sid && is_plain_ace(ace)) { /* the SID substituted: CREATOR OWNER/GROUP made concrete */
    const ULONG sid_length = RtlLengthSid(sid);
    security_copy(out, ace, sizeof(ACE_HEADER) + sizeof(ACCESS_MASK));
    security_copy((BYTE*)(out + 1) + sizeof(ACCESS_MASK), sid, sid_length);
    out->AceSize = (WORD)(sizeof(ACE_HEADER) + sizeof(ACCESS_MASK) + sid_length);
  } else {
    security_copy(out, ace, ace->AceSize);
  }
  out->AceFlags = flags;
  if (mapping && !(flags & INHERIT_ONLY_ACE)) RtlMapGenericMask((ACCESS_MASK*)(out + 1), mapping);
  b->next += out->AceSize;
  b->acl->AceCount++;
}

static ACE_HEADER* first_ace(const ACL* acl) {
  return (ACE_HEADER*)(acl + 1);
}
static ACE_HEADER* following(const ACE_HEADER* ace) {
  return (ACE_HEADER*)((BYTE*)ace + ace->AceSize);
}

/* The creator's own ACEs: inherited ones are dropped when auto-inheriting (the parent supplies
 * them afresh). */
static void add_explicit(acl_builder* b, const ACL* acl, BOOLEAN auto_inherit,
                         const GENERIC_MAPPING* mapping) {
  const ACE_HEADER* ace = first_ace(acl);
  for (WORD i = 0; i < acl->AceCount; ++i, ace = following(ace))
    if (!auto_inherit || !(ace->AceFlags & INHERITED_ACE))
      append(b, ace, ace->AceFlags, NULL, mapping);
}

/* The parent's ACEs that a new object inherits. A container keeps the inheritance flags for its
 * own children (unless NO_PROPAGATE_INHERIT); an object-inherit-only ACE reaches a container
 * only as an inherit-only ACE for the objects it will hold. Returns how many were added. */
static WORD add_inherited(acl_builder* b, const ACL* parent, BOOLEAN is_directory, PSID owner,
                          PSID group, BOOLEAN mark, const GENERIC_MAPPING* mapping) {
  const WORD before = b->acl->AceCount;
  const BYTE inherited = mark ? INHERITED_ACE : 0;
  const ACE_HEADER* ace = first_ace(parent);
  for (WORD i = 0; i < parent->AceCount; ++i, ace = following(ace)) {
    const BYTE f = ace->AceFlags;
    PSID sid = NULL;
    if (is_plain_ace(ace)) {
      PSID ace_sid = (BYTE*)(ace + 1) + sizeof(ACCESS_MASK);
      if (is_creator_sid(ace_sid, SECURITY_CREATOR_OWNER_RID)) sid = owner;
      if (is_creator_sid(ace_sid, SECURITY_CREATOR_GROUP_RID)) sid = group;
    }
    const BYTE audit = f & (SUCCESSFUL_ACCESS_ACE_FLAG | FAILED_ACCESS_ACE_FLAG);
    if (!is_directory) {
      if (f & OBJECT_INHERIT_ACE) append(b, ace, audit | inherited, sid, mapping);
    } else if (f & CONTAINER_INHERIT_ACE) {
      if (f & NO_PROPAGATE_INHERIT_ACE) {
        append(b, ace, audit | inherited, sid, mapping);
      } else if (sid) { /* effective for the container, the creator SID kept for children */
        append(b, ace, audit | inherited, sid, mapping);
        append(b, ace, (BYTE)((f & ~INHERITED_ACE) | INHERIT_ONLY_ACE | inherited), NULL, NULL);
      } else {
        append(b, ace, (BYTE)((f & ~(INHERITED_ACE | INHERIT_ONLY_ACE)) | inherited), NULL,
               mapping);
      }
    } else if ((f & OBJECT_INHERIT_ACE) && !(f & NO_PROPAGATE_INHERIT_ACE)) {
      append(b, ace, (BYTE)((f & ~INHERITED_ACE) | INHERIT_ONLY_ACE | inherited), NULL, NULL);
    }
  }
  return (WORD)(b->acl->AceCount - before);
}

/* One of the new descriptor's ACLs. *result is NULL when the object gets none, *present says
 * whether that NULL is a present NULL ACL; the caller frees *result. */
static NTSTATUS build_acl(const ACL* parent, const ACL* creator, BOOLEAN creator_present,
                          BOOLEAN creator_defaulted, BOOLEAN is_directory, BOOLEAN auto_inherit,
                          BOOLEAN is_protected, PSID owner, PSID group,
                          const GENERIC_MAPPING* mapping, ACL** result, BOOLEAN* present,
                          BOOLEAN* inherited_any) {
  *result = NULL;
  *present = FALSE;
  *inherited_any = FALSE;
  const BOOLEAN explicit_acl = creator_present && !creator_defaulted;
  if (explicit_acl && !creator) { /* a present NULL ACL: no protection at all */
    *present = TRUE;
    return STATUS_SUCCESS;
  }
  const BOOLEAN inherit = parent && (!explicit_acl || (auto_inherit && !is_protected));
  ULONG size = sizeof(ACL) + (creator ? creator->AclSize : 0);
  if (inherit) size += 2 * (parent->AclSize + parent->AceCount * (ULONG)SECURITY_MAX_SID_SIZE);
  acl_builder b;
  b.acl = security_alloc(size);
  if (!b.acl) return STATUS_NO_MEMORY;
  RtlCreateAcl(b.acl, size < 0xFFFC ? size : 0xFFFC, ACL_REVISION);
  b.acl->AclRevision = (BYTE)(creator ? creator->AclRevision : ACL_REVISION);
  if (parent && parent->AclRevision > b.acl->AclRevision) b.acl->AclRevision = parent->AclRevision;
  b.next = (BYTE*)(b.acl + 1);
  if (explicit_acl) add_explicit(&b, creator, auto_inherit, mapping);
  if (inherit && add_inherited(&b, parent, is_directory, owner, group, auto_inherit, mapping))
    *inherited_any = TRUE;
  if (!explicit_acl && !*inherited_any) { /* nothing inherited: the creator's default, if any */
    if (!creator_present) {
      security_free(b.acl);
      return STATUS_SUCCESS;
    }
    if (creator) add_explicit(&b, creator, FALSE, mapping);
  }
  b.acl->AclSize = (WORD)(b.next - (BYTE*)b.acl);
  *result = b.acl;
  *present = TRUE;
  return STATUS_SUCCESS;
}

/* The new descriptor, self-relative in one heap block. */
static NTSTATUS self_relative(PSID owner, PSID group, BOOLEAN dacl_present, PACL dacl,
                              BOOLEAN sacl_present, PACL sacl, SECURITY_DESCRIPTOR_CONTROL control,
                              PSECURITY_DESCRIPTOR* new_descriptor) {
  SECURITY_DESCRIPTOR result;
  RtlCreateSecurityDescriptor(&result, SECURITY_DESCRIPTOR_REVISION);
  RtlSetOwnerSecurityDescriptor(&result, owner, FALSE);
  RtlSetGroupSecurityDescriptor(&result, group, FALSE);
  RtlSetDaclSecurityDescriptor(&result, dacl_present, dacl, FALSE);
  RtlSetSaclSecurityDescriptor(&result, sacl_present, sacl, FALSE);
  result.Control |= control;
  ULONG length = RtlLengthSecurityDescriptor(&result);
  *new_descriptor = security_alloc(length);
  if (!*new_descriptor) return STATUS_NO_MEMORY;
  return RtlMakeSelfRelativeSD(&result, *new_descriptor, &length);
}

static NTSTATUS new_object(PSECURITY_DESCRIPTOR parent, PSECURITY_DESCRIPTOR creator,
                           PSECURITY_DESCRIPTOR* new_descriptor, BOOLEAN is_directory,
                           ULONG auto_inherit, HANDLE token, const GENERIC_MAPPING* mapping) {
  SECURITY_DESCRIPTOR empty;
  RtlCreateSecurityDescriptor(&empty, SECURITY_DESCRIPTOR_REVISION);
  if (!creator) creator = &empty;
  if (parent && !RtlValidSecurityDescriptor(parent)) return STATUS_INVALID_SECURITY_DESCR;
  if (!RtlValidSecurityDescriptor(creator)) return STATUS_INVALID_SECURITY_DESCR;

  PSID owner, group;
  BOOLEAN defaulted, present;
  PVOID token_owner = NULL, token_group = NULL, token_dacl = NULL;
  ACL *dacl = NULL, *sacl = NULL;
  NTSTATUS status;
  RtlGetOwnerSecurityDescriptor(creator, &owner, &defaulted);
  if (!owner) {
    status = query_token(token, TokenOwner, &token_owner);
    if (!NT_SUCCESS(status)) goto done;
    owner = ((TOKEN_OWNER*)token_owner)->Owner;
  }
  RtlGetGroupSecurityDescriptor(creator, &group, &defaulted);
  if (!group) {
    status = query_token(token, TokenPrimaryGroup, &token_group);
    if (!NT_SUCCESS(status)) goto done;
    group = ((TOKEN_PRIMARY_GROUP*)token_group)->PrimaryGroup;
  }

  SECURITY_DESCRIPTOR_CONTROL creator_control = 0, parent_control = 0;
  ULONG revision;
  RtlGetControlSecurityDescriptor(creator, &creator_control, &revision);
  if (parent) RtlGetControlSecurityDescriptor(parent, &parent_control, &revision);

  ACL *parent_dacl = NULL, *parent_sacl = NULL, *creator_dacl = NULL, *creator_sacl = NULL;
  BOOLEAN creator_dacl_present = FALSE, creator_sacl_present = FALSE;
  BOOLEAN dacl_defaulted = FALSE, sacl_defaulted = FALSE;
  if (parent) {
    RtlGetDaclSecurityDescriptor(parent, &present, &parent_dacl, &defaulted);
    RtlGetSaclSecurityDescriptor(parent, &present, &parent_sacl, &defaulted);
  }
  RtlGetDaclSecurityDescriptor(creator, &creator_dacl_present, &creator_dacl, &dacl_defaulted);
  RtlGetSaclSecurityDescriptor(creator, &creator_sacl_present, &creator_sacl, &sacl_defaulted);

  BOOLEAN dacl_present, sacl_present, dacl_inherited, sacl_inherited;
  status = build_acl(parent_dacl, creator_dacl, creator_dacl_present, dacl_defaulted, is_directory,
                     (auto_inherit & SEF_DACL_AUTO_INHERIT) != 0,
                     (creator_control & SE_DACL_PROTECTED) != 0, owner, group, mapping, &dacl,
                     &dacl_present, &dacl_inherited);
  if (!NT_SUCCESS(status)) goto done;
  status = build_acl(parent_sacl, creator_sacl, creator_sacl_present, sacl_defaulted, is_directory,
                     (auto_inherit & SEF_SACL_AUTO_INHERIT) != 0,
                     (creator_control & SE_SACL_PROTECTED) != 0, owner, group, mapping, &sacl,
                     &sacl_present, &sacl_inherited);
  if (!NT_SUCCESS(status)) goto done;
  if (!dacl_present) { /* neither explicit nor inherited: the token's default DACL */
    status = query_token(token, TokenDefaultDacl, &token_dacl);
    if (!NT_SUCCESS(status)) goto done;
    dacl = NULL;
    dacl_present = TRUE;
  }

  SECURITY_DESCRIPTOR_CONTROL control = creator_control & (SE_DACL_PROTECTED | SE_SACL_PROTECTED);
  if ((auto_inherit & SEF_DACL_AUTO_INHERIT) &&
      (dacl_inherited || (parent_control & SE_DACL_AUTO_INHERITED)))
    control |= SE_DACL_AUTO_INHERITED;
  if ((auto_inherit & SEF_SACL_AUTO_INHERIT) &&
      (sacl_inherited || (parent_control & SE_SACL_AUTO_INHERITED)))
    control |= SE_SACL_AUTO_INHERITED;
  status = self_relative(owner, group, dacl_present,
                         token_dacl ? ((TOKEN_DEFAULT_DACL*)token_dacl)->DefaultDacl : dacl,
                         sacl_present, sacl, control, new_descriptor);
done:
  security_free(dacl);
  security_free(sacl);
  security_free(token_owner);
  security_free(token_group);
  security_free(token_dacl);
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlNewSecurityObject(PSECURITY_DESCRIPTOR parent,
                                                 PSECURITY_DESCRIPTOR creator,
                                                 PSECURITY_DESCRIPTOR* new_descriptor,
                                                 BOOLEAN is_directory, HANDLE token,
                                                 PGENERIC_MAPPING mapping) {
  return new_object(parent, creator, new_descriptor, is_directory, 0, token, mapping);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlNewSecurityObjectEx(PSECURITY_DESCRIPTOR parent,
                                                   PSECURITY_DESCRIPTOR creator,
                                                   PSECURITY_DESCRIPTOR* new_descriptor,
                                                   GUID* object_type, BOOLEAN is_directory,
                                                   ULONG auto_inherit, HANDLE token,
                                                   PGENERIC_MAPPING mapping) {
  return new_object(parent, creator, new_descriptor, is_directory, auto_inherit, token, mapping);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlNewSecurityObjectWithMultipleInheritance(
    PSECURITY_DESCRIPTOR parent, PSECURITY_DESCRIPTOR creator, PSECURITY_DESCRIPTOR* new_descriptor,
    GUID** object_types, ULONG guid_count, BOOLEAN is_directory, ULONG auto_inherit, HANDLE token,
    PGENERIC_MAPPING mapping) {
  return new_object(parent, creator, new_descriptor, is_directory, auto_inherit, token, mapping);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlDeleteSecurityObject(PSECURITY_DESCRIPTOR* descriptor) {
  security_free(*descriptor);
  *descriptor = NULL;
  return STATUS_SUCCESS;
}

/* Whether `acl` holds an ACE equal to `ace`, inheritance marks aside. */
static BOOLEAN has_same_ace(const ACL* acl, const ACE_HEADER* ace) {
  const ACE_HEADER* other = first_ace(acl);
  for (WORD i = 0; i < acl->AceCount; ++i, other = following(other))
    if (other->AceType == ace->AceType && other->AceSize == ace->AceSize &&
        (other->AceFlags & ~INHERITED_ACE) == (ace->AceFlags & ~INHERITED_ACE) &&
        security_same(other + 1, ace + 1, ace->AceSize - sizeof(ACE_HEADER)))
      return TRUE;
  return FALSE;
}

/* One ACL of a descriptor converted to auto-inheritance: the ACEs the parent would pass down
 * are recognised as inherited and re-derived (marked INHERITED_ACE) after the explicit ones. A
 * protected ACL is kept as it is. */
static NTSTATUS convert_acl(const ACL* parent, const ACL* current, BOOLEAN current_present,
                            BOOLEAN is_protected, BOOLEAN is_directory, PSID owner, PSID group,
                            const GENERIC_MAPPING* mapping, ACL** result, BOOLEAN* present) {
  ACL* inherited = NULL;
  BOOLEAN inherited_present = FALSE, any = FALSE;
  *result = NULL;
  *present = current_present;
  if (current_present && !current) return STATUS_SUCCESS; /* a NULL ACL stays NULL */
  if (!is_protected && parent) {
    NTSTATUS status = build_acl(parent, NULL, FALSE, FALSE, is_directory, TRUE, FALSE, owner, group,
                                mapping, &inherited, &inherited_present, &any);
    if (!NT_SUCCESS(status)) return status;
  }
  if (!current_present && !any) {
    security_free(inherited);
    return STATUS_SUCCESS;
  }
  const ULONG size =
      sizeof(ACL) + (current ? current->AclSize : 0) + (inherited ? inherited->AclSize : 0);
  acl_builder b;
  b.acl = security_alloc(size);
  if (!b.acl) {
    security_free(inherited);
    return STATUS_NO_MEMORY;
  }
  RtlCreateAcl(b.acl, size < 0xFFFC ? size : 0xFFFC, ACL_REVISION);
  b.next = (BYTE*)(b.acl + 1);
  if (current) {
    b.acl->AclRevision = current->AclRevision;
    const ACE_HEADER* ace = first_ace(current);
    for (WORD i = 0; i < current->AceCount; ++i, ace = following(ace))
      if (is_protected ||
          (!(ace->AceFlags & INHERITED_ACE) && !(inherited && has_same_ace(inherited, ace))))
        append(&b, ace, ace->AceFlags, NULL, NULL);
  }
  if (any) {
    const ACE_HEADER* ace = first_ace(inherited);
    for (WORD i = 0; i < inherited->AceCount; ++i, ace = following(ace))
      append(&b, ace, ace->AceFlags, NULL, NULL);
    if (inherited->AclRevision > b.acl->AclRevision) b.acl->AclRevision = inherited->AclRevision;
  }
  security_free(inherited);
  b.acl->AclSize = (WORD)(b.next - (BYTE*)b.acl);
  *result = b.acl;
  *present = TRUE;
  return STATUS_SUCCESS;
}

/* Rewrites a descriptor made before auto-inheritance so that its inherited ACEs are marked as
 * such (and so can be re-derived when the parent changes). Owner and group stay. */
NTDLL_EXPORT NTSTATUS NTAPI RtlConvertToAutoInheritSecurityObject(
    PSECURITY_DESCRIPTOR parent, PSECURITY_DESCRIPTOR current, PSECURITY_DESCRIPTOR* new_descriptor,
    GUID* object_type, BOOLEAN is_directory, PGENERIC_MAPPING mapping) {
  if (!current || !RtlValidSecurityDescriptor(current)) return STATUS_INVALID_SECURITY_DESCR;
  if (parent && !RtlValidSecurityDescriptor(parent)) return STATUS_INVALID_SECURITY_DESCR;
  PSID owner, group;
  BOOLEAN present, defaulted;
  RtlGetOwnerSecurityDescriptor(current, &owner, &defaulted);
  RtlGetGroupSecurityDescriptor(current, &group, &defaulted);
  if (!owner) return STATUS_INVALID_OWNER;
  if (!group) return STATUS_INVALID_PRIMARY_GROUP;
  SECURITY_DESCRIPTOR_CONTROL control;
  ULONG revision;
  RtlGetControlSecurityDescriptor(current, &control, &revision);
  ACL *parent_dacl = NULL, *parent_sacl = NULL, *dacl = NULL, *sacl = NULL;
  ACL *current_dacl = NULL, *current_sacl = NULL;
  BOOLEAN dacl_present = FALSE, sacl_present = FALSE;
  if (parent) {
    RtlGetDaclSecurityDescriptor(parent, &present, &parent_dacl, &defaulted);
    RtlGetSaclSecurityDescriptor(parent, &present, &parent_sacl, &defaulted);
  }
  RtlGetDaclSecurityDescriptor(current, &dacl_present, &current_dacl, &defaulted);
  RtlGetSaclSecurityDescriptor(current, &sacl_present, &current_sacl, &defaulted);
  NTSTATUS status =
      convert_acl(parent_dacl, current_dacl, dacl_present, (control & SE_DACL_PROTECTED) != 0,
                  is_directory, owner, group, mapping, &dacl, &dacl_present);
  if (NT_SUCCESS(status))
    status =
        convert_acl(parent_sacl, current_sacl, sacl_present, (control & SE_SACL_PROTECTED) != 0,
                    is_directory, owner, group, mapping, &sacl, &sacl_present);
  if (NT_SUCCESS(status))
    status = self_relative(owner, group, dacl_present, dacl, sacl_present, sacl,
                           (control & (SE_DACL_PROTECTED | SE_SACL_PROTECTED)) |
                               SE_DACL_AUTO_INHERITED | SE_SACL_AUTO_INHERITED,
                           new_descriptor);
  security_free(dacl);
  security_free(sacl);
  return status;
}

/* Impersonates the process's own token at `level` on the calling thread: a duplicate of the
 * primary token as an impersonation token. ntcore has no token services yet: their
 * STATUS_NOT_IMPLEMENTED comes back from here. */
NTDLL_EXPORT NTSTATUS NTAPI RtlImpersonateSelf(SECURITY_IMPERSONATION_LEVEL level) {
  HANDLE token, duplicate;
  NTSTATUS status = NtOpenProcessToken(SECURITY_CURRENT_PROCESS, TOKEN_DUPLICATE, &token);
  if (!NT_SUCCESS(status)) return status;
  SECURITY_QUALITY_OF_SERVICE qos = {sizeof(qos), level, SECURITY_DYNAMIC_TRACKING, FALSE};
  OBJECT_ATTRIBUTES attributes;
  InitializeObjectAttributes(&attributes, NULL, 0, NULL, NULL);
  attributes.SecurityQualityOfService = &qos;
  status = NtDuplicateToken(token, TOKEN_IMPERSONATE | TOKEN_QUERY, &attributes, FALSE,
                            TokenImpersonation, &duplicate);
  NtClose(token);
  if (!NT_SUCCESS(status)) return status;
  status = NtSetInformationThread(SECURITY_CURRENT_THREAD, ThreadImpersonationToken, &duplicate,
                                  sizeof(duplicate));
  NtClose(duplicate);
  return status;
}
