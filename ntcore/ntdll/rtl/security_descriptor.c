/* Security descriptors: absolute (pointers to owner, group, SACL, DACL) or
 * self-relative (one block: the header, then the parts at DWORD offsets from
 * its start; offset 0 means none). */
#include "security_private.h"

/* Control bits RtlSetControlSecurityDescriptor may not touch: they follow the
 * parts. */
#define SD_IMMUTABLE_CONTROL                                                       \
  (SE_OWNER_DEFAULTED | SE_GROUP_DEFAULTED | SE_DACL_PRESENT | SE_DACL_DEFAULTED | \
   SE_SACL_PRESENT | SE_SACL_DEFAULTED | SE_RM_CONTROL_VALID | SE_SELF_RELATIVE)

#define SD_ALIGN(n) (((n) + 3u) & ~3u)

/* The descriptor's parts as pointers, whichever form it has. */
typedef struct {
  PSID owner, group;
  PACL sacl, dacl; /* NULL also when absent (not SE_*_PRESENT) */
} sd_parts;

static PVOID at_offset(PSECURITY_DESCRIPTOR sd, DWORD offset) {
  return offset ? (BYTE*)sd + offset : NULL;
}

static sd_parts parts_of(PSECURITY_DESCRIPTOR sd) {
  const SECURITY_DESCRIPTOR* abs = sd;
  sd_parts p;
  if (abs->Control & SE_SELF_RELATIVE) {
    const SECURITY_DESCRIPTOR_RELATIVE* rel = sd;
    p.owner = at_offset(sd, rel->Owner);
    p.group = at_offset(sd, rel->Group);
    p.sacl = at_offset(sd, rel->Sacl);
    p.dacl = at_offset(sd, rel->Dacl);
  } else {
    p.owner = abs->Owner;
    p.group = abs->Group;
    p.sacl = abs->Sacl;
    p.dacl = abs->Dacl;
  }
  if (!(abs->Control & SE_SACL_PRESENT)) p.sacl = NULL;
  if (!(abs->Control & SE_DACL_PRESENT)) p.dacl = NULL;
  return p;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlCreateSecurityDescriptor(PSECURITY_DESCRIPTOR sd, ULONG revision) {
  if (revision != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
  SECURITY_DESCRIPTOR* abs = sd;
  BYTE* bytes = sd;
  for (SIZE_T i = 0; i < sizeof(*abs); ++i) bytes[i] = 0;
  abs->Revision = SECURITY_DESCRIPTOR_REVISION;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT BOOLEAN NTAPI RtlValidSecurityDescriptor(PSECURITY_DESCRIPTOR sd) {
  if (!sd || ((SECURITY_DESCRIPTOR*)sd)->Revision != SECURITY_DESCRIPTOR_REVISION) return FALSE;
  const sd_parts p = parts_of(sd);
  if (p.owner && !RtlValidSid(p.owner)) return FALSE;
  if (p.group && !RtlValidSid(p.group)) return FALSE;
  if (p.dacl && !RtlValidAcl(p.dacl)) return FALSE;
  if (p.sacl && !RtlValidAcl(p.sacl)) return FALSE;
  return TRUE;
}

/* The bytes the parts take, each DWORD-aligned as a self-relative descriptor lays them out. */
static ULONG parts_length(PSECURITY_DESCRIPTOR sd) {
  const sd_parts p = parts_of(sd);
  ULONG length = 0;
  if (p.owner) length += SD_ALIGN(RtlLengthSid(p.owner));
  if (p.group) length += SD_ALIGN(RtlLengthSid(p.group));
  if (p.sacl) length += SD_ALIGN(p.sacl->AclSize);
  if (p.dacl) length += SD_ALIGN(p.dacl->AclSize);
  return length;
}

/* The header counts at its own size: 20 bytes self-relative, 40 absolute (x64), as Windows
 * reports it; enough for a self-relative copy either way. */
NTDLL_EXPORT ULONG NTAPI RtlLengthSecurityDescriptor(PSECURITY_DESCRIPTOR sd) {
  const BOOLEAN relative = (((SECURITY_DESCRIPTOR*)sd)->Control & SE_SELF_RELATIVE) != 0;
  return (relative ? sizeof(SECURITY_DESCRIPTOR_RELATIVE) : sizeof(SECURITY_DESCRIPTOR)) +
         parts_length(sd);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlGetControlSecurityDescriptor(PSECURITY_DESCRIPTOR sd,
                                                            PSECURITY_DESCRIPTOR_CONTROL control,
                                                            PULONG revision) {
  const SECURITY_DESCRIPTOR* abs = sd;
  *revision = abs->Revision;
  if (abs->Revision != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
  *control = abs->Control;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlSetControlSecurityDescriptor(PSECURITY_DESCRIPTOR sd,
                                                            SECURITY_DESCRIPTOR_CONTROL mask,
                                                            SECURITY_DESCRIPTOR_CONTROL bits) {
  SECURITY_DESCRIPTOR* abs = sd;
  if ((mask | bits) & SD_IMMUTABLE_CONTROL) return STATUS_INVALID_PARAMETER;
  abs->Control = (SECURITY_DESCRIPTOR_CONTROL)((abs->Control & ~mask) | (bits & mask));
  return STATUS_SUCCESS;
}

/* The setters work on absolute descriptors only: a self-relative one has no
 * room to change. */
static NTSTATUS check_settable(const SECURITY_DESCRIPTOR* abs) {
  if (abs->Revision != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
  if (abs->Control & SE_SELF_RELATIVE) return STATUS_INVALID_SECURITY_DESCR;
  return STATUS_SUCCESS;
}

static void set_flag(SECURITY_DESCRIPTOR* abs, SECURITY_DESCRIPTOR_CONTROL flag, BOOLEAN on) {
  abs->Control = (SECURITY_DESCRIPTOR_CONTROL)(on ? abs->Control | flag : abs->Control & ~flag);
}

/* The DACL and the SACL are read and set alike, each with its own two control flags. */
static NTSTATUS get_acl(PSECURITY_DESCRIPTOR sd, BOOLEAN is_sacl, PBOOLEAN present, PACL* acl,
                        PBOOLEAN defaulted) {
  const SECURITY_DESCRIPTOR* abs = sd;
  const SECURITY_DESCRIPTOR_CONTROL present_flag = is_sacl ? SE_SACL_PRESENT : SE_DACL_PRESENT;
  if (abs->Revision != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
  *present = (abs->Control & present_flag) != 0;
  if (*present) {
    *acl = is_sacl ? parts_of(sd).sacl : parts_of(sd).dacl;
    *defaulted = (abs->Control & (is_sacl ? SE_SACL_DEFAULTED : SE_DACL_DEFAULTED)) != 0;
  }
  return STATUS_SUCCESS;
}

static NTSTATUS set_acl(PSECURITY_DESCRIPTOR sd, BOOLEAN is_sacl, BOOLEAN present, PACL acl,
                        BOOLEAN defaulted) {
  SECURITY_DESCRIPTOR* abs = sd;
  const NTSTATUS status = check_settable(abs);
  if (status) return status;
  set_flag(abs, is_sacl ? SE_SACL_PRESENT : SE_DACL_PRESENT, present);
  if (!present) return STATUS_SUCCESS;
  if (is_sacl)
    abs->Sacl = acl;
  else
    abs->Dacl = acl;
  set_flag(abs, is_sacl ? SE_SACL_DEFAULTED : SE_DACL_DEFAULTED, defaulted);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlGetDaclSecurityDescriptor(PSECURITY_DESCRIPTOR sd, PBOOLEAN present,
                                                         PACL* dacl, PBOOLEAN defaulted) {
  return get_acl(sd, FALSE, present, dacl, defaulted);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlSetDaclSecurityDescriptor(PSECURITY_DESCRIPTOR sd, BOOLEAN present,
                                                         PACL dacl, BOOLEAN defaulted) {
  return set_acl(sd, FALSE, present, dacl, defaulted);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlGetSaclSecurityDescriptor(PSECURITY_DESCRIPTOR sd, PBOOLEAN present,
                                                         PACL* sacl, PBOOLEAN defaulted) {
  return get_acl(sd, TRUE, present, sacl, defaulted);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlSetSaclSecurityDescriptor(PSECURITY_DESCRIPTOR sd, BOOLEAN present,
                                                         PACL sacl, BOOLEAN defaulted) {
  return set_acl(sd, TRUE, present, sacl, defaulted);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlGetOwnerSecurityDescriptor(PSECURITY_DESCRIPTOR sd, PSID* owner,
                                                          PBOOLEAN defaulted) {
  const SECURITY_DESCRIPTOR* abs = sd;
  if (abs->Revision != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
  *owner = parts_of(sd).owner;
  *defaulted = (abs->Control & SE_OWNER_DEFAULTED) != 0;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlSetOwnerSecurityDescriptor(PSECURITY_DESCRIPTOR sd, PSID owner,
                                                          BOOLEAN defaulted) {
  SECURITY_DESCRIPTOR* abs = sd;
  const NTSTATUS status = check_settable(abs);
  if (status) return status;
  abs->Owner = owner;
  set_flag(abs, SE_OWNER_DEFAULTED, defaulted);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlGetGroupSecurityDescriptor(PSECURITY_DESCRIPTOR sd, PSID* group,
                                                          PBOOLEAN defaulted) {
  const SECURITY_DESCRIPTOR* abs = sd;
  if (abs->Revision != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
  *group = parts_of(sd).group;
  *defaulted = (abs->Control & SE_GROUP_DEFAULTED) != 0;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlSetGroupSecurityDescriptor(PSECURITY_DESCRIPTOR sd, PSID group,
                                                          BOOLEAN defaulted) {
  SECURITY_DESCRIPTOR* abs = sd;
  const NTSTATUS status = check_settable(abs);
  if (status) return status;
  abs->Group = group;
  set_flag(abs, SE_GROUP_DEFAULTED, defaulted);
  return STATUS_SUCCESS;
}

/* ---- Conversions between the two forms ---- */

/* Appends `size` bytes of `part` at *next (kept DWORD-aligned) and returns its
 * offset. */
static DWORD put_part(SECURITY_DESCRIPTOR_RELATIVE* rel, ULONG* next, const void* part,
                      ULONG size) {
  if (!part) return 0;
  const DWORD offset = *next;
  security_copy((BYTE*)rel + offset, part, size);
  *next += SD_ALIGN(size);
  return offset;
}

/* Lays out any descriptor self-relatively in the order SACL, DACL, owner,
 * group. */
static NTSTATUS make_self_relative(PSECURITY_DESCRIPTOR sd, SECURITY_DESCRIPTOR_RELATIVE* rel,
                                   PULONG length) {
  const ULONG need = sizeof(SECURITY_DESCRIPTOR_RELATIVE) + parts_length(sd);
  if (*length < need) {
    *length = need;
    return STATUS_BUFFER_TOO_SMALL;
  }
  const SECURITY_DESCRIPTOR* abs = sd;
  const sd_parts p = parts_of(sd);
  ULONG next = sizeof(*rel);
  rel->Revision = abs->Revision;
  rel->Sbz1 = abs->Sbz1;
  rel->Control = abs->Control | SE_SELF_RELATIVE;
  rel->Sacl = put_part(rel, &next, p.sacl, p.sacl ? p.sacl->AclSize : 0);
  rel->Dacl = put_part(rel, &next, p.dacl, p.dacl ? p.dacl->AclSize : 0);
  rel->Owner = put_part(rel, &next, p.owner, p.owner ? RtlLengthSid(p.owner) : 0);
  rel->Group = put_part(rel, &next, p.group, p.group ? RtlLengthSid(p.group) : 0);
  return STATUS_SUCCESS;
}

/* Takes either form. */
NTDLL_EXPORT NTSTATUS NTAPI RtlMakeSelfRelativeSD(PSECURITY_DESCRIPTOR sd,
                                                  PSECURITY_DESCRIPTOR self_relative,
                                                  PULONG length) {
  return make_self_relative(sd, self_relative, length);
}

/* Takes an absolute descriptor only. */
NTDLL_EXPORT NTSTATUS NTAPI RtlAbsoluteToSelfRelativeSD(PSECURITY_DESCRIPTOR absolute,
                                                        PSECURITY_DESCRIPTOR self_relative,
                                                        PULONG length) {
  if (((SECURITY_DESCRIPTOR*)absolute)->Control & SE_SELF_RELATIVE)
    return STATUS_BAD_DESCRIPTOR_FORMAT;
  return make_self_relative(absolute, self_relative, length);
}

/* Splits a self-relative descriptor into caller buffers. When any buffer is too
 * small, every length is set to what it needs and nothing is written. */
NTDLL_EXPORT NTSTATUS NTAPI RtlSelfRelativeToAbsoluteSD(
    PSECURITY_DESCRIPTOR self_relative, PSECURITY_DESCRIPTOR absolute, PULONG absolute_length,
    PACL dacl, PULONG dacl_length, PACL sacl, PULONG sacl_length, PSID owner, PULONG owner_length,
    PSID group, PULONG group_length) {
  const SECURITY_DESCRIPTOR_RELATIVE* rel = self_relative;
  if (!rel) return STATUS_INVALID_PARAMETER_1;
  if (rel->Revision != SECURITY_DESCRIPTOR_REVISION) return STATUS_UNKNOWN_REVISION;
  if (!(rel->Control & SE_SELF_RELATIVE)) return STATUS_BAD_DESCRIPTOR_FORMAT;
  const sd_parts p = parts_of(self_relative);
  const ULONG need_abs = sizeof(SECURITY_DESCRIPTOR);
  const ULONG need_dacl = p.dacl ? p.dacl->AclSize : 0;
  const ULONG need_sacl = p.sacl ? p.sacl->AclSize : 0;
  const ULONG need_owner = p.owner ? RtlLengthSid(p.owner) : 0;
  const ULONG need_group = p.group ? RtlLengthSid(p.group) : 0;
  if (*absolute_length < need_abs || *dacl_length < need_dacl || *sacl_length < need_sacl ||
      *owner_length < need_owner || *group_length < need_group) {
    *absolute_length = need_abs;
    *dacl_length = need_dacl;
    *sacl_length = need_sacl;
    *owner_length = need_owner;
    *group_length = need_group;
    return STATUS_BUFFER_TOO_SMALL;
  }
  SECURITY_DESCRIPTOR* abs = absolute;
  abs->Revision = rel->Revision;
  abs->Sbz1 = rel->Sbz1;
  abs->Control = rel->Control & ~SE_SELF_RELATIVE;
  abs->Dacl = p.dacl ? dacl : NULL;
  abs->Sacl = p.sacl ? sacl : NULL;
  abs->Owner = p.owner ? owner : NULL;
  abs->Group = p.group ? group : NULL;
  if (p.dacl) security_copy(dacl, p.dacl, need_dacl);
  if (p.sacl) security_copy(sacl, p.sacl, need_sacl);
  if (p.owner) security_copy(owner, p.owner, need_owner);
  if (p.group) security_copy(group, p.group, need_group);
  return STATUS_SUCCESS;
}
