/* The registry: the Nt*Key services against a scratch key under
 * \Registry\Machine\Software\ireactor-test, the keys kernelbase reads at start, and the registry
 * family's Rtl exports (RtlOpenCurrentUser, RtlFormatCurrentUserKeyPath, RtlCheckRegistryKey,
 * RtlWriteRegistryValue, RtlDeleteRegistryValue). */
#include "nttest.h"

#define STATUS_NO_MORE_ENTRIES ((NTSTATUS)0x8000001A)
#define STATUS_KEY_DELETED ((NTSTATUS)0xC000017C)
#define STATUS_CHILD_MUST_BE_VOLATILE ((NTSTATUS)0xC0000181)

#define KEY_QUERY_VALUE 0x0001
#define KEY_SET_VALUE 0x0002
#define KEY_ENUMERATE_SUB_KEYS 0x0008
#define KEY_ALL_ACCESS 0xF003F
#define KEY_READ 0x20019
#define REG_OPTION_NON_VOLATILE 0
#define REG_OPTION_VOLATILE 1
#define REG_CREATED_NEW_KEY 1
#define REG_OPENED_EXISTING_KEY 2
#define REG_SZ 1
#define REG_BINARY 3
#define REG_DWORD 4
#define RTL_REGISTRY_ABSOLUTE 0
#define RTL_REGISTRY_WINDOWS_NT 3
#define RTL_REGISTRY_USER 5
#define RTL_REGISTRY_HANDLE 0x40000000

enum {
  KeyBasicInformation,
  KeyNodeInformation,
  KeyFullInformation,
  KeyNameInformation,
  KeyCachedInformation
};
enum {
  KeyValueBasicInformation,
  KeyValueFullInformation,
  KeyValuePartialInformation,
  KeyValueFullInformationAlign64,
  KeyValuePartialInformationAlign64
};

typedef struct {
  LARGE_INTEGER LastWriteTime;
  ULONG TitleIndex;
  ULONG NameLength;
  WCHAR Name[1];
} KEY_BASIC_INFORMATION;
typedef struct {
  LARGE_INTEGER LastWriteTime;
  ULONG TitleIndex, ClassOffset, ClassLength, SubKeys, MaxNameLen, MaxClassLen, Values,
      MaxValueNameLen, MaxValueDataLen;
  WCHAR Class[1];
} KEY_FULL_INFORMATION;
typedef struct {
  ULONG NameLength;
  WCHAR Name[1];
} KEY_NAME_INFORMATION;
typedef struct {
  LARGE_INTEGER LastWriteTime;
  ULONG TitleIndex, ClassOffset, ClassLength, NameLength;
  WCHAR Name[1];
} KEY_NODE_INFORMATION;
typedef struct {
  ULONG TitleIndex, Type, DataLength;
  UCHAR Data[1];
} KEY_VALUE_PARTIAL_INFORMATION;
typedef struct {
  ULONG TitleIndex, Type, NameLength;
  WCHAR Name[1];
} KEY_VALUE_BASIC_INFORMATION;
typedef struct {
  ULONG TitleIndex, Type, DataOffset, DataLength, NameLength;
  WCHAR Name[1];
} KEY_VALUE_FULL_INFORMATION;

NTSTATUS NTAPI NtCreateKey(HANDLE*, ACCESS_MASK, POBJECT_ATTRIBUTES, ULONG, UNICODE_STRING*, ULONG,
                           ULONG*);
NTSTATUS NTAPI NtOpenKey(HANDLE*, ACCESS_MASK, POBJECT_ATTRIBUTES);
NTSTATUS NTAPI NtOpenKeyEx(HANDLE*, ACCESS_MASK, POBJECT_ATTRIBUTES, ULONG);
NTSTATUS NTAPI NtDeleteKey(HANDLE);
NTSTATUS NTAPI NtRenameKey(HANDLE, UNICODE_STRING*);
NTSTATUS NTAPI NtFlushKey(HANDLE);
NTSTATUS NTAPI NtQueryKey(HANDLE, int, void*, ULONG, ULONG*);
NTSTATUS NTAPI NtEnumerateKey(HANDLE, ULONG, int, void*, ULONG, ULONG*);
NTSTATUS NTAPI NtSetInformationKey(HANDLE, int, void*, ULONG);
NTSTATUS NTAPI NtQueryValueKey(HANDLE, UNICODE_STRING*, int, void*, ULONG, ULONG*);
NTSTATUS NTAPI NtEnumerateValueKey(HANDLE, ULONG, int, void*, ULONG, ULONG*);
NTSTATUS NTAPI NtSetValueKey(HANDLE, UNICODE_STRING*, ULONG, ULONG, const void*, ULONG);
NTSTATUS NTAPI NtDeleteValueKey(HANDLE, UNICODE_STRING*);
NTSTATUS NTAPI RtlOpenCurrentUser(ACCESS_MASK, HANDLE*);
NTSTATUS NTAPI RtlFormatCurrentUserKeyPath(UNICODE_STRING*);
void NTAPI RtlFreeUnicodeString(UNICODE_STRING*);
NTSTATUS NTAPI RtlCheckRegistryKey(ULONG, const WCHAR*);
NTSTATUS NTAPI RtlWriteRegistryValue(ULONG, const WCHAR*, const WCHAR*, ULONG, void*, ULONG);
NTSTATUS NTAPI RtlDeleteRegistryValue(ULONG, const WCHAR*, const WCHAR*);

#define SCRATCH L"\\Registry\\Machine\\Software\\ireactor-test"

static ULONG wlen(const WCHAR* s) {
  ULONG n = 0;
  while (s[n]) ++n;
  return n;
}

static NTSTATUS create_key(HANDLE* h, HANDLE root, const WCHAR* name, ULONG options,
                           ULONG* disposition) {
  NT_NAME n;
  return NtCreateKey(h, KEY_ALL_ACCESS, nt_name(&n, name, root), 0, NULL, options, disposition);
}

static NTSTATUS open_key(HANDLE* h, HANDLE root, const WCHAR* name, ACCESS_MASK access) {
  NT_NAME n;
  return NtOpenKey(h, access, nt_name(&n, name, root));
}

static NTSTATUS set_value(HANDLE h, const WCHAR* name, ULONG type, const void* data, ULONG size) {
  UNICODE_STRING us;
  nt_init_ustr(&us, name);
  return NtSetValueKey(h, &us, 0, type, data, size);
}

static NTSTATUS query_value(HANDLE h, const WCHAR* name, int cls, void* buf, ULONG len,
                            ULONG* result) {
  UNICODE_STRING us;
  nt_init_ustr(&us, name);
  return NtQueryValueKey(h, &us, cls, buf, len, result);
}

/* Removes the scratch tree a failed earlier run may have left (two levels deep at most). */
static void delete_tree(HANDLE root, const WCHAR* name) {
  HANDLE h;
  if (open_key(&h, root, name, KEY_ALL_ACCESS) != STATUS_SUCCESS) return;
  ULONG buf[128], len;
  while (NtEnumerateKey(h, 0, KeyBasicInformation, buf, sizeof buf, &len) == STATUS_SUCCESS) {
    KEY_BASIC_INFORMATION* b = (KEY_BASIC_INFORMATION*)buf;
    b->Name[b->NameLength / 2] = 0;
    WCHAR sub[128];
    memcpy(sub, b->Name, b->NameLength + 2);
    delete_tree(h, sub);
  }
  NtDeleteKey(h);
  NtClose(h);
}

static void test_create_open(HANDLE* scratch) {
  ULONG disp = 0;
  delete_tree(NULL, SCRATCH);
  CHECK_OK(create_key(scratch, NULL, SCRATCH, 0, &disp));
  CHECK_EQ(disp, REG_CREATED_NEW_KEY);
  HANDLE h;
  disp = 0;
  CHECK_OK(create_key(&h, NULL, L"\\REGISTRY\\MACHINE\\software\\IREACTOR-TEST", 0, &disp));
  CHECK_EQ(disp, REG_OPENED_EXISTING_KEY);
  NtClose(h);

  /* Relative to a key handle, with and without a trailing backslash. */
  CHECK_OK(create_key(&h, *scratch, L"Child", 0, &disp));
  CHECK_EQ(disp, REG_CREATED_NEW_KEY);
  NtClose(h);
  CHECK_OK(open_key(&h, *scratch, L"child", KEY_READ));
  NtClose(h);
  CHECK_OK(open_key(&h, NULL, SCRATCH L"\\CHILD", KEY_READ));
  NtClose(h);
  NT_NAME ex;
  CHECK_OK(NtOpenKeyEx(&h, KEY_READ, nt_name(&ex, L"Child", *scratch), 0));
  NtClose(h);

  /* NtCreateKey makes one level: a missing parent is an error, not created on the way. */
  CHECK_STATUS(create_key(&h, *scratch, L"missing\\leaf", 0, NULL), STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK_STATUS(open_key(&h, *scratch, L"missing", KEY_READ), STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK_STATUS(open_key(&h, NULL, SCRATCH L"\\missing\\deeper", KEY_READ),
               STATUS_OBJECT_NAME_NOT_FOUND);
  /* Names must be absolute without a root and relative with one. */
  CHECK_STATUS(open_key(&h, NULL, L"Machine\\Software", KEY_READ), STATUS_OBJECT_PATH_SYNTAX_BAD);
  CHECK_STATUS(open_key(&h, *scratch, L"\\Child", KEY_READ), STATUS_OBJECT_PATH_SYNTAX_BAD);
  CHECK_STATUS(open_key(&h, (HANDLE)(ULONG_PTR)0xfff0, L"Child", KEY_READ), STATUS_INVALID_HANDLE);
  /* A bad output pointer. */
  NT_NAME n;
  CHECK_STATUS(NtOpenKey((HANDLE*)(ULONG_PTR)8, KEY_READ, nt_name(&n, SCRATCH, NULL)),
               STATUS_ACCESS_VIOLATION);
  CHECK_STATUS(
      NtCreateKey((HANDLE*)(ULONG_PTR)8, KEY_READ, nt_name(&n, SCRATCH, NULL), 0, NULL, 0, NULL),
      STATUS_ACCESS_VIOLATION);

  /* Volatile keys can only have volatile children. */
  HANDLE v;
  CHECK_OK(create_key(&v, *scratch, L"Volatile", REG_OPTION_VOLATILE, &disp));
  CHECK_STATUS(create_key(&h, v, L"Stable", REG_OPTION_NON_VOLATILE, &disp),
               STATUS_CHILD_MUST_BE_VOLATILE);
  CHECK_OK(create_key(&h, v, L"AlsoVolatile", REG_OPTION_VOLATILE, &disp));
  CHECK_OK(NtDeleteKey(h));
  NtClose(h);
  CHECK_OK(NtDeleteKey(v));
  NtClose(v);
}

static void test_values(HANDLE key) {
  static const WCHAR text[] = L"hello";
  const ULONG dword = 0x12345678;
  ULONG buf[64], len = 0;
  CHECK_OK(set_value(key, L"Text", REG_SZ, text, sizeof text));
  CHECK_OK(set_value(key, L"Number", REG_DWORD, &dword, sizeof dword));
  CHECK_OK(set_value(key, L"", REG_BINARY, "\1\2\3", 3)); /* the default value */
  CHECK_OK(set_value(key, L"Empty", REG_BINARY, NULL, 0));

  KEY_VALUE_PARTIAL_INFORMATION* p = (KEY_VALUE_PARTIAL_INFORMATION*)buf;
  CHECK_OK(query_value(key, L"TEXT", KeyValuePartialInformation, buf, sizeof buf, &len));
  CHECK_EQ(len, 12 + sizeof text);
  CHECK_EQ(p->Type, REG_SZ);
  CHECK_EQ(p->DataLength, sizeof text);
  CHECK(memcmp(p->Data, text, sizeof text) == 0);
  CHECK_OK(query_value(key, L"Number", KeyValuePartialInformation, buf, sizeof buf, &len));
  CHECK_EQ(*(ULONG*)p->Data, dword);
  CHECK_OK(query_value(key, L"", KeyValuePartialInformation, buf, sizeof buf, &len));
  CHECK_EQ(p->DataLength, 3);
  CHECK_OK(query_value(key, L"Empty", KeyValuePartialInformation, buf, sizeof buf, &len));
  CHECK_EQ(p->DataLength, 0);
  CHECK_EQ(len, 12);

  /* Too small for the fixed part: nothing, but the size needed. Room for the fixed part only:
   * the header with the full lengths and STATUS_BUFFER_OVERFLOW. */
  len = 0;
  CHECK_STATUS(query_value(key, L"Text", KeyValuePartialInformation, buf, 4, &len),
               STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(len, 12 + sizeof text);
  memset(buf, 0, sizeof buf);
  CHECK_STATUS(query_value(key, L"Text", KeyValuePartialInformation, buf, 14, &len),
               STATUS_BUFFER_OVERFLOW);
  CHECK_EQ(len, 12 + sizeof text);
  CHECK_EQ(p->Type, REG_SZ);
  CHECK_EQ(p->DataLength, sizeof text);

  KEY_VALUE_BASIC_INFORMATION* b = (KEY_VALUE_BASIC_INFORMATION*)buf;
  CHECK_OK(query_value(key, L"number", KeyValueBasicInformation, buf, sizeof buf, &len));
  CHECK_EQ(b->Type, REG_DWORD);
  CHECK_EQ(b->NameLength, 12);
  /* Windows returns the name as stored, Wine the name as asked for: compare without case. */
  CHECK(nt_ustr_ieq(b->Name, b->NameLength, L"Number"));
  CHECK_EQ(len, 12 + 12);

  KEY_VALUE_FULL_INFORMATION* f = (KEY_VALUE_FULL_INFORMATION*)buf;
  CHECK_OK(query_value(key, L"Number", KeyValueFullInformation, buf, sizeof buf, &len));
  CHECK_EQ(f->Type, REG_DWORD);
  CHECK_EQ(f->DataLength, 4);
  CHECK_EQ(f->NameLength, 12);
  CHECK(f->DataOffset >= 20 + 12);
  CHECK_EQ(*(ULONG*)((char*)buf + f->DataOffset), dword);
  CHECK_EQ(len, f->DataOffset + 4);

  CHECK_STATUS(query_value(key, L"absent", KeyValuePartialInformation, buf, sizeof buf, &len),
               STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK_STATUS(query_value(key, L"Text", 99, buf, sizeof buf, &len), STATUS_INVALID_PARAMETER);

  /* Replacing keeps one value. The enumeration order is not specified (Windows: creation order,
   * Wine: sorted by name): each value comes exactly once. */
  CHECK_OK(set_value(key, L"text", REG_SZ, L"x", 4));
  const WCHAR* names[] = {L"Text", L"Number", L"", L"Empty"};
  ULONG seen[4] = {0};
  for (ULONG i = 0; i < 4; ++i) {
    CHECK_OK(NtEnumerateValueKey(key, i, KeyValueBasicInformation, buf, sizeof buf, &len));
    for (ULONG j = 0; j < 4; ++j)
      if (nt_ustr_ieq(b->Name, b->NameLength, names[j])) ++seen[j];
  }
  for (ULONG j = 0; j < 4; ++j) CHECK_EQ(seen[j], 1);
  CHECK_STATUS(NtEnumerateValueKey(key, 4, KeyValueBasicInformation, buf, sizeof buf, &len),
               STATUS_NO_MORE_ENTRIES);

  UNICODE_STRING us;
  nt_init_ustr(&us, L"Empty");
  CHECK_OK(NtDeleteValueKey(key, &us));
  CHECK_STATUS(NtDeleteValueKey(key, &us), STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK_STATUS(NtSetValueKey(key, &us, 0, REG_BINARY, (void*)(ULONG_PTR)8, 4),
               STATUS_ACCESS_VIOLATION);
}

static void test_query_key(HANDLE scratch) {
  ULONG buf[128], len = 0;
  HANDLE a, b;
  CHECK_OK(create_key(&b, scratch, L"bravo", 0, NULL));
  CHECK_OK(create_key(&a, scratch, L"Alpha", 0, NULL));

  KEY_BASIC_INFORMATION* basic = (KEY_BASIC_INFORMATION*)buf;
  CHECK_OK(NtQueryKey(a, KeyBasicInformation, buf, sizeof buf, &len));
  CHECK(nt_ustr_eq(basic->Name, basic->NameLength, L"Alpha"));
  CHECK_EQ(len, 16 + 10);
  CHECK(basic->LastWriteTime.QuadPart > 0);
  CHECK_STATUS(NtQueryKey(a, KeyBasicInformation, buf, 8, &len), STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(len, 16 + 10);
  CHECK_STATUS(NtQueryKey(a, KeyBasicInformation, buf, 18, &len), STATUS_BUFFER_OVERFLOW);
  /* Windows reports the whole name's length with the part that fits; Wine the part's. */
  CHECK_EQ(basic->NameLength, nt_is_wine() ? 2 : 10);

  /* Subkeys enumerate sorted case-insensitively: Alpha, bravo, Child. */
  const WCHAR* order[] = {L"Alpha", L"bravo", L"Child"};
  for (ULONG i = 0; i < 3; ++i) {
    CHECK_OK(NtEnumerateKey(scratch, i, KeyBasicInformation, buf, sizeof buf, &len));
    CHECK(nt_ustr_eq(basic->Name, basic->NameLength, order[i]));
  }
  CHECK_STATUS(NtEnumerateKey(scratch, 3, KeyBasicInformation, buf, sizeof buf, &len),
               STATUS_NO_MORE_ENTRIES);

  KEY_FULL_INFORMATION* full = (KEY_FULL_INFORMATION*)buf;
  CHECK_OK(NtQueryKey(scratch, KeyFullInformation, buf, sizeof buf, &len));
  CHECK_EQ(full->SubKeys, 3);
  CHECK_EQ(full->MaxNameLen, 10);
  CHECK_EQ(full->Values, 3); /* Text, Number and the default value */
  CHECK_EQ(full->MaxValueNameLen, 12);
  CHECK_EQ(full->MaxValueDataLen, 4);
  CHECK_EQ(full->ClassLength, 0);

  KEY_NAME_INFORMATION* name = (KEY_NAME_INFORMATION*)buf;
  CHECK_OK(NtQueryKey(a, KeyNameInformation, buf, sizeof buf, &len));
  CHECK(nt_ustr_ieq(name->Name, name->NameLength, SCRATCH L"\\Alpha"));
  CHECK_EQ(len, 4 + name->NameLength);
  CHECK_STATUS(NtQueryKey(a, KeyNameInformation, buf, 2, &len), STATUS_BUFFER_TOO_SMALL);

  CHECK_OK(NtQueryKey(scratch, KeyCachedInformation, buf, sizeof buf, &len));
  CHECK_EQ(len, 40);
  CHECK_EQ(buf[3], 3); /* SubKeys */
  CHECK_STATUS(NtQueryKey(scratch, 99, buf, sizeof buf, &len), STATUS_INVALID_PARAMETER);

  /* Rename, then LastWriteTime set through NtSetInformationKey. Neither is tried under Wine: its
   * wineserver asserts (key_unlink_name) when a sibling of a renamed key is deleted later, and its
   * NtSetInformationKey is a stub that succeeds without doing anything. */
  if (!nt_is_wine()) {
    UNICODE_STRING us;
    nt_init_ustr(&us, L"Alpha2");
    CHECK_OK(NtRenameKey(a, &us));
    CHECK_OK(NtQueryKey(a, KeyBasicInformation, buf, sizeof buf, &len));
    CHECK(nt_ustr_eq(basic->Name, basic->NameLength, L"Alpha2"));
    HANDLE h;
    CHECK_OK(open_key(&h, scratch, L"alpha2", KEY_READ));
    NtClose(h);
    CHECK_STATUS(open_key(&h, scratch, L"Alpha", KEY_READ), STATUS_OBJECT_NAME_NOT_FOUND);
    LARGE_INTEGER t;
    t.QuadPart = 0x01d0000000000000LL;
    CHECK_OK(NtSetInformationKey(a, 0, &t, sizeof t));
    CHECK_STATUS(NtSetInformationKey(a, 0, &t, 4), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_OK(NtQueryKey(a, KeyBasicInformation, buf, sizeof buf, &len));
    CHECK_EQ(basic->LastWriteTime.QuadPart, t.QuadPart);
  }
  CHECK_OK(NtFlushKey(a));

  CHECK_OK(NtDeleteKey(a));
  CHECK_STATUS(NtQueryKey(a, KeyBasicInformation, buf, sizeof buf, &len), STATUS_KEY_DELETED);
  CHECK_STATUS(set_value(a, L"v", REG_DWORD, &len, 4), STATUS_KEY_DELETED);
  NtClose(a);
  CHECK_OK(NtDeleteKey(b));
  NtClose(b);
}

/* A class given at creation comes back in the node and full information. */
static void test_class(HANDLE scratch) {
  NT_NAME n;
  UNICODE_STRING cls;
  HANDLE h;
  ULONG buf[64], len = 0;
  nt_init_ustr(&cls, L"MyClass");
  CHECK_OK(NtCreateKey(&h, KEY_ALL_ACCESS, nt_name(&n, L"Classy", scratch), 0, &cls,
                       REG_OPTION_VOLATILE, NULL));
  KEY_NODE_INFORMATION* node = (KEY_NODE_INFORMATION*)buf;
  CHECK_OK(NtQueryKey(h, KeyNodeInformation, buf, sizeof buf, &len));
  CHECK(nt_ustr_eq(node->Name, node->NameLength, L"Classy"));
  CHECK_EQ(node->ClassLength, 14);
  CHECK_EQ(node->ClassOffset, 24 + 12);
  CHECK(nt_ustr_eq((WCHAR*)((char*)buf + node->ClassOffset), node->ClassLength, L"MyClass"));
  CHECK_EQ(len, 24 + 12 + 14);
  KEY_FULL_INFORMATION* full = (KEY_FULL_INFORMATION*)buf;
  CHECK_OK(NtQueryKey(h, KeyFullInformation, buf, sizeof buf, &len));
  CHECK_EQ(full->ClassLength, 14);
  CHECK_EQ(full->ClassOffset, 44);
  CHECK(nt_ustr_eq(full->Class, full->ClassLength, L"MyClass"));
  CHECK_OK(NtDeleteKey(h));
  NtClose(h);
  /* Without a class: no class bytes, and the offset says so. */
  CHECK_OK(open_key(&h, scratch, L"Child", KEY_READ));
  CHECK_OK(NtQueryKey(h, KeyNodeInformation, buf, sizeof buf, &len));
  CHECK_EQ(node->ClassLength, 0);
  nt_note("no-class ClassOffset %x", node->ClassOffset);
  CHECK_EQ(node->ClassOffset, 0xFFFFFFFF);
  CHECK_EQ(len, 24 + 10);
  NtClose(h);
}

static void test_access(HANDLE scratch) {
  HANDLE ro, wo;
  ULONG buf[64], len = 0, v = 1;
  CHECK_OK(open_key(&ro, NULL, SCRATCH, KEY_QUERY_VALUE));
  CHECK_STATUS(set_value(ro, L"Denied", REG_DWORD, &v, 4), STATUS_ACCESS_DENIED);
  CHECK_STATUS(NtEnumerateKey(ro, 0, KeyBasicInformation, buf, sizeof buf, &len),
               STATUS_ACCESS_DENIED);
  CHECK_STATUS(NtDeleteKey(ro), STATUS_ACCESS_DENIED);
  CHECK_OK(open_key(&wo, NULL, SCRATCH, KEY_SET_VALUE));
  CHECK_STATUS(query_value(wo, L"Text", KeyValuePartialInformation, buf, sizeof buf, &len),
               STATUS_ACCESS_DENIED);
  /* Windows wants KEY_QUERY_VALUE for all of NtQueryKey but the key's name; Wine's server checks
   * no right there. */
  const NTSTATUS denied = nt_is_wine() ? STATUS_SUCCESS : STATUS_ACCESS_DENIED;
  CHECK_STATUS(NtQueryKey(wo, KeyBasicInformation, buf, sizeof buf, &len), denied);
  CHECK_STATUS(NtQueryKey(wo, KeyFullInformation, buf, sizeof buf, &len), denied);
  CHECK_STATUS(NtQueryKey(wo, KeyCachedInformation, buf, sizeof buf, &len), denied);
  CHECK_OK(NtQueryKey(wo, KeyNameInformation, buf, sizeof buf, &len));
  NtClose(ro);
  NtClose(wo);
  /* A key with subkeys cannot go: STATUS_CANNOT_DELETE on Windows (RegDeleteKey's
   * ERROR_ACCESS_DENIED); Wine's server answers STATUS_ACCESS_DENIED itself. */
  CHECK_STATUS(NtDeleteKey(scratch), nt_is_wine() ? STATUS_ACCESS_DENIED : STATUS_CANNOT_DELETE);
}

static void test_default_keys(void) {
  HANDLE h;
  ULONG buf[128], len = 0;
  KEY_VALUE_PARTIAL_INFORMATION* p = (KEY_VALUE_PARTIAL_INFORMATION*)buf;
  CHECK_OK(open_key(
      &h, NULL, L"\\Registry\\Machine\\Software\\Microsoft\\Windows NT\\CurrentVersion", KEY_READ));
  CHECK_OK(
      query_value(h, L"CurrentBuildNumber", KeyValuePartialInformation, buf, sizeof buf, &len));
  CHECK_EQ(p->Type, REG_SZ);
  nt_note("CurrentBuildNumber %ls", (WCHAR*)p->Data);
  CHECK_OK(query_value(h, L"ProductName", KeyValuePartialInformation, buf, sizeof buf, &len));
  NtClose(h);
  CHECK_OK(open_key(&h, NULL,
                    L"\\Registry\\Machine\\System\\CurrentControlSet\\Control\\Session "
                    L"Manager\\Environment",
                    KEY_READ));
  NtClose(h);
  CHECK_OK(open_key(&h, NULL, L"\\Registry\\Machine\\System\\CurrentControlSet\\Control\\Nls",
                    KEY_READ));
  NtClose(h);
}

static void test_rtl(HANDLE scratch) {
  UNICODE_STRING path;
  CHECK_OK(RtlFormatCurrentUserKeyPath(&path));
  CHECK(path.Length > 30 && nt_wcsnicmp(path.Buffer, L"\\Registry\\User\\S-1-5-", 21) == 0);
  CHECK_EQ(path.MaximumLength, path.Length + 2);
  CHECK_EQ(path.Buffer[path.Length / 2], 0);
  nt_note("current user: %.*ls", path.Length / 2, path.Buffer);

  HANDLE user;
  ULONG buf[128], len = 0;
  CHECK_OK(RtlOpenCurrentUser(KEY_READ, &user));
  KEY_NAME_INFORMATION* name = (KEY_NAME_INFORMATION*)buf;
  CHECK_OK(NtQueryKey(user, KeyNameInformation, buf, sizeof buf, &len));
  CHECK(nt_ustr_ieq(name->Name, name->NameLength, path.Buffer));
  NtClose(user);
  RtlFreeUnicodeString(&path);

  CHECK_OK(RtlCheckRegistryKey(RTL_REGISTRY_WINDOWS_NT, NULL));
  CHECK_OK(RtlCheckRegistryKey(RTL_REGISTRY_ABSOLUTE, SCRATCH));
  CHECK_STATUS(RtlCheckRegistryKey(RTL_REGISTRY_ABSOLUTE, SCRATCH L"\\nothing"),
               STATUS_OBJECT_NAME_NOT_FOUND);
  /* RTL_REGISTRY_USER is relative to the current user's hive; Wine's ntdll looks under
   * \Registry\User\CurrentUser instead, which its prefix does not have. */
  if (!nt_is_wine()) CHECK_OK(RtlCheckRegistryKey(RTL_REGISTRY_USER, L"Software"));

  ULONG v = 42;
  CHECK_OK(
      RtlWriteRegistryValue(RTL_REGISTRY_ABSOLUTE, SCRATCH L"\\Child", L"Rtl", REG_DWORD, &v, 4));
  HANDLE child;
  CHECK_OK(open_key(&child, scratch, L"Child", KEY_ALL_ACCESS));
  KEY_VALUE_PARTIAL_INFORMATION* p = (KEY_VALUE_PARTIAL_INFORMATION*)buf;
  CHECK_OK(query_value(child, L"Rtl", KeyValuePartialInformation, buf, sizeof buf, &len));
  CHECK_EQ(*(ULONG*)p->Data, 42);
  v = 43;
  CHECK_OK(RtlWriteRegistryValue(RTL_REGISTRY_HANDLE, (WCHAR*)child, L"Rtl", REG_DWORD, &v, 4));
  CHECK_OK(query_value(child, L"Rtl", KeyValuePartialInformation, buf, sizeof buf, &len));
  CHECK_EQ(*(ULONG*)p->Data, 43);
  CHECK_OK(RtlDeleteRegistryValue(RTL_REGISTRY_ABSOLUTE, SCRATCH L"\\Child", L"Rtl"));
  CHECK_STATUS(query_value(child, L"Rtl", KeyValuePartialInformation, buf, sizeof buf, &len),
               STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK_STATUS(RtlDeleteRegistryValue(RTL_REGISTRY_ABSOLUTE, SCRATCH L"\\Child", L"Rtl"),
               STATUS_OBJECT_NAME_NOT_FOUND);
  NtClose(child);
  /* The key must exist (as under Wine): RtlWriteRegistryValue writes values, not keys. */
  CHECK_STATUS(
      RtlWriteRegistryValue(RTL_REGISTRY_ABSOLUTE, SCRATCH L"\\NewByRtl", L"Rtl", REG_DWORD, &v, 4),
      STATUS_OBJECT_NAME_NOT_FOUND);
  (void)wlen;
}

void test_main(void) {
  HANDLE scratch = NULL;
  test_create_open(&scratch);
  test_values(scratch);
  test_query_key(scratch);
  test_class(scratch);
  test_access(scratch);
  test_default_keys();
  test_rtl(scratch);
  delete_tree(NULL, SCRATCH);
  NtClose(scratch);
}
