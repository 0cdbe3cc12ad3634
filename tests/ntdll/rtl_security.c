/* The security data structures: SIDs, ACLs and their ACEs, security descriptors in both forms,
 * and access masks. Pure data-structure functions, so everything here is exact Windows
 * behaviour; where Wine's ntdll deviates from it, the check says so. */
#include "nttest.h"

typedef uint8_t BYTE;
typedef uint16_t WORD;
typedef uint32_t DWORD;

typedef struct {
  BYTE Value[6];
} SID_IDENTIFIER_AUTHORITY;

typedef struct {
  BYTE Revision;
  BYTE SubAuthorityCount;
  SID_IDENTIFIER_AUTHORITY IdentifierAuthority;
  DWORD SubAuthority[15];
} SID; /* room for the maximum; lengths come from RtlLengthSid */

typedef struct {
  BYTE AclRevision;
  BYTE Sbz1;
  WORD AclSize;
  WORD AceCount;
  WORD Sbz2;
} ACL;

typedef struct {
  BYTE AceType;
  BYTE AceFlags;
  WORD AceSize;
} ACE_HEADER;

typedef struct {
  ACE_HEADER Header;
  DWORD Mask;
  DWORD SidStart;
} KNOWN_ACE;

typedef struct {
  ACE_HEADER Header;
  DWORD Mask;
  DWORD Flags;
  BYTE Guids[32];
} OBJECT_ACE;

typedef struct {
  DWORD Data1;
  WORD Data2, Data3;
  BYTE Data4[8];
} GUID;

typedef struct {
  BYTE Revision;
  BYTE Sbz1;
  WORD Control;
  void* Owner;
  void* Group;
  ACL* Sacl;
  ACL* Dacl;
} SECURITY_DESCRIPTOR;

typedef struct {
  BYTE Revision;
  BYTE Sbz1;
  WORD Control;
  DWORD Owner, Group, Sacl, Dacl;
} SECURITY_DESCRIPTOR_RELATIVE;

typedef struct {
  DWORD AceCount, AclBytesInUse, AclBytesFree;
} ACL_SIZE_INFORMATION;

typedef struct {
  ACCESS_MASK GenericRead, GenericWrite, GenericExecute, GenericAll;
} GENERIC_MAPPING;

#define STATUS_INVALID_SID ((NTSTATUS)0xC0000078)
#define STATUS_INVALID_ACL ((NTSTATUS)0xC0000077)
#define STATUS_UNKNOWN_REVISION ((NTSTATUS)0xC0000058)
#define STATUS_REVISION_MISMATCH ((NTSTATUS)0xC0000059)
#define STATUS_INVALID_SECURITY_DESCR ((NTSTATUS)0xC0000079)
#define STATUS_BAD_DESCRIPTOR_FORMAT ((NTSTATUS)0xC00000E7)
#define STATUS_ALLOTTED_SPACE_EXCEEDED ((NTSTATUS)0xC0000099)

#define ACL_REVISION 2
#define ACL_REVISION_DS 4
#define ACCESS_ALLOWED_ACE_TYPE 0
#define ACCESS_DENIED_ACE_TYPE 1
#define SYSTEM_AUDIT_ACE_TYPE 2
#define ACCESS_ALLOWED_OBJECT_ACE_TYPE 5
#define ACCESS_DENIED_OBJECT_ACE_TYPE 6
#define SYSTEM_AUDIT_OBJECT_ACE_TYPE 7
#define SYSTEM_MANDATORY_LABEL_ACE_TYPE 0x11
#define OBJECT_INHERIT_ACE 0x01
#define CONTAINER_INHERIT_ACE 0x02
#define INHERITED_ACE 0x10
#define SUCCESSFUL_ACCESS_ACE_FLAG 0x40
#define FAILED_ACCESS_ACE_FLAG 0x80
#define ACE_OBJECT_TYPE_PRESENT 1
#define ACE_INHERITED_OBJECT_TYPE_PRESENT 2

#define SE_OWNER_DEFAULTED 0x0001
#define SE_GROUP_DEFAULTED 0x0002
#define SE_DACL_PRESENT 0x0004
#define SE_DACL_DEFAULTED 0x0008
#define SE_SACL_PRESENT 0x0010
#define SE_SACL_DEFAULTED 0x0020
#define SE_DACL_AUTO_INHERIT_REQ 0x0100
#define SE_DACL_PROTECTED 0x1000
#define SE_SELF_RELATIVE 0x8000

#define AclRevisionInformation 1
#define AclSizeInformation 2

ULONG NTAPI RtlLengthRequiredSid(ULONG count);
ULONG NTAPI RtlLengthSid(void* sid);
BOOLEAN NTAPI RtlValidSid(void* sid);
NTSTATUS NTAPI RtlInitializeSid(void* sid, SID_IDENTIFIER_AUTHORITY* auth, UCHAR count);
NTSTATUS NTAPI RtlAllocateAndInitializeSid(SID_IDENTIFIER_AUTHORITY* auth, UCHAR count, ULONG s0,
                                           ULONG s1, ULONG s2, ULONG s3, ULONG s4, ULONG s5,
                                           ULONG s6, ULONG s7, void** sid);
void* NTAPI RtlFreeSid(void* sid);
NTSTATUS NTAPI RtlCopySid(ULONG length, void* dest, void* src);
BOOLEAN NTAPI RtlEqualSid(void* a, void* b);
BOOLEAN NTAPI RtlEqualPrefixSid(void* a, void* b);
ULONG* NTAPI RtlSubAuthoritySid(void* sid, ULONG index);
UCHAR* NTAPI RtlSubAuthorityCountSid(void* sid);
SID_IDENTIFIER_AUTHORITY* NTAPI RtlIdentifierAuthoritySid(void* sid);
NTSTATUS NTAPI RtlConvertSidToUnicodeString(UNICODE_STRING* out, void* sid, BOOLEAN allocate);
void NTAPI RtlFreeUnicodeString(UNICODE_STRING* s);

NTSTATUS NTAPI RtlCreateAcl(ACL* acl, ULONG length, ULONG revision);
BOOLEAN NTAPI RtlValidAcl(ACL* acl);
NTSTATUS NTAPI RtlQueryInformationAcl(ACL* acl, void* info, ULONG length, int info_class);
NTSTATUS NTAPI RtlAddAce(ACL* acl, ULONG revision, ULONG start, void* list, ULONG length);
NTSTATUS NTAPI RtlDeleteAce(ACL* acl, ULONG index);
NTSTATUS NTAPI RtlGetAce(ACL* acl, ULONG index, void** ace);
BOOLEAN NTAPI RtlFirstFreeAce(ACL* acl, void** ace);
NTSTATUS NTAPI RtlAddAccessAllowedAce(ACL* acl, ULONG rev, ACCESS_MASK mask, void* sid);
NTSTATUS NTAPI RtlAddAccessAllowedAceEx(ACL* acl, ULONG rev, ULONG flags, ACCESS_MASK mask,
                                        void* sid);
NTSTATUS NTAPI RtlAddAccessDeniedAce(ACL* acl, ULONG rev, ACCESS_MASK mask, void* sid);
NTSTATUS NTAPI RtlAddAccessDeniedAceEx(ACL* acl, ULONG rev, ULONG flags, ACCESS_MASK mask,
                                       void* sid);
NTSTATUS NTAPI RtlAddAuditAccessAce(ACL* acl, ULONG rev, ACCESS_MASK mask, void* sid,
                                    BOOLEAN success, BOOLEAN failure);
NTSTATUS NTAPI RtlAddAuditAccessAceEx(ACL* acl, ULONG rev, ULONG flags, ACCESS_MASK mask, void* sid,
                                      BOOLEAN success, BOOLEAN failure);
NTSTATUS NTAPI RtlAddAccessAllowedObjectAce(ACL* acl, ULONG rev, ULONG flags, ACCESS_MASK mask,
                                            GUID* type, GUID* inherited, void* sid);
NTSTATUS NTAPI RtlAddAccessDeniedObjectAce(ACL* acl, ULONG rev, ULONG flags, ACCESS_MASK mask,
                                           GUID* type, GUID* inherited, void* sid);
NTSTATUS NTAPI RtlAddAuditAccessObjectAce(ACL* acl, ULONG rev, ULONG flags, ACCESS_MASK mask,
                                          GUID* type, GUID* inherited, void* sid, BOOLEAN success,
                                          BOOLEAN failure);
NTSTATUS NTAPI RtlAddMandatoryAce(ACL* acl, ULONG rev, ULONG flags, void* sid, UCHAR type,
                                  ACCESS_MASK mask);

NTSTATUS NTAPI RtlCreateSecurityDescriptor(void* sd, ULONG revision);
BOOLEAN NTAPI RtlValidSecurityDescriptor(void* sd);
ULONG NTAPI RtlLengthSecurityDescriptor(void* sd);
NTSTATUS NTAPI RtlGetControlSecurityDescriptor(void* sd, WORD* control, ULONG* revision);
NTSTATUS NTAPI RtlSetControlSecurityDescriptor(void* sd, WORD mask, WORD bits);
NTSTATUS NTAPI RtlGetDaclSecurityDescriptor(void* sd, BOOLEAN* present, ACL** acl,
                                            BOOLEAN* defaulted);
NTSTATUS NTAPI RtlSetDaclSecurityDescriptor(void* sd, BOOLEAN present, ACL* acl, BOOLEAN defaulted);
NTSTATUS NTAPI RtlGetSaclSecurityDescriptor(void* sd, BOOLEAN* present, ACL** acl,
                                            BOOLEAN* defaulted);
NTSTATUS NTAPI RtlSetSaclSecurityDescriptor(void* sd, BOOLEAN present, ACL* acl, BOOLEAN defaulted);
NTSTATUS NTAPI RtlGetOwnerSecurityDescriptor(void* sd, void** owner, BOOLEAN* defaulted);
NTSTATUS NTAPI RtlSetOwnerSecurityDescriptor(void* sd, void* owner, BOOLEAN defaulted);
NTSTATUS NTAPI RtlGetGroupSecurityDescriptor(void* sd, void** group, BOOLEAN* defaulted);
NTSTATUS NTAPI RtlSetGroupSecurityDescriptor(void* sd, void* group, BOOLEAN defaulted);
NTSTATUS NTAPI RtlMakeSelfRelativeSD(void* sd, void* rel, ULONG* length);
NTSTATUS NTAPI RtlAbsoluteToSelfRelativeSD(void* sd, void* rel, ULONG* length);
NTSTATUS NTAPI RtlSelfRelativeToAbsoluteSD(void* rel, void* abs, ULONG* abs_len, ACL* dacl,
                                           ULONG* dacl_len, ACL* sacl, ULONG* sacl_len, void* owner,
                                           ULONG* owner_len, void* group, ULONG* group_len);

void NTAPI RtlMapGenericMask(ACCESS_MASK* mask, const GENERIC_MAPPING* mapping);
BOOLEAN NTAPI RtlAreAllAccessesGranted(ACCESS_MASK granted, ACCESS_MASK desired);
BOOLEAN NTAPI RtlAreAnyAccessesGranted(ACCESS_MASK granted, ACCESS_MASK desired);

static SID_IDENTIFIER_AUTHORITY nt_authority = {{0, 0, 0, 0, 0, 5}};
static SID_IDENTIFIER_AUTHORITY world_authority = {{0, 0, 0, 0, 0, 1}};

/* A SID built by hand: S-1-<auth>-subs... */
static SID make_sid(const SID_IDENTIFIER_AUTHORITY* auth, int count, const DWORD* subs) {
  SID s;
  s.Revision = 1;
  s.SubAuthorityCount = (BYTE)count;
  s.IdentifierAuthority = *auth;
  for (int i = 0; i < count; ++i) s.SubAuthority[i] = subs[i];
  return s;
}

static int sid_string_is(void* sid, const WCHAR* want) {
  UNICODE_STRING us;
  if (RtlConvertSidToUnicodeString(&us, sid, TRUE) != STATUS_SUCCESS) return 0;
  const int same = nt_ustr_eq(us.Buffer, us.Length, want) && us.Buffer[us.Length / 2] == 0;
  if (!same) nt_note("got %.*ls", (int)(us.Length / 2), us.Buffer);
  RtlFreeUnicodeString(&us);
  return same;
}

static void test_sid_basics(void) {
  CHECK_EQ(RtlLengthRequiredSid(0), 8);
  CHECK_EQ(RtlLengthRequiredSid(1), 12);
  CHECK_EQ(RtlLengthRequiredSid(15), 68);

  SID s;
  /* Wine's RtlInitializeSid returns a BOOL (TRUE) where Windows returns STATUS_SUCCESS. */
  CHECK_EQ(RtlInitializeSid(&s, &nt_authority, 2), nt_is_wine() ? 1 : STATUS_SUCCESS);
  CHECK_EQ(s.Revision, 1);
  CHECK_EQ(s.SubAuthorityCount, 2);
  CHECK_EQ(s.IdentifierAuthority.Value[5], 5);
  CHECK(RtlValidSid(&s));
  CHECK_EQ(RtlLengthSid(&s), 16);
  CHECK(RtlSubAuthorityCountSid(&s) == &s.SubAuthorityCount);
  CHECK(RtlIdentifierAuthoritySid(&s) == &s.IdentifierAuthority);
  CHECK(RtlSubAuthoritySid(&s, 1) == &s.SubAuthority[1]);
  *RtlSubAuthoritySid(&s, 0) = 32;
  *RtlSubAuthoritySid(&s, 1) = 544;
  CHECK(sid_string_is(&s, L"S-1-5-32-544"));

  /* More than SID_MAX_SUB_AUTHORITIES (15). Wine's returns a BOOL (FALSE) instead of the
   * NTSTATUS. */
  SID t = s;
  const NTSTATUS too_many = RtlInitializeSid(&t, &nt_authority, 16);
  CHECK(too_many == (nt_is_wine() ? 0 : STATUS_INVALID_PARAMETER));
  CHECK_EQ(t.SubAuthorityCount, 2); /* untouched */

  /* Validity: revision 1 and at most 15 sub-authorities. */
  t = s;
  t.Revision = 2;
  CHECK(!RtlValidSid(&t));
  t = s;
  t.SubAuthorityCount = 16;
  CHECK(!RtlValidSid(&t));
  t.SubAuthorityCount = 15;
  CHECK(RtlValidSid(&t));
}

static void test_sid_allocate(void) {
  void* sid = NULL;
  CHECK_OK(RtlAllocateAndInitializeSid(&nt_authority, 8, 21, 1, 2, 3, 4, 5, 6, 7, &sid));
  CHECK(sid != NULL);
  CHECK_EQ(RtlLengthSid(sid), 40);
  CHECK_EQ(*RtlSubAuthoritySid(sid, 0), 21);
  CHECK_EQ(*RtlSubAuthoritySid(sid, 7), 7);
  CHECK(sid_string_is(sid, L"S-1-5-21-1-2-3-4-5-6-7"));
  CHECK(RtlFreeSid(sid) == NULL);

  CHECK_OK(RtlAllocateAndInitializeSid(&world_authority, 1, 0, 9, 9, 9, 9, 9, 9, 9, &sid));
  CHECK_EQ(RtlLengthSid(sid), 12);
  CHECK(sid_string_is(sid, L"S-1-1-0"));
  RtlFreeSid(sid);

  CHECK_OK(RtlAllocateAndInitializeSid(&nt_authority, 0, 0, 0, 0, 0, 0, 0, 0, 0, &sid));
  CHECK(sid_string_is(sid, L"S-1-5"));
  RtlFreeSid(sid);

  sid = (void*)1;
  CHECK_STATUS(RtlAllocateAndInitializeSid(&nt_authority, 9, 0, 0, 0, 0, 0, 0, 0, 0, &sid),
               STATUS_INVALID_SID);
}

static void test_sid_copy_compare(void) {
  const DWORD subs[] = {21, 100, 200, 300, 1001};
  SID a = make_sid(&nt_authority, 5, subs), b, c;
  BYTE raw[64];
  for (int i = 0; i < 64; ++i) raw[i] = 0xAA;

  /* Windows returns an NTSTATUS; Wine's RtlCopySid returns a BOOLEAN (TRUE = copied). */
  const NTSTATUS copied = RtlCopySid(sizeof(raw), raw, &a);
  CHECK(copied == (nt_is_wine() ? 1 : STATUS_SUCCESS));
  CHECK(RtlEqualSid(raw, &a));
  CHECK_EQ(raw[28], 0xAA); /* exactly RtlLengthSid bytes */
  const NTSTATUS short_copy = RtlCopySid(27, raw, &a);
  CHECK(short_copy == (nt_is_wine() ? 0 : STATUS_BUFFER_TOO_SMALL));

  b = a;
  CHECK(RtlEqualSid(&a, &b));
  CHECK(RtlEqualPrefixSid(&a, &b));
  b.SubAuthority[4] = 1002; /* another account of the same domain */
  CHECK(!RtlEqualSid(&a, &b));
  CHECK(RtlEqualPrefixSid(&a, &b));
  b.SubAuthority[3] = 301; /* another domain */
  CHECK(!RtlEqualPrefixSid(&a, &b));
  c = make_sid(&nt_authority, 4, subs);
  CHECK(!RtlEqualSid(&a, &c));
  CHECK(!RtlEqualPrefixSid(&a, &c));
  c = make_sid(&world_authority, 5, subs);
  CHECK(!RtlEqualSid(&a, &c));
  CHECK(!RtlEqualPrefixSid(&a, &c));
}

static void test_sid_string(void) {
  const DWORD subs[] = {4294967295u, 0};
  SID s = make_sid(&nt_authority, 2, subs);
  CHECK(sid_string_is(&s, L"S-1-5-4294967295-0"));
  SID_IDENTIFIER_AUTHORITY big32 = {{0, 0, 0xFF, 0xFF, 0xFF, 0xFF}};
  s = make_sid(&big32, 0, subs);
  CHECK(sid_string_is(&s, L"S-1-4294967295"));
  /* An authority wider than 32 bits is printed in hex; Wine prints only its low 32 bits. */
  SID_IDENTIFIER_AUTHORITY wide = {{0x01, 0x02, 0x03, 0xAB, 0xCD, 0xEF}};
  s = make_sid(&wide, 1, subs + 1);
  if (!nt_is_wine()) CHECK(sid_string_is(&s, L"S-1-0x010203ABCDEF-0"));

  /* Into a caller's buffer: the terminator must fit too. */
  s = make_sid(&nt_authority, 1, (const DWORD[]){18});
  WCHAR buffer[16];
  UNICODE_STRING us = {0, 16, buffer}; /* "S-1-5-18" is 16 bytes without the terminator */
  CHECK_STATUS(RtlConvertSidToUnicodeString(&us, &s, FALSE), STATUS_BUFFER_OVERFLOW);
  us.MaximumLength = 18;
  CHECK_OK(RtlConvertSidToUnicodeString(&us, &s, FALSE));
  CHECK_EQ(us.Length, 16);
  CHECK(nt_ustr_eq(us.Buffer, us.Length, L"S-1-5-18"));
  CHECK_EQ(buffer[8], 0);

  /* An invalid SID has no string form; Wine converts it anyway. */
  s.Revision = 3;
  if (!nt_is_wine()) CHECK_STATUS(RtlConvertSidToUnicodeString(&us, &s, TRUE), STATUS_INVALID_SID);
}

/* ---- ACLs ---- */

static ACL* new_acl(void* buffer, ULONG size) {
  ACL* acl = buffer;
  CHECK_OK(RtlCreateAcl(acl, size, ACL_REVISION));
  return acl;
}

static void check_acl_size(ACL* acl, DWORD count, DWORD in_use, DWORD free_bytes) {
  ACL_SIZE_INFORMATION info;
  CHECK_OK(RtlQueryInformationAcl(acl, &info, sizeof(info), AclSizeInformation));
  CHECK_EQ(info.AceCount, count);
  CHECK_EQ(info.AclBytesInUse, in_use);
  CHECK_EQ(info.AclBytesFree, free_bytes);
}

static void test_acl_create(void) {
  DWORD buffer[64];
  ACL* acl = (ACL*)buffer;
  CHECK_STATUS(RtlCreateAcl(acl, 4, ACL_REVISION), STATUS_BUFFER_TOO_SMALL);
  CHECK_STATUS(RtlCreateAcl(acl, 64, 1), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlCreateAcl(acl, 64, 5), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlCreateAcl(acl, 0x10000, ACL_REVISION), STATUS_INVALID_PARAMETER);
  CHECK_OK(RtlCreateAcl(acl, 8, ACL_REVISION));
  CHECK(RtlValidAcl(acl));
  CHECK_OK(RtlCreateAcl(acl, 256, ACL_REVISION_DS));
  CHECK_EQ(acl->AclRevision, ACL_REVISION_DS);
  CHECK_EQ(acl->AclSize, 256);
  CHECK_EQ(acl->AceCount, 0);
  CHECK(RtlValidAcl(acl));
  check_acl_size(acl, 0, 8, 248);

  DWORD revision = 0;
  CHECK_OK(RtlQueryInformationAcl(acl, &revision, sizeof(revision), AclRevisionInformation));
  CHECK_EQ(revision, ACL_REVISION_DS);
  /* Too small a buffer, an unknown class: Wine says STATUS_INVALID_PARAMETER to both. */
  CHECK_STATUS(RtlQueryInformationAcl(acl, &revision, 0, AclRevisionInformation),
               nt_is_wine() ? STATUS_INVALID_PARAMETER : STATUS_BUFFER_TOO_SMALL);
  CHECK_STATUS(RtlQueryInformationAcl(acl, &revision, sizeof(revision), 3),
               nt_is_wine() ? STATUS_INVALID_PARAMETER : STATUS_INVALID_INFO_CLASS);

  void* ace = (void*)1;
  CHECK(RtlFirstFreeAce(acl, &ace));
  CHECK(ace == (BYTE*)acl + 8);
  CHECK_STATUS(RtlGetAce(acl, 0, &ace), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlDeleteAce(acl, 0), STATUS_INVALID_PARAMETER);

  acl->AclRevision = 7;
  CHECK(!RtlValidAcl(acl));
}

static void test_known_aces(void) {
  const DWORD subs[] = {32, 544};
  SID admins = make_sid(&nt_authority, 2, subs); /* 16 bytes: ACEs of 24 */
  SID world = make_sid(&world_authority, 1, subs);
  DWORD buffer[64];
  ACL* acl = new_acl(buffer, 100);

  CHECK_OK(RtlAddAccessAllowedAce(acl, ACL_REVISION, 0x1F01FF, &admins));
  CHECK_OK(RtlAddAccessDeniedAceEx(acl, ACL_REVISION, CONTAINER_INHERIT_ACE, 0x10000, &world));
  CHECK_OK(RtlAddAuditAccessAce(acl, ACL_REVISION, 0x2, &admins, TRUE, TRUE));
  CHECK(RtlValidAcl(acl));
  check_acl_size(acl, 3, 8 + 24 + 20 + 24, 100 - 76);

  KNOWN_ACE dummy = {{0, 0, 0}, 0, 0}, *ace = &dummy;
  CHECK_OK(RtlGetAce(acl, 0, (void**)&ace));
  CHECK(ace == (KNOWN_ACE*)(acl + 1));
  CHECK_EQ(ace->Header.AceType, ACCESS_ALLOWED_ACE_TYPE);
  CHECK_EQ(ace->Header.AceFlags, 0);
  CHECK_EQ(ace->Header.AceSize, 24);
  CHECK_EQ(ace->Mask, 0x1F01FF);
  CHECK(RtlEqualSid(&ace->SidStart, &admins));
  CHECK_OK(RtlGetAce(acl, 1, (void**)&ace));
  CHECK_EQ(ace->Header.AceType, ACCESS_DENIED_ACE_TYPE);
  CHECK_EQ(ace->Header.AceFlags, CONTAINER_INHERIT_ACE);
  CHECK_EQ(ace->Header.AceSize, 20);
  CHECK(RtlEqualSid(&ace->SidStart, &world));
  CHECK_OK(RtlGetAce(acl, 2, (void**)&ace));
  CHECK_EQ(ace->Header.AceType, SYSTEM_AUDIT_ACE_TYPE);
  CHECK_EQ(ace->Header.AceFlags, SUCCESSFUL_ACCESS_ACE_FLAG | FAILED_ACCESS_ACE_FLAG);
  CHECK_STATUS(RtlGetAce(acl, 3, (void**)&ace), STATUS_INVALID_PARAMETER);

  /* 24 bytes left: a 24-byte ACE fits exactly, then nothing does. */
  CHECK_OK(RtlAddAccessDeniedAce(acl, ACL_REVISION, 1, &admins));
  check_acl_size(acl, 4, 100, 0);
  CHECK_STATUS(RtlAddAccessAllowedAce(acl, ACL_REVISION, 1, &world),
               STATUS_ALLOTTED_SPACE_EXCEEDED);

  /* Deleting closes the gap. */
  CHECK_OK(RtlDeleteAce(acl, 1));
  check_acl_size(acl, 3, 80, 20);
  CHECK_OK(RtlGetAce(acl, 1, (void**)&ace));
  CHECK_EQ(ace->Header.AceType, SYSTEM_AUDIT_ACE_TYPE);
  CHECK_STATUS(RtlDeleteAce(acl, 3), STATUS_INVALID_PARAMETER);

  /* Bad arguments. */
  acl = new_acl(buffer, 100);
  SID bad = admins;
  bad.Revision = 2;
  CHECK_STATUS(RtlAddAccessAllowedAce(acl, ACL_REVISION, 1, &bad), STATUS_INVALID_SID);
  /* Only inheritance flags are accepted; Wine takes any. */
  if (!nt_is_wine())
    CHECK_STATUS(RtlAddAccessAllowedAceEx(acl, ACL_REVISION, 0x100, 1, &admins),
                 STATUS_INVALID_PARAMETER);
  CHECK_OK(
      RtlAddAccessAllowedAceEx(acl, ACL_REVISION, INHERITED_ACE | OBJECT_INHERIT_ACE, 1, &admins));
  CHECK_OK(RtlAddAuditAccessAceEx(acl, ACL_REVISION, OBJECT_INHERIT_ACE, 1, &admins, FALSE, TRUE));
  CHECK_OK(RtlGetAce(acl, 1, (void**)&ace));
  CHECK_EQ(ace->Header.AceFlags, OBJECT_INHERIT_ACE | FAILED_ACCESS_ACE_FLAG);
  /* A newer revision raises the ACL's. */
  CHECK_OK(RtlAddAccessAllowedAce(acl, ACL_REVISION_DS, 1, &world));
  CHECK_EQ(acl->AclRevision, ACL_REVISION_DS);
}

static void test_object_and_mandatory_aces(void) {
  const DWORD subs[] = {18};
  SID system = make_sid(&nt_authority, 1, subs); /* 12 bytes */
  GUID type = {0x11111111, 0x2222, 0x3333, {4, 4, 4, 4, 4, 4, 4, 4}};
  GUID inherited = {0x55555555, 0x6666, 0x7777, {8, 8, 8, 8, 8, 8, 8, 8}};
  DWORD buffer[64];
  ACL* acl;
  /* Wine 8 implements no object ACEs (STATUS_NOT_IMPLEMENTED) and takes RtlAddMandatoryAce's
   * arguments in another order (policy, type, SID instead of Windows' SID, type, mask). */
  if (nt_is_wine()) {
    nt_note("object and mandatory ACEs: not checked under Wine");
    return;
  }
  acl = new_acl(buffer, 256);
  acl->AclRevision = ACL_REVISION_DS;

  OBJECT_ACE dummy = {{0, 0, 0}, 0, 0, {0}}, *ace = &dummy;
  CHECK_OK(RtlAddAccessAllowedObjectAce(acl, ACL_REVISION_DS, 0, 7, &type, &inherited, &system));
  CHECK_OK(RtlGetAce(acl, 0, (void**)&ace));
  CHECK_EQ(ace->Header.AceType, ACCESS_ALLOWED_OBJECT_ACE_TYPE);
  CHECK_EQ(ace->Header.AceSize, 4 + 4 + 4 + 32 + 12);
  CHECK_EQ(ace->Flags, ACE_OBJECT_TYPE_PRESENT | ACE_INHERITED_OBJECT_TYPE_PRESENT);
  CHECK_EQ(*(DWORD*)ace->Guids, 0x11111111);
  CHECK_EQ(*(DWORD*)(ace->Guids + 16), 0x55555555);
  CHECK(RtlEqualSid(ace->Guids + 32, &system));

  CHECK_OK(RtlAddAccessDeniedObjectAce(acl, ACL_REVISION_DS, 0, 7, NULL, &inherited, &system));
  CHECK_OK(RtlGetAce(acl, 1, (void**)&ace));
  CHECK_EQ(ace->Header.AceType, ACCESS_DENIED_OBJECT_ACE_TYPE);
  CHECK_EQ(ace->Header.AceSize, 4 + 4 + 4 + 16 + 12);
  CHECK_EQ(ace->Flags, ACE_INHERITED_OBJECT_TYPE_PRESENT);
  CHECK_EQ(*(DWORD*)ace->Guids, 0x55555555);

  CHECK_OK(
      RtlAddAuditAccessObjectAce(acl, ACL_REVISION_DS, 0, 7, &type, NULL, &system, TRUE, FALSE));
  CHECK_OK(RtlGetAce(acl, 2, (void**)&ace));
  CHECK_EQ(ace->Header.AceType, SYSTEM_AUDIT_OBJECT_ACE_TYPE);
  CHECK_EQ(ace->Header.AceFlags, SUCCESSFUL_ACCESS_ACE_FLAG);
  CHECK_EQ(ace->Flags, ACE_OBJECT_TYPE_PRESENT);

  /* The mandatory label: type and policy bits are checked. S-1-16-12288 is "high". */
  SID_IDENTIFIER_AUTHORITY label_authority = {{0, 0, 0, 0, 0, 16}};
  SID high = make_sid(&label_authority, 1, (const DWORD[]){0x3000});
  acl = new_acl(buffer, 64);
  CHECK_STATUS(RtlAddMandatoryAce(acl, ACL_REVISION, 0, &high, ACCESS_ALLOWED_ACE_TYPE, 1),
               STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlAddMandatoryAce(acl, ACL_REVISION, 0, &high, SYSTEM_MANDATORY_LABEL_ACE_TYPE, 8),
               STATUS_INVALID_PARAMETER);
  CHECK_OK(RtlAddMandatoryAce(acl, ACL_REVISION, 0, &high, SYSTEM_MANDATORY_LABEL_ACE_TYPE, 1));
  KNOWN_ACE dummy_label = {{0, 0, 0}, 0, 0}, *label = &dummy_label;
  CHECK_OK(RtlGetAce(acl, 0, (void**)&label));
  CHECK_EQ(label->Header.AceType, SYSTEM_MANDATORY_LABEL_ACE_TYPE);
  CHECK_EQ(label->Header.AceSize, 20);
  CHECK_EQ(label->Mask, 1);
  CHECK(RtlEqualSid(&label->SidStart, &high));
}

/* RtlAddAce inserts ready-made ACEs at an index. */
static void test_add_ace(void) {
  const DWORD subs[] = {18};
  SID system = make_sid(&nt_authority, 1, subs);
  DWORD source_buffer[32], buffer[64];
  ACL* source = new_acl(source_buffer, 128);
  CHECK_OK(RtlAddAccessAllowedAce(source, ACL_REVISION, 0xA, &system));
  CHECK_OK(RtlAddAccessDeniedAce(source, ACL_REVISION, 0xB, &system));
  ACL* acl = new_acl(buffer, 200);
  CHECK_OK(RtlAddAccessAllowedAce(acl, ACL_REVISION, 0x1, &system));
  CHECK_OK(RtlAddAccessAllowedAce(acl, ACL_REVISION, 0x2, &system));

  KNOWN_ACE dummy = {{0, 0, 0}, 0, 0}, *ace = &dummy;
  CHECK_OK(RtlAddAce(acl, ACL_REVISION, 1, source + 1, 40)); /* both source ACEs, at 1 */
  CHECK_EQ(acl->AceCount, 4);
  /* Wine ignores the starting index and always appends. */
  const DWORD windows_masks[] = {0x1, 0xA, 0xB, 0x2}, wine_masks[] = {0x1, 0x2, 0xA, 0xB};
  const DWORD* masks = nt_is_wine() ? wine_masks : windows_masks;
  for (ULONG i = 0; i < 4; ++i) {
    CHECK_OK(RtlGetAce(acl, i, (void**)&ace));
    CHECK_EQ(ace->Mask, masks[i]);
  }
  CHECK_OK(RtlAddAce(acl, ACL_REVISION, 0xFFFFFFFF, source + 1, 20)); /* appended */
  CHECK_OK(RtlGetAce(acl, 4, (void**)&ace));
  CHECK_EQ(ace->Mask, 0xA);
  check_acl_size(acl, 5, 108, 92);
  CHECK(RtlValidAcl(acl));

  ACL* small = new_acl(source_buffer, 24);
  CHECK_STATUS(RtlAddAce(small, ACL_REVISION, 0, acl + 1, 20),
               nt_is_wine() ? STATUS_INVALID_PARAMETER : STATUS_BUFFER_TOO_SMALL);
}

/* ---- Security descriptors ---- */

/* RtlValidSecurityDescriptor returns a BOOLEAN on Windows; Wine's returns an NTSTATUS
 * (STATUS_SUCCESS when valid). */
static int sd_valid(void* sd) {
  if (nt_is_wine()) {
    void* volatile entry = (void*)RtlValidSecurityDescriptor;
    return ((NTSTATUS(NTAPI*)(void*))entry)(sd) == 0;
  }
  return RtlValidSecurityDescriptor(sd);
}

/* RtlLengthSecurityDescriptor counts an absolute descriptor's header at its own size (40 bytes
 * on x64), a self-relative one's at 20. */
static ULONG sd_length(ULONG parts) {
  return 40 + parts;
}

static void test_sd_absolute(void) {
  SECURITY_DESCRIPTOR sd;
  CHECK_EQ(sizeof(sd), 40);
  CHECK_STATUS(RtlCreateSecurityDescriptor(&sd, 2), STATUS_UNKNOWN_REVISION);
  CHECK_OK(RtlCreateSecurityDescriptor(&sd, 1));
  CHECK_EQ(sd.Revision, 1);
  CHECK_EQ(sd.Control, 0);
  CHECK(sd.Owner == NULL && sd.Group == NULL && sd.Dacl == NULL && sd.Sacl == NULL);
  CHECK(sd_valid(&sd));
  CHECK_EQ(RtlLengthSecurityDescriptor(&sd), sd_length(0));

  const DWORD subs[] = {32, 544};
  SID owner = make_sid(&nt_authority, 2, subs);    /* 16 */
  SID group = make_sid(&world_authority, 1, subs); /* 12 */
  DWORD dacl_buffer[16];
  ACL* dacl = new_acl(dacl_buffer, 64);
  CHECK_OK(RtlAddAccessAllowedAce(dacl, ACL_REVISION, 0x1F01FF, &owner));

  void* sid;
  BOOLEAN present = 9, defaulted = 9;
  ACL* acl;
  CHECK_OK(RtlSetOwnerSecurityDescriptor(&sd, &owner, TRUE));
  CHECK_OK(RtlGetOwnerSecurityDescriptor(&sd, &sid, &defaulted));
  CHECK(sid == &owner);
  CHECK_EQ(defaulted, TRUE);
  CHECK_OK(RtlSetOwnerSecurityDescriptor(&sd, &owner, FALSE));
  CHECK_EQ(sd.Control, 0);
  CHECK_OK(RtlSetGroupSecurityDescriptor(&sd, &group, TRUE));
  CHECK_OK(RtlGetGroupSecurityDescriptor(&sd, &sid, &defaulted));
  CHECK(sid == &group);
  CHECK_EQ(defaulted, TRUE);
  CHECK_EQ(sd.Control, SE_GROUP_DEFAULTED);

  CHECK_OK(RtlGetDaclSecurityDescriptor(&sd, &present, &acl, &defaulted));
  CHECK_EQ(present, FALSE);
  CHECK_OK(RtlSetDaclSecurityDescriptor(&sd, TRUE, dacl, FALSE));
  CHECK_OK(RtlGetDaclSecurityDescriptor(&sd, &present, &acl, &defaulted));
  CHECK_EQ(present, TRUE);
  CHECK(acl == dacl);
  CHECK_EQ(defaulted, FALSE);
  CHECK_OK(RtlSetSaclSecurityDescriptor(&sd, TRUE, NULL, TRUE)); /* a present, NULL SACL */
  CHECK_OK(RtlGetSaclSecurityDescriptor(&sd, &present, &acl, &defaulted));
  CHECK_EQ(present, TRUE);
  CHECK(acl == NULL);
  CHECK_EQ(defaulted, TRUE);
  CHECK_EQ(sd.Control, SE_GROUP_DEFAULTED | SE_DACL_PRESENT | SE_SACL_PRESENT | SE_SACL_DEFAULTED);
  CHECK(sd_valid(&sd));
  CHECK_EQ(RtlLengthSecurityDescriptor(&sd), sd_length(16 + 12 + 64));

  CHECK_OK(RtlSetSaclSecurityDescriptor(&sd, FALSE, NULL, FALSE));
  CHECK_EQ(sd.Control & (SE_SACL_PRESENT), 0);

  /* Control bits: only the inheritance/protection ones can be set this way. */
  WORD control;
  ULONG revision;
  CHECK_OK(RtlSetControlSecurityDescriptor(&sd, SE_DACL_PROTECTED | SE_DACL_AUTO_INHERIT_REQ,
                                           SE_DACL_PROTECTED));
  CHECK_OK(RtlGetControlSecurityDescriptor(&sd, &control, &revision));
  CHECK_EQ(revision, 1);
  CHECK_EQ(control & (SE_DACL_PROTECTED | SE_DACL_AUTO_INHERIT_REQ), SE_DACL_PROTECTED);
  CHECK_STATUS(RtlSetControlSecurityDescriptor(&sd, SE_DACL_PRESENT, 0), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlSetControlSecurityDescriptor(&sd, SE_DACL_PROTECTED, SE_SELF_RELATIVE),
               STATUS_INVALID_PARAMETER);
  CHECK_OK(RtlSetControlSecurityDescriptor(&sd, SE_DACL_PROTECTED, 0));
  CHECK_OK(RtlGetControlSecurityDescriptor(&sd, &control, &revision));
  CHECK_EQ(control & SE_DACL_PROTECTED, 0);

  /* A wrong revision. */
  SECURITY_DESCRIPTOR bad = sd;
  bad.Revision = 2;
  CHECK(!sd_valid(&bad));
  CHECK_STATUS(RtlSetOwnerSecurityDescriptor(&bad, &owner, FALSE), STATUS_UNKNOWN_REVISION);
  /* Wine's owner getter does not look at the revision. */
  if (!nt_is_wine())
    CHECK_STATUS(RtlGetOwnerSecurityDescriptor(&bad, &sid, &defaulted), STATUS_UNKNOWN_REVISION);
  CHECK_STATUS(RtlGetDaclSecurityDescriptor(&bad, &present, &acl, &defaulted),
               STATUS_UNKNOWN_REVISION);
  CHECK_STATUS(RtlGetControlSecurityDescriptor(&bad, &control, &revision), STATUS_UNKNOWN_REVISION);
  CHECK_EQ(revision, 2);
  /* An invalid owner SID makes the descriptor invalid. */
  SID broken = owner;
  broken.Revision = 5;
  bad = sd;
  bad.Owner = &broken;
  if (!nt_is_wine()) CHECK(!sd_valid(&bad)); /* Wine checks the revision only */
}

static void test_sd_self_relative(void) {
  const DWORD subs[] = {32, 544};
  SID owner = make_sid(&nt_authority, 2, subs);
  SID group = make_sid(&world_authority, 1, subs);
  DWORD dacl_buffer[16];
  ACL* dacl = new_acl(dacl_buffer, 64);
  CHECK_OK(RtlAddAccessAllowedAce(dacl, ACL_REVISION, 0x1F01FF, &owner));
  SECURITY_DESCRIPTOR sd;
  CHECK_OK(RtlCreateSecurityDescriptor(&sd, 1));
  CHECK_OK(RtlSetOwnerSecurityDescriptor(&sd, &owner, FALSE));
  CHECK_OK(RtlSetGroupSecurityDescriptor(&sd, &group, TRUE));
  CHECK_OK(RtlSetDaclSecurityDescriptor(&sd, TRUE, dacl, FALSE));
  const ULONG need = 20 + 16 + 12 + 64;

  DWORD rel_buffer[64];
  SECURITY_DESCRIPTOR_RELATIVE* rel = (SECURITY_DESCRIPTOR_RELATIVE*)rel_buffer;
  ULONG length = 20;
  CHECK_STATUS(RtlMakeSelfRelativeSD(&sd, rel, &length), STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(length, need);
  length = sizeof(rel_buffer);
  CHECK_OK(RtlAbsoluteToSelfRelativeSD(&sd, rel, &length));
  CHECK_EQ(rel->Revision, 1);
  CHECK_EQ(rel->Control, SE_SELF_RELATIVE | SE_DACL_PRESENT | SE_GROUP_DEFAULTED);
  CHECK_EQ(rel->Sacl, 0);
  CHECK(rel->Owner >= 20 && rel->Owner + 16 <= need);
  CHECK(rel->Group >= 20 && rel->Group + 12 <= need);
  CHECK(rel->Dacl >= 20 && rel->Dacl + 64 <= need);
  CHECK(RtlEqualSid((BYTE*)rel + rel->Owner, &owner));
  CHECK(RtlEqualSid((BYTE*)rel + rel->Group, &group));
  CHECK(sd_valid(rel));
  CHECK_EQ(RtlLengthSecurityDescriptor(rel), need);

  /* The getters read self-relative descriptors; the setters refuse them. */
  void* sid;
  BOOLEAN present, defaulted;
  ACL* acl;
  CHECK_OK(RtlGetOwnerSecurityDescriptor(rel, &sid, &defaulted));
  CHECK(sid == (BYTE*)rel + rel->Owner);
  CHECK_EQ(defaulted, FALSE);
  CHECK_OK(RtlGetGroupSecurityDescriptor(rel, &sid, &defaulted));
  CHECK(sid == (BYTE*)rel + rel->Group);
  CHECK_EQ(defaulted, TRUE);
  CHECK_OK(RtlGetDaclSecurityDescriptor(rel, &present, &acl, &defaulted));
  CHECK_EQ(present, TRUE);
  CHECK(acl == (ACL*)((BYTE*)rel + rel->Dacl));
  CHECK(RtlValidAcl(acl));
  CHECK_STATUS(RtlSetOwnerSecurityDescriptor(rel, &owner, FALSE), STATUS_INVALID_SECURITY_DESCR);
  CHECK_STATUS(RtlSetDaclSecurityDescriptor(rel, TRUE, dacl, FALSE), STATUS_INVALID_SECURITY_DESCR);

  /* Self-relative in, self-relative out: RtlMakeSelfRelativeSD copies; the Absolute variant
   * refuses. */
  DWORD copy_buffer[64];
  length = sizeof(copy_buffer);
  CHECK_STATUS(RtlAbsoluteToSelfRelativeSD(rel, copy_buffer, &length),
               STATUS_BAD_DESCRIPTOR_FORMAT);
  length = sizeof(copy_buffer);
  CHECK_OK(RtlMakeSelfRelativeSD(rel, copy_buffer, &length));
  CHECK_EQ(RtlLengthSecurityDescriptor(copy_buffer), need);

  /* And back to absolute, into caller buffers. */
  SECURITY_DESCRIPTOR abs;
  DWORD new_dacl[16], new_sacl[4], new_owner[4], new_group[4];
  ULONG abs_len = 0, dacl_len = 0, sacl_len = 0, owner_len = 0, group_len = 0;
  CHECK_STATUS(
      RtlSelfRelativeToAbsoluteSD(rel, &abs, &abs_len, (ACL*)new_dacl, &dacl_len, (ACL*)new_sacl,
                                  &sacl_len, new_owner, &owner_len, new_group, &group_len),
      STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(abs_len, 40);
  CHECK_EQ(dacl_len, 64);
  CHECK_EQ(sacl_len, 0);
  CHECK_EQ(owner_len, 16);
  CHECK_EQ(group_len, 12);
  CHECK_OK(RtlSelfRelativeToAbsoluteSD(rel, &abs, &abs_len, (ACL*)new_dacl, &dacl_len,
                                       (ACL*)new_sacl, &sacl_len, new_owner, &owner_len, new_group,
                                       &group_len));
  CHECK_EQ(abs.Control, SE_DACL_PRESENT | SE_GROUP_DEFAULTED);
  CHECK(abs.Owner == new_owner && abs.Group == new_group);
  CHECK(abs.Dacl == (ACL*)new_dacl && abs.Sacl == NULL);
  CHECK(RtlEqualSid(new_owner, &owner));
  CHECK(RtlValidAcl((ACL*)new_dacl));
  CHECK_EQ(RtlLengthSecurityDescriptor(&abs), sd_length(16 + 12 + 64));
  CHECK_STATUS(
      RtlSelfRelativeToAbsoluteSD(&sd, &abs, &abs_len, (ACL*)new_dacl, &dacl_len, (ACL*)new_sacl,
                                  &sacl_len, new_owner, &owner_len, new_group, &group_len),
      nt_is_wine() ? STATUS_INVALID_PARAMETER : STATUS_BAD_DESCRIPTOR_FORMAT);
}

/* ---- Access masks ---- */

static void test_access_masks(void) {
  const GENERIC_MAPPING file = {0x120089, 0x120116, 0x1200A0, 0x1F01FF};
  ACCESS_MASK mask = GENERIC_READ | GENERIC_EXECUTE | 0x8;
  RtlMapGenericMask(&mask, &file);
  CHECK_EQ(mask, 0x120089 | 0x1200A0 | 0x8);
  mask = GENERIC_ALL;
  RtlMapGenericMask(&mask, &file);
  CHECK_EQ(mask, 0x1F01FF);
  mask = 0x30000;
  RtlMapGenericMask(&mask, &file);
  CHECK_EQ(mask, 0x30000);

  CHECK(RtlAreAllAccessesGranted(0x1F01FF, 0x120089));
  CHECK(!RtlAreAllAccessesGranted(0x120089, 0x1F01FF));
  CHECK(RtlAreAllAccessesGranted(0x1, 0));
  CHECK(RtlAreAnyAccessesGranted(0x3, 0x6));
  CHECK(!RtlAreAnyAccessesGranted(0x3, 0xC));
  CHECK(!RtlAreAnyAccessesGranted(0x3, 0));
}

/* ---- Debugging: DbgUi* ---- */

typedef struct {
  NTSTATUS ExceptionCode;
  ULONG ExceptionFlags;
  void* ExceptionRecord;
  void* ExceptionAddress;
  ULONG NumberParameters;
  ULONG_PTR ExceptionInformation[15];
} EXCEPTION_RECORD;

typedef struct {
  HANDLE UniqueProcess;
  HANDLE UniqueThread;
} CLIENT_ID;

/* DBGUI_WAIT_STATE_CHANGE, Windows' layout. */
typedef struct {
  ULONG NewState;
  CLIENT_ID AppClientId;
  union {
    struct {
      EXCEPTION_RECORD ExceptionRecord;
      ULONG FirstChance;
    } Exception;
    struct {
      HANDLE HandleToThread;
      ULONG SubSystemKey;
      void* StartAddress;
    } CreateThread;
    struct {
      HANDLE HandleToProcess;
      HANDLE HandleToThread;
      ULONG SubSystemKey;
      HANDLE FileHandle;
      void* BaseOfImage;
      ULONG DebugInfoFileOffset;
      ULONG DebugInfoSize;
      ULONG ThreadSubSystemKey;
      void* StartAddress;
    } CreateProcessInfo;
    NTSTATUS ExitStatus;
    struct {
      HANDLE FileHandle;
      void* BaseOfDll;
      ULONG DebugInfoFileOffset;
      ULONG DebugInfoSize;
      void* NamePointer;
    } LoadDll;
    void* UnloadDllBase;
  } StateInfo;
} DBGUI_WAIT_STATE_CHANGE;

/* DEBUG_EVENT (winbase.h). */
typedef struct {
  DWORD dwDebugEventCode;
  DWORD dwProcessId;
  DWORD dwThreadId;
  union {
    struct {
      EXCEPTION_RECORD ExceptionRecord;
      DWORD dwFirstChance;
    } Exception;
    struct {
      HANDLE hThread;
      void* lpThreadLocalBase;
      void* lpStartAddress;
    } CreateThread;
    struct {
      HANDLE hFile, hProcess, hThread;
      void* lpBaseOfImage;
      DWORD dwDebugInfoFileOffset, nDebugInfoSize;
      void* lpThreadLocalBase;
      void* lpStartAddress;
      void* lpImageName;
      WORD fUnicode;
    } CreateProcessInfo;
    DWORD ExitCode;
    struct {
      HANDLE hFile;
      void* lpBaseOfDll;
      DWORD dwDebugInfoFileOffset, nDebugInfoSize;
      void* lpImageName;
      WORD fUnicode;
    } LoadDll;
    void* UnloadDllBase;
  } u;
} DEBUG_EVENT;

enum {
  DbgIdle,
  DbgReplyPending,
  DbgCreateThreadStateChange,
  DbgCreateProcessStateChange,
  DbgExitThreadStateChange,
  DbgExitProcessStateChange,
  DbgExceptionStateChange,
  DbgBreakpointStateChange,
  DbgSingleStepStateChange,
  DbgLoadDllStateChange,
  DbgUnloadDllStateChange
};

#define EXCEPTION_DEBUG_EVENT 1
#define CREATE_THREAD_DEBUG_EVENT 2
#define CREATE_PROCESS_DEBUG_EVENT 3
#define EXIT_THREAD_DEBUG_EVENT 4
#define EXIT_PROCESS_DEBUG_EVENT 5
#define LOAD_DLL_DEBUG_EVENT 6
#define UNLOAD_DLL_DEBUG_EVENT 7
#define STATUS_BREAKPOINT ((NTSTATUS)0x80000003)

HANDLE NTAPI DbgUiGetThreadDebugObject(void);
void NTAPI DbgUiSetThreadDebugObject(HANDLE object);
NTSTATUS NTAPI DbgUiConnectToDbg(void);
NTSTATUS NTAPI DbgUiContinue(CLIENT_ID* client_id, NTSTATUS status);
NTSTATUS NTAPI DbgUiWaitStateChange(DBGUI_WAIT_STATE_CHANGE* state, LARGE_INTEGER* timeout);
NTSTATUS NTAPI DbgUiDebugActiveProcess(HANDLE process);
NTSTATUS NTAPI DbgUiStopDebugging(HANDLE process);
NTSTATUS NTAPI DbgUiConvertStateChangeStructure(DBGUI_WAIT_STATE_CHANGE* state, DEBUG_EVENT* event);
void NTAPI DbgBreakPoint(void);

static HANDLE teb_debug_object(void) {
  HANDLE object;
  __asm__ volatile("movq %%gs:0x16A8, %0" : "=r"(object)); /* TEB.DbgSsReserved[1] */
  return object;
}

static void* teb_self(void) {
  void* teb;
  __asm__("movq %%gs:0x30, %0" : "=r"(teb));
  return teb;
}

static void test_debug_object(void) {
  HANDLE saved = DbgUiGetThreadDebugObject();
  CHECK(saved == teb_debug_object());
  DbgUiSetThreadDebugObject((HANDLE)0x1234);
  CHECK(teb_debug_object() == (HANDLE)0x1234);
  CHECK(DbgUiGetThreadDebugObject() == (HANDLE)0x1234);
  /* With an object already there, connecting is a no-op. */
  CHECK_OK(DbgUiConnectToDbg());
  CHECK(DbgUiGetThreadDebugObject() == (HANDLE)0x1234);

  /* The wrappers hand the thread's object to the services: a bogus one fails. ntcore has no
   * debug objects yet (STATUS_NOT_IMPLEMENTED); Wine rejects the handle. */
  const NTSTATUS want = nt_is_wine() ? STATUS_INVALID_HANDLE : STATUS_NOT_IMPLEMENTED;
  CLIENT_ID id = {0, 0};
  LARGE_INTEGER zero;
  zero.QuadPart = 0;
  DBGUI_WAIT_STATE_CHANGE state;
  CHECK_STATUS(DbgUiWaitStateChange(&state, &zero), want);
  CHECK_FAILS(DbgUiContinue(&id, 0x00010002 /* DBG_CONTINUE */));
  CHECK_FAILS(DbgUiStopDebugging(NtCurrentProcess()));
  CHECK_FAILS(DbgUiDebugActiveProcess(NtCurrentProcess()));

  /* Connecting without an object creates one (on ireactor: the service is missing). */
  DbgUiSetThreadDebugObject(NULL);
  const NTSTATUS connected = DbgUiConnectToDbg();
  if (nt_is_wine()) {
    CHECK_OK(connected);
    CHECK(DbgUiGetThreadDebugObject() != NULL);
    CHECK_OK(NtClose(DbgUiGetThreadDebugObject()));
  } else {
    CHECK_STATUS(connected, STATUS_NOT_IMPLEMENTED);
    CHECK(DbgUiGetThreadDebugObject() == NULL);
  }
  DbgUiSetThreadDebugObject(saved);
}

static void fill(void* p, size_t n, BYTE value) {
  BYTE* b = p;
  while (n--) *b++ = value;
}

static void test_convert_state_change(void) {
  DBGUI_WAIT_STATE_CHANGE state;
  DEBUG_EVENT event;
  fill(&state, sizeof(state), 0);
  state.AppClientId.UniqueProcess = (HANDLE)0x40;
  state.AppClientId.UniqueThread = (HANDLE)0x44;

  state.NewState = DbgCreateThreadStateChange;
  state.StateInfo.CreateThread.HandleToThread = NtCurrentThread();
  state.StateInfo.CreateThread.StartAddress = (void*)0x1000;
  fill(&event, sizeof(event), 0xCC);
  CHECK_OK(DbgUiConvertStateChangeStructure(&state, &event));
  CHECK_EQ(event.dwDebugEventCode, CREATE_THREAD_DEBUG_EVENT);
  CHECK_EQ(event.dwProcessId, 0x40);
  CHECK_EQ(event.dwThreadId, 0x44);
  CHECK(event.u.CreateThread.hThread == NtCurrentThread());
  CHECK(event.u.CreateThread.lpStartAddress == (void*)0x1000);
  CHECK(event.u.CreateThread.lpThreadLocalBase == teb_self()); /* asked of the thread */

  fill(&state.StateInfo, sizeof(state.StateInfo), 0);
  state.NewState = DbgCreateProcessStateChange;
  state.StateInfo.CreateProcessInfo.HandleToProcess = (HANDLE)0x50;
  state.StateInfo.CreateProcessInfo.HandleToThread = NtCurrentThread();
  state.StateInfo.CreateProcessInfo.FileHandle = (HANDLE)0x58;
  state.StateInfo.CreateProcessInfo.BaseOfImage = (void*)0x140000000;
  state.StateInfo.CreateProcessInfo.DebugInfoFileOffset = 0x200;
  state.StateInfo.CreateProcessInfo.DebugInfoSize = 0x30;
  state.StateInfo.CreateProcessInfo.StartAddress = (void*)0x140001000;
  fill(&event, sizeof(event), 0xCC);
  CHECK_OK(DbgUiConvertStateChangeStructure(&state, &event));
  CHECK_EQ(event.dwDebugEventCode, CREATE_PROCESS_DEBUG_EVENT);
  CHECK(event.u.CreateProcessInfo.hProcess == (HANDLE)0x50);
  CHECK(event.u.CreateProcessInfo.hThread == NtCurrentThread());
  CHECK(event.u.CreateProcessInfo.hFile == (HANDLE)0x58);
  CHECK(event.u.CreateProcessInfo.lpBaseOfImage == (void*)0x140000000);
  CHECK_EQ(event.u.CreateProcessInfo.dwDebugInfoFileOffset, 0x200);
  CHECK_EQ(event.u.CreateProcessInfo.nDebugInfoSize, 0x30);
  CHECK(event.u.CreateProcessInfo.lpStartAddress == (void*)0x140001000);
  CHECK(event.u.CreateProcessInfo.lpThreadLocalBase == teb_self());
  CHECK(event.u.CreateProcessInfo.lpImageName == NULL);
  CHECK_EQ(event.u.CreateProcessInfo.fUnicode, 1);

  state.NewState = DbgExitThreadStateChange;
  state.StateInfo.ExitStatus = 7;
  CHECK_OK(DbgUiConvertStateChangeStructure(&state, &event));
  CHECK_EQ(event.dwDebugEventCode, EXIT_THREAD_DEBUG_EVENT);
  CHECK_EQ(event.u.ExitCode, 7);
  state.NewState = DbgExitProcessStateChange;
  state.StateInfo.ExitStatus = 9;
  CHECK_OK(DbgUiConvertStateChangeStructure(&state, &event));
  CHECK_EQ(event.dwDebugEventCode, EXIT_PROCESS_DEBUG_EVENT);
  CHECK_EQ(event.u.ExitCode, 9);

  /* Exceptions, breakpoints and single steps are all exception events. */
  const ULONG exception_states[] = {DbgExceptionStateChange, DbgBreakpointStateChange,
                                    DbgSingleStepStateChange};
  for (int i = 0; i < 3; ++i) {
    fill(&state.StateInfo, sizeof(state.StateInfo), 0);
    state.NewState = exception_states[i];
    state.StateInfo.Exception.ExceptionRecord.ExceptionCode = STATUS_BREAKPOINT;
    state.StateInfo.Exception.ExceptionRecord.ExceptionAddress = (void*)0x1234;
    state.StateInfo.Exception.ExceptionRecord.NumberParameters = 1;
    state.StateInfo.Exception.ExceptionRecord.ExceptionInformation[0] = 42;
    state.StateInfo.Exception.FirstChance = 1;
    fill(&event, sizeof(event), 0xCC);
    CHECK_OK(DbgUiConvertStateChangeStructure(&state, &event));
    CHECK_EQ(event.dwDebugEventCode, EXCEPTION_DEBUG_EVENT);
    CHECK_EQ(event.u.Exception.ExceptionRecord.ExceptionCode, STATUS_BREAKPOINT);
    CHECK(event.u.Exception.ExceptionRecord.ExceptionAddress == (void*)0x1234);
    CHECK_EQ(event.u.Exception.ExceptionRecord.ExceptionInformation[0], 42);
    CHECK_EQ(event.u.Exception.dwFirstChance, 1);
  }

  fill(&state.StateInfo, sizeof(state.StateInfo), 0);
  state.NewState = DbgLoadDllStateChange;
  state.StateInfo.LoadDll.FileHandle = (HANDLE)0x60;
  state.StateInfo.LoadDll.BaseOfDll = (void*)0x180000000;
  state.StateInfo.LoadDll.DebugInfoFileOffset = 0x10;
  state.StateInfo.LoadDll.DebugInfoSize = 0x20;
  state.StateInfo.LoadDll.NamePointer = (void*)0x7000;
  fill(&event, sizeof(event), 0xCC);
  CHECK_OK(DbgUiConvertStateChangeStructure(&state, &event));
  CHECK_EQ(event.dwDebugEventCode, LOAD_DLL_DEBUG_EVENT);
  CHECK(event.u.LoadDll.hFile == (HANDLE)0x60);
  CHECK(event.u.LoadDll.lpBaseOfDll == (void*)0x180000000);
  CHECK_EQ(event.u.LoadDll.dwDebugInfoFileOffset, 0x10);
  CHECK_EQ(event.u.LoadDll.nDebugInfoSize, 0x20);
  CHECK(event.u.LoadDll.lpImageName == (void*)0x7000);
  CHECK_EQ(event.u.LoadDll.fUnicode, 1);

  state.NewState = DbgUnloadDllStateChange;
  state.StateInfo.UnloadDllBase = (void*)0x180000000;
  CHECK_OK(DbgUiConvertStateChangeStructure(&state, &event));
  CHECK_EQ(event.dwDebugEventCode, UNLOAD_DLL_DEBUG_EVENT);
  CHECK(event.u.UnloadDllBase == (void*)0x180000000);

  state.NewState = DbgIdle;
  CHECK_STATUS(DbgUiConvertStateChangeStructure(&state, &event), STATUS_UNSUCCESSFUL);
  state.NewState = DbgReplyPending;
  CHECK_STATUS(DbgUiConvertStateChangeStructure(&state, &event), STATUS_UNSUCCESSFUL);
}

/* DbgBreakPoint is int3; ret: without a debugger, a breakpoint exception at its first byte. A
 * vectored handler steps over the int3 and execution goes on after the call. */
typedef struct {
  EXCEPTION_RECORD* ExceptionRecord;
  BYTE* ContextRecord; /* CONTEXT: Rip at 0xF8 */
} EXCEPTION_POINTERS;

void* NTAPI RtlAddVectoredExceptionHandler(ULONG first, LONG(NTAPI* handler)(EXCEPTION_POINTERS*));
ULONG NTAPI RtlRemoveVectoredExceptionHandler(void* handle);

static void* breakpoint_address;
static int breakpoints_seen;

static LONG NTAPI on_breakpoint(EXCEPTION_POINTERS* pointers) {
  if (pointers->ExceptionRecord->ExceptionCode != STATUS_BREAKPOINT) return 0;
  breakpoints_seen++;
  breakpoint_address = pointers->ExceptionRecord->ExceptionAddress;
  ULONG_PTR* rip = (ULONG_PTR*)(pointers->ContextRecord + 0xF8);
  if (*(BYTE*)*rip == 0xCC) *rip += 1; /* Rip points at the int3 */
  return -1;                           /* EXCEPTION_CONTINUE_EXECUTION */
}

extern BYTE* __imp_DbgBreakPoint; /* the export itself, not the import thunk */

static void test_break_point(void) {
  CHECK_EQ(__imp_DbgBreakPoint[0], 0xCC); /* int3 */
  CHECK_EQ(__imp_DbgBreakPoint[1], 0xC3); /* ret */
  void* handler = RtlAddVectoredExceptionHandler(1, on_breakpoint);
  CHECK(handler != NULL);
  DbgBreakPoint();
  CHECK_EQ(breakpoints_seen, 1);
  CHECK(breakpoint_address == __imp_DbgBreakPoint);
  RtlRemoveVectoredExceptionHandler(handler);
}

/* ---- Private object security (RtlNewSecurityObject and friends) ---- */

NTSTATUS NTAPI RtlNewSecurityObject(void* parent, void* creator, void** result,
                                    BOOLEAN is_directory, HANDLE token,
                                    const GENERIC_MAPPING* mapping);
NTSTATUS NTAPI RtlNewSecurityObjectEx(void* parent, void* creator, void** result, GUID* type,
                                      BOOLEAN is_directory, ULONG auto_inherit, HANDLE token,
                                      const GENERIC_MAPPING* mapping);
NTSTATUS NTAPI RtlDeleteSecurityObject(void** descriptor);
NTSTATUS NTAPI RtlConvertToAutoInheritSecurityObject(void* parent, void* current, void** result,
                                                     GUID* type, BOOLEAN is_directory,
                                                     const GENERIC_MAPPING* mapping);
#define STATUS_INVALID_OWNER ((NTSTATUS)0xC000005A)
NTSTATUS NTAPI RtlImpersonateSelf(ULONG level);
NTSTATUS NTAPI NtSetInformationThread(HANDLE thread, ULONG info_class, void* info, ULONG length);

#define SEF_DACL_AUTO_INHERIT 0x01
#define SE_DACL_AUTO_INHERITED 0x0400
#define INHERIT_ONLY_ACE 0x08
#define NO_PROPAGATE_INHERIT_ACE 0x04

static const GENERIC_MAPPING file_mapping = {0x120089, 0x120116, 0x1200A0, 0x1F01FF};
static SID_IDENTIFIER_AUTHORITY creator_authority = {{0, 0, 0, 0, 0, 3}};

/* The i-th ACE of the new descriptor's DACL, or a zeroed one. */
static KNOWN_ACE* dacl_ace(void* sd, ULONG index) {
  static KNOWN_ACE none;
  BOOLEAN present = FALSE, defaulted;
  ACL* acl = NULL;
  void* ace = &none;
  if (RtlGetDaclSecurityDescriptor(sd, &present, &acl, &defaulted) || !present || !acl ||
      RtlGetAce(acl, index, &ace))
    return &none;
  return ace;
}

static WORD dacl_count(void* sd) {
  BOOLEAN present = FALSE, defaulted;
  ACL* acl = NULL;
  if (RtlGetDaclSecurityDescriptor(sd, &present, &acl, &defaulted) || !present || !acl) return 0;
  return acl->AceCount;
}

static void test_new_security_object(void) {
  /* Wine 8's RtlNewSecurityObject* are stubs. */
  if (nt_is_wine()) {
    nt_note("RtlNewSecurityObject: not checked under Wine (a stub there)");
    return;
  }
  const DWORD subs[] = {32, 544, 545};
  SID admins = make_sid(&nt_authority, 2, subs);
  SID users = make_sid(&nt_authority, 2, (const DWORD[]){32, 545});
  SID world = make_sid(&world_authority, 1, (const DWORD[]){0});
  SID creator_owner = make_sid(&creator_authority, 1, (const DWORD[]){0});

  /* Explicit parts only: owner, group and DACL from the creator, generic rights mapped. */
  DWORD creator_dacl_buffer[32];
  ACL* creator_dacl = new_acl(creator_dacl_buffer, 128);
  CHECK_OK(RtlAddAccessAllowedAce(creator_dacl, ACL_REVISION, GENERIC_READ, &users));
  SECURITY_DESCRIPTOR creator;
  CHECK_OK(RtlCreateSecurityDescriptor(&creator, 1));
  CHECK_OK(RtlSetOwnerSecurityDescriptor(&creator, &admins, FALSE));
  CHECK_OK(RtlSetGroupSecurityDescriptor(&creator, &users, FALSE));
  CHECK_OK(RtlSetDaclSecurityDescriptor(&creator, TRUE, creator_dacl, FALSE));
  void* sd = NULL;
  CHECK_OK(RtlNewSecurityObject(NULL, &creator, &sd, FALSE, NULL, &file_mapping));
  CHECK(sd != NULL);
  CHECK(sd_valid(sd));
  CHECK(((SECURITY_DESCRIPTOR_RELATIVE*)sd)->Control & SE_SELF_RELATIVE);
  void* sid = NULL;
  BOOLEAN defaulted;
  CHECK_OK(RtlGetOwnerSecurityDescriptor(sd, &sid, &defaulted));
  CHECK(sid && RtlEqualSid(sid, &admins));
  CHECK_OK(RtlGetGroupSecurityDescriptor(sd, &sid, &defaulted));
  CHECK(sid && RtlEqualSid(sid, &users));
  CHECK_EQ(dacl_count(sd), 1);
  CHECK_EQ(dacl_ace(sd, 0)->Mask, 0x120089);
  CHECK_OK(RtlDeleteSecurityObject(&sd));
  CHECK(sd == NULL);

  /* Inheritance from a parent DACL when the creator gives none. */
  DWORD parent_dacl_buffer[64];
  ACL* parent_dacl = new_acl(parent_dacl_buffer, 256);
  CHECK_OK(RtlAddAccessAllowedAceEx(
      parent_dacl, ACL_REVISION, OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE, GENERIC_READ, &world));
  CHECK_OK(
      RtlAddAccessAllowedAceEx(parent_dacl, ACL_REVISION, CONTAINER_INHERIT_ACE, 0x1, &admins));
  CHECK_OK(RtlAddAccessAllowedAce(parent_dacl, ACL_REVISION, 0x2, &users)); /* not inherited */
  CHECK_OK(RtlAddAccessAllowedAceEx(parent_dacl, ACL_REVISION,
                                    OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE, GENERIC_ALL,
                                    &creator_owner));
  SECURITY_DESCRIPTOR parent;
  CHECK_OK(RtlCreateSecurityDescriptor(&parent, 1));
  CHECK_OK(RtlSetOwnerSecurityDescriptor(&parent, &admins, FALSE));
  CHECK_OK(RtlSetDaclSecurityDescriptor(&parent, TRUE, parent_dacl, FALSE));
  CHECK_OK(RtlSetDaclSecurityDescriptor(&creator, FALSE, NULL, FALSE));

  /* A file: the object-inheritable ACEs, made effective; CREATOR OWNER becomes the owner. */
  CHECK_OK(RtlNewSecurityObject(&parent, &creator, &sd, FALSE, NULL, &file_mapping));
  CHECK_EQ(dacl_count(sd), 2);
  CHECK_EQ(dacl_ace(sd, 0)->Header.AceFlags, 0);
  CHECK_EQ(dacl_ace(sd, 0)->Mask, 0x120089);
  CHECK(RtlEqualSid(&dacl_ace(sd, 0)->SidStart, &world));
  CHECK_EQ(dacl_ace(sd, 1)->Mask, 0x1F01FF);
  CHECK(RtlEqualSid(&dacl_ace(sd, 1)->SidStart, &admins));
  RtlDeleteSecurityObject(&sd);

  /* A directory: container-inheritable ACEs stay inheritable; CREATOR OWNER splits into an
   * effective ACE for the owner and an inherit-only one for the children. */
  CHECK_OK(RtlNewSecurityObject(&parent, &creator, &sd, TRUE, NULL, &file_mapping));
  CHECK_EQ(dacl_count(sd), 4);
  CHECK_EQ(dacl_ace(sd, 0)->Header.AceFlags, OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE);
  CHECK(RtlEqualSid(&dacl_ace(sd, 0)->SidStart, &world));
  CHECK_EQ(dacl_ace(sd, 1)->Header.AceFlags, CONTAINER_INHERIT_ACE);
  CHECK_EQ(dacl_ace(sd, 1)->Mask, 0x1);
  CHECK_EQ(dacl_ace(sd, 2)->Header.AceFlags, 0);
  CHECK(RtlEqualSid(&dacl_ace(sd, 2)->SidStart, &admins));
  CHECK_EQ(dacl_ace(sd, 2)->Mask, 0x1F01FF);
  CHECK_EQ(dacl_ace(sd, 3)->Header.AceFlags,
           OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE | INHERIT_ONLY_ACE);
  CHECK(RtlEqualSid(&dacl_ace(sd, 3)->SidStart, &creator_owner));
  CHECK_EQ(dacl_ace(sd, 3)->Mask, GENERIC_ALL);
  RtlDeleteSecurityObject(&sd);

  /* Auto-inheritance: the creator's explicit ACEs first, then the parent's, marked inherited. */
  CHECK_OK(RtlSetDaclSecurityDescriptor(&creator, TRUE, creator_dacl, FALSE));
  CHECK_OK(RtlNewSecurityObjectEx(&parent, &creator, &sd, NULL, FALSE, SEF_DACL_AUTO_INHERIT, NULL,
                                  &file_mapping));
  CHECK_EQ(dacl_count(sd), 3);
  CHECK(RtlEqualSid(&dacl_ace(sd, 0)->SidStart, &users));
  CHECK_EQ(dacl_ace(sd, 0)->Header.AceFlags, 0);
  CHECK_EQ(dacl_ace(sd, 1)->Header.AceFlags, INHERITED_ACE);
  CHECK_EQ(dacl_ace(sd, 2)->Header.AceFlags, INHERITED_ACE);
  CHECK(((SECURITY_DESCRIPTOR_RELATIVE*)sd)->Control & SE_DACL_AUTO_INHERITED);
  RtlDeleteSecurityObject(&sd);
  /* Without it, an explicit DACL is all there is. */
  CHECK_OK(RtlNewSecurityObject(&parent, &creator, &sd, FALSE, NULL, &file_mapping));
  CHECK_EQ(dacl_count(sd), 1);
  RtlDeleteSecurityObject(&sd);

  /* No owner from the creator: the token must say, and ntcore serves no tokens yet. */
  CHECK_OK(RtlSetOwnerSecurityDescriptor(&creator, NULL, FALSE));
  CHECK_STATUS(RtlNewSecurityObject(&parent, &creator, &sd, FALSE, NULL, &file_mapping),
               STATUS_NOT_IMPLEMENTED);
}

/* Conversion to auto-inheritance: the ACEs the parent passes down are recognised and marked
 * INHERITED_ACE after the explicit ones; a protected DACL is left alone. */
static void test_convert_to_auto_inherit(void) {
  if (nt_is_wine()) return; /* a stub in Wine 8 */
  SID admins = make_sid(&nt_authority, 2, (const DWORD[]){32, 544});
  SID users = make_sid(&nt_authority, 2, (const DWORD[]){32, 545});
  SID world = make_sid(&world_authority, 1, (const DWORD[]){0});
  DWORD parent_buffer[32], current_buffer[32];
  ACL* parent_dacl = new_acl(parent_buffer, 128);
  CHECK_OK(RtlAddAccessAllowedAceEx(
      parent_dacl, ACL_REVISION, OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE, GENERIC_READ, &world));
  SECURITY_DESCRIPTOR parent, current;
  CHECK_OK(RtlCreateSecurityDescriptor(&parent, 1));
  CHECK_OK(RtlSetDaclSecurityDescriptor(&parent, TRUE, parent_dacl, FALSE));
  ACL* current_dacl = new_acl(current_buffer, 128);
  CHECK_OK(RtlAddAccessAllowedAce(current_dacl, ACL_REVISION, 0x120089, &world)); /* inherited */
  CHECK_OK(RtlAddAccessAllowedAce(current_dacl, ACL_REVISION, 0x2, &users));      /* explicit */
  CHECK_OK(RtlCreateSecurityDescriptor(&current, 1));
  CHECK_OK(RtlSetOwnerSecurityDescriptor(&current, &admins, FALSE));
  CHECK_OK(RtlSetGroupSecurityDescriptor(&current, &users, FALSE));
  CHECK_OK(RtlSetDaclSecurityDescriptor(&current, TRUE, current_dacl, FALSE));

  void* sd = NULL;
  CHECK_OK(
      RtlConvertToAutoInheritSecurityObject(&parent, &current, &sd, NULL, FALSE, &file_mapping));
  CHECK(sd_valid(sd));
  CHECK(((SECURITY_DESCRIPTOR_RELATIVE*)sd)->Control & SE_DACL_AUTO_INHERITED);
  CHECK_EQ(dacl_count(sd), 2);
  CHECK(RtlEqualSid(&dacl_ace(sd, 0)->SidStart, &users));
  CHECK_EQ(dacl_ace(sd, 0)->Header.AceFlags, 0);
  CHECK(RtlEqualSid(&dacl_ace(sd, 1)->SidStart, &world));
  CHECK_EQ(dacl_ace(sd, 1)->Header.AceFlags, INHERITED_ACE);
  CHECK_EQ(dacl_ace(sd, 1)->Mask, 0x120089);
  void* owner = NULL;
  BOOLEAN defaulted;
  CHECK_OK(RtlGetOwnerSecurityDescriptor(sd, &owner, &defaulted));
  CHECK(owner && RtlEqualSid(owner, &admins));
  RtlDeleteSecurityObject(&sd);

  CHECK_OK(RtlSetControlSecurityDescriptor(&current, SE_DACL_PROTECTED, SE_DACL_PROTECTED));
  CHECK_OK(
      RtlConvertToAutoInheritSecurityObject(&parent, &current, &sd, NULL, FALSE, &file_mapping));
  CHECK_EQ(dacl_count(sd), 2);
  CHECK(RtlEqualSid(&dacl_ace(sd, 0)->SidStart, &world));
  CHECK_EQ(dacl_ace(sd, 0)->Header.AceFlags, 0);
  RtlDeleteSecurityObject(&sd);

  CHECK_OK(RtlSetOwnerSecurityDescriptor(&current, NULL, FALSE));
  CHECK_STATUS(
      RtlConvertToAutoInheritSecurityObject(&parent, &current, &sd, NULL, FALSE, &file_mapping),
      STATUS_INVALID_OWNER);
}

/* RtlImpersonateSelf: on Wine the thread gets an impersonation token (dropped again here); on
 * ireactor the token services are missing. */
static void test_impersonate_self(void) {
  const NTSTATUS status = RtlImpersonateSelf(2 /* SecurityImpersonation */);
  if (nt_is_wine()) {
    CHECK_OK(status);
    HANDLE none = NULL;
    CHECK_OK(NtSetInformationThread(NtCurrentThread(), 5 /* ThreadImpersonationToken */, &none,
                                    sizeof(none)));
  } else {
    CHECK_STATUS(status, STATUS_NOT_IMPLEMENTED);
  }
}

void test_main(void) {
  test_sid_basics();
  test_sid_allocate();
  test_sid_copy_compare();
  test_sid_string();
  test_acl_create();
  test_known_aces();
  test_object_and_mandatory_aces();
  test_add_ace();
  test_sd_absolute();
  test_sd_self_relative();
  test_access_masks();
  test_debug_object();
  test_convert_state_change();
  test_break_point();
  test_new_security_object();
  test_convert_to_auto_inherit();
  test_impersonate_self();
}
