/* Local atom tables (RtlCreateAtomTable and friends): integer atoms below 0xC000 given as
 * MAKEINTATOM(n) or "#n", case-insensitive string atoms from 0xC000 with reference counts,
 * pinning, and the statuses Windows gives for bad names, unknown atoms and short buffers. */
#include "nttest.h"

typedef uint16_t RTL_ATOM;
#define MAKEINTATOM(n) ((WCHAR*)(ULONG_PTR)(USHORT)(n))
#define STATUS_WAS_LOCKED ((NTSTATUS)0x40000019)

NTSTATUS NTAPI RtlCreateAtomTable(ULONG size, void** table);
NTSTATUS NTAPI RtlDestroyAtomTable(void* table);
NTSTATUS NTAPI RtlEmptyAtomTable(void* table, BOOLEAN include_pinned);
NTSTATUS NTAPI RtlAddAtomToAtomTable(void* table, const WCHAR* name, RTL_ATOM* atom);
NTSTATUS NTAPI RtlLookupAtomInAtomTable(void* table, const WCHAR* name, RTL_ATOM* atom);
NTSTATUS NTAPI RtlDeleteAtomFromAtomTable(void* table, RTL_ATOM atom);
NTSTATUS NTAPI RtlPinAtomInAtomTable(void* table, RTL_ATOM atom);
NTSTATUS NTAPI RtlQueryAtomInAtomTable(void* table, RTL_ATOM atom, ULONG* references, ULONG* pins,
                                       WCHAR* name, ULONG* length);

static int wide_eq(const WCHAR* a, const WCHAR* b) {
  while (*a && *a == *b) ++a, ++b;
  return *a == *b;
}

static void test_create_destroy(void) {
  void* table = NULL;
  CHECK_OK(RtlCreateAtomTable(0, &table));
  CHECK(table != NULL);
  /* An existing table is kept: a zero size is fine, any other is not. */
  void* same = table;
  CHECK_OK(RtlCreateAtomTable(0, &same));
  CHECK(same == table);
  CHECK_STATUS(RtlCreateAtomTable(37, &same), STATUS_INVALID_PARAMETER);
  CHECK(same == table);
  CHECK_OK(RtlDestroyAtomTable(table));

  CHECK_STATUS(RtlAddAtomToAtomTable(NULL, L"x", NULL), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlLookupAtomInAtomTable(NULL, L"x", NULL), STATUS_INVALID_PARAMETER);

  table = NULL;
  CHECK_OK(RtlCreateAtomTable(3, &table)); /* a tiny hash: chains must work */
  RTL_ATOM atoms[40];
  WCHAR name[8] = L"atom00";
  for (int i = 0; i < 40; ++i) {
    name[4] = (WCHAR)(L'0' + i / 10);
    name[5] = (WCHAR)(L'0' + i % 10);
    CHECK_OK(RtlAddAtomToAtomTable(table, name, &atoms[i]));
  }
  int distinct = 1, found = 1;
  for (int i = 0; i < 40; ++i) {
    for (int j = 0; j < i; ++j) distinct &= atoms[i] != atoms[j];
    name[4] = (WCHAR)(L'0' + i / 10);
    name[5] = (WCHAR)(L'0' + i % 10);
    RTL_ATOM atom = 0;
    found &= RtlLookupAtomInAtomTable(table, name, &atom) == STATUS_SUCCESS && atom == atoms[i];
  }
  CHECK(distinct);
  CHECK(found);
  CHECK_OK(RtlDestroyAtomTable(table));
}

static void test_string_atoms(void) {
  void* table = NULL;
  CHECK_OK(RtlCreateAtomTable(0, &table));
  RTL_ATOM a = 0, b = 0, c = 0;
  CHECK_OK(RtlAddAtomToAtomTable(table, L"Hello", &a));
  CHECK(a >= 0xC000);
  CHECK_OK(RtlAddAtomToAtomTable(table, L"HELLO", &b)); /* case-insensitive: the same atom */
  CHECK_EQ(b, a);
  CHECK_OK(RtlAddAtomToAtomTable(table, L"world", &c));
  CHECK(c >= 0xC000 && c != a);
  RTL_ATOM d = 0;
  CHECK_OK(RtlAddAtomToAtomTable(table, L"#12a", &d)); /* not a number: a string */
  CHECK(d >= 0xC000 && d != a && d != c);

  RTL_ATOM found = 0;
  CHECK_OK(RtlLookupAtomInAtomTable(table, L"hello", &found));
  CHECK_EQ(found, a);
  CHECK_OK(RtlLookupAtomInAtomTable(table, L"#12A", &found));
  CHECK(found >= 0xC000);
  CHECK_STATUS(RtlLookupAtomInAtomTable(table, L"nothing", &found), STATUS_OBJECT_NAME_NOT_FOUND);

  /* The name keeps the case it was first added with; two adds, two references. */
  ULONG refs = 0, pins = 9, length;
  WCHAR buffer[32];
  length = sizeof(buffer);
  CHECK_OK(RtlQueryAtomInAtomTable(table, a, &refs, &pins, buffer, &length));
  CHECK_EQ(refs, 2);
  CHECK_EQ(pins, 0);
  CHECK_EQ(length, 10);
  CHECK(wide_eq(buffer, L"Hello"));

  /* Short buffers: the name is cut to fit with its terminator; an empty one learns the size. */
  for (int i = 0; i < 8; ++i) buffer[i] = 0x1337;
  length = 8;
  CHECK_OK(RtlQueryAtomInAtomTable(table, a, NULL, NULL, buffer, &length));
  CHECK_EQ(length, 6);
  CHECK(buffer[0] == 'H' && buffer[2] == 'l' && buffer[3] == 0);
  CHECK_EQ(buffer[4], 0x1337);
  length = 0;
  CHECK_STATUS(RtlQueryAtomInAtomTable(table, a, NULL, NULL, buffer, &length),
               STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(length, 10);
  CHECK_OK(RtlQueryAtomInAtomTable(table, a, &refs, NULL, NULL, NULL));

  /* References: each delete drops one; the last removes the atom. */
  CHECK_OK(RtlDeleteAtomFromAtomTable(table, a));
  CHECK_OK(RtlQueryAtomInAtomTable(table, a, &refs, NULL, NULL, NULL));
  CHECK_EQ(refs, 1);
  CHECK_OK(RtlDeleteAtomFromAtomTable(table, a));
  CHECK_STATUS(RtlLookupAtomInAtomTable(table, L"Hello", &found), STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK_STATUS(RtlQueryAtomInAtomTable(table, a, &refs, NULL, NULL, NULL), STATUS_INVALID_HANDLE);
  CHECK_STATUS(RtlDeleteAtomFromAtomTable(table, a), STATUS_INVALID_HANDLE);
  CHECK_STATUS(RtlDeleteAtomFromAtomTable(table, 0xFFFF), STATUS_INVALID_HANDLE);

  /* Pinned atoms stay whatever the deletes. */
  CHECK_OK(RtlPinAtomInAtomTable(table, c));
  CHECK_OK(RtlQueryAtomInAtomTable(table, c, &refs, &pins, NULL, NULL));
  CHECK_EQ(pins, 1);
  CHECK_STATUS(RtlDeleteAtomFromAtomTable(table, c), STATUS_WAS_LOCKED);
  CHECK_OK(RtlLookupAtomInAtomTable(table, L"WORLD", &found));
  CHECK_EQ(found, c);
  /* Wine 8 (atoms in its server) pins unknown atoms without complaint. */
  CHECK_STATUS(RtlPinAtomInAtomTable(table, a),
               nt_is_wine() ? STATUS_SUCCESS : STATUS_INVALID_HANDLE);

  /* Emptying keeps pinned atoms unless asked. */
  CHECK_OK(RtlEmptyAtomTable(table, FALSE));
  CHECK_STATUS(RtlLookupAtomInAtomTable(table, L"#12a", &found), STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK_OK(RtlLookupAtomInAtomTable(table, L"world", &found));
  CHECK_OK(RtlEmptyAtomTable(table, TRUE));
  CHECK_STATUS(RtlLookupAtomInAtomTable(table, L"world", &found), STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK_OK(RtlDestroyAtomTable(table));
}

static void test_integer_atoms(void) {
  void* table = NULL;
  CHECK_OK(RtlCreateAtomTable(0, &table));
  RTL_ATOM atom = 0;
  CHECK_OK(RtlAddAtomToAtomTable(table, MAKEINTATOM(123), &atom));
  CHECK_EQ(atom, 123);
  atom = 0;
  CHECK_OK(RtlAddAtomToAtomTable(table, L"#456", &atom));
  CHECK_EQ(atom, 456);
  atom = 0;
  CHECK_OK(RtlAddAtomToAtomTable(table, L"#49151", &atom));
  CHECK_EQ(atom, 0xBFFF);
  atom = 0;
  CHECK_OK(RtlLookupAtomInAtomTable(table, L"#789", &atom)); /* never added: still itself */
  CHECK_EQ(atom, 789);
  atom = 0;
  CHECK_OK(RtlLookupAtomInAtomTable(table, MAKEINTATOM(5), &atom));
  CHECK_EQ(atom, 5);

  CHECK_STATUS(RtlAddAtomToAtomTable(table, MAKEINTATOM(0), &atom), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlAddAtomToAtomTable(table, MAKEINTATOM(0xC000), &atom), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlAddAtomToAtomTable(table, L"#0", &atom), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlAddAtomToAtomTable(table, L"#49152", &atom), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlAddAtomToAtomTable(table, L"#99999999999", &atom), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlLookupAtomInAtomTable(table, MAKEINTATOM(0xC000), &atom),
               STATUS_INVALID_PARAMETER);

  /* Querying one gives "#n", one reference, pinned. */
  ULONG refs = 0, pins = 0, length = 64;
  WCHAR buffer[32];
  CHECK_OK(RtlQueryAtomInAtomTable(table, 123, &refs, &pins, buffer, &length));
  CHECK_EQ(refs, 1);
  CHECK_EQ(pins, 1);
  CHECK_EQ(length, 8);
  CHECK(wide_eq(buffer, L"#123"));
  CHECK_STATUS(RtlQueryAtomInAtomTable(table, 0, &refs, &pins, buffer, &length),
               STATUS_INVALID_PARAMETER);

  /* Deleting or pinning one does nothing, successfully. */
  /* Wine 8 says STATUS_INVALID_HANDLE to deleting one; Windows (and later Wines, whose atom
   * tables left the server) succeed. */
  CHECK_STATUS(RtlDeleteAtomFromAtomTable(table, 123),
               nt_is_wine() ? STATUS_INVALID_HANDLE : STATUS_SUCCESS);
  CHECK_STATUS(RtlDeleteAtomFromAtomTable(table, 0), STATUS_INVALID_HANDLE);
  CHECK_OK(RtlPinAtomInAtomTable(table, 123));
  CHECK_OK(RtlDestroyAtomTable(table));
}

/* Names are 1..255 characters. */
static void test_name_limits(void) {
  void* table = NULL;
  CHECK_OK(RtlCreateAtomTable(0, &table));
  WCHAR name[300];
  for (int i = 0; i < 256; ++i) name[i] = (WCHAR)(L'a' + i % 26);
  name[255] = 0;
  RTL_ATOM atom = 0;
  CHECK_OK(RtlAddAtomToAtomTable(table, name, &atom));
  ULONG length = sizeof(name);
  CHECK_OK(RtlQueryAtomInAtomTable(table, atom, NULL, NULL, name, &length));
  CHECK_EQ(length, 255 * 2);
  name[255] = L'z';
  name[256] = 0;
  CHECK_STATUS(RtlAddAtomToAtomTable(table, name, &atom), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlLookupAtomInAtomTable(table, name, &atom), STATUS_INVALID_PARAMETER);
  NTSTATUS empty = RtlAddAtomToAtomTable(table, L"", &atom);
  nt_note("RtlAddAtomToAtomTable(\"\") = 0x%08x", empty);
  CHECK_STATUS(empty, STATUS_OBJECT_NAME_INVALID);
  CHECK_OK(RtlDestroyAtomTable(table));
}

void test_main(void) {
  test_create_destroy();
  test_string_atoms();
  test_integer_atoms();
  test_name_limits();
}
