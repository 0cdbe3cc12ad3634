/* ETW's provider side (rtl/etw.c): registration handles, providers never enabled, writes
 * accepted and dropped, per-thread activity ids. */
#include "nttest.h"

typedef struct {
  ULONG Data1;
  USHORT Data2, Data3;
  UCHAR Data4[8];
} TEST_GUID;

typedef struct {
  USHORT Id;
  UCHAR Version, Channel, Level, Opcode;
  USHORT Task;
  ULONGLONG Keyword;
} TEST_EVENT_DESCRIPTOR;

ULONG NTAPI EtwEventRegister(const TEST_GUID* provider, void* callback, void* context,
                             ULONGLONG* handle);
ULONG NTAPI EtwEventUnregister(ULONGLONG handle);
BOOLEAN NTAPI EtwEventEnabled(ULONGLONG handle, const TEST_EVENT_DESCRIPTOR* descriptor);
BOOLEAN NTAPI EtwEventProviderEnabled(ULONGLONG handle, UCHAR level, ULONGLONG keyword);
ULONG NTAPI EtwEventWrite(ULONGLONG handle, const TEST_EVENT_DESCRIPTOR* descriptor, ULONG count,
                          void* data);
ULONG NTAPI EtwEventWriteString(ULONGLONG handle, UCHAR level, ULONGLONG keyword,
                                const WCHAR* string);
ULONG NTAPI EtwEventActivityIdControl(ULONG control, TEST_GUID* id);

#define ERROR_SUCCESS 0
#define ERROR_INVALID_PARAMETER 87
enum { GET_ID = 1, SET_ID = 2, CREATE_ID = 3, GET_SET_ID = 4, CREATE_SET_ID = 5 };

static const TEST_GUID kProvider = {0x12345678, 0x1234, 0x4321, {1, 2, 3, 4, 5, 6, 7, 8}};

static int guid_eq(const TEST_GUID* a, const TEST_GUID* b) {
  return !memcmp(a, b, sizeof(*a));
}

/* Wine 8's ntdll has these as stubs that succeed without doing anything (zero handles, no
 * activity ids, no parameter checks), so under Wine only the results a provider with no
 * listening session sees are held to; the rest is Windows' documented behaviour. */
static void test_registration(void) {
  ULONGLONG a = 0, b = 0;
  CHECK_EQ(EtwEventRegister(&kProvider, NULL, NULL, &a), ERROR_SUCCESS);
  CHECK_EQ(EtwEventRegister(&kProvider, NULL, NULL, &b), ERROR_SUCCESS);
  if (!nt_is_wine()) {
    CHECK(a != 0 && b != 0 && a != b);
    CHECK_EQ(EtwEventRegister(NULL, NULL, NULL, &a), ERROR_INVALID_PARAMETER);
    CHECK_EQ(EtwEventRegister(&kProvider, NULL, NULL, NULL), ERROR_INVALID_PARAMETER);
  }

  TEST_EVENT_DESCRIPTOR event = {1, 0, 0, 4, 0, 0, 0};
  CHECK(!EtwEventEnabled(a, &event));
  CHECK(!EtwEventProviderEnabled(a, 4, 0));
  CHECK_EQ(EtwEventWrite(a, &event, 0, NULL), ERROR_SUCCESS);
  CHECK_EQ(EtwEventWriteString(a, 4, 0, L"dropped: no session listens"), ERROR_SUCCESS);

  CHECK_EQ(EtwEventUnregister(a), ERROR_SUCCESS);
  CHECK_EQ(EtwEventUnregister(b), ERROR_SUCCESS);
}

static void test_activity_ids(void) {
  TEST_GUID zero = {0}, id, created, got, swapped;
  if (nt_is_wine()) {
    nt_note("activity ids: Wine's EtwEventActivityIdControl is a stub, skipped");
    return;
  }
  CHECK_EQ(EtwEventActivityIdControl(GET_ID, &got), ERROR_SUCCESS);
  CHECK(guid_eq(&got, &zero)); /* a new thread has no activity */

  CHECK_EQ(EtwEventActivityIdControl(CREATE_ID, &created), ERROR_SUCCESS);
  CHECK(!guid_eq(&created, &zero));
  CHECK_EQ(created.Data3 >> 12, 4); /* a version-4 GUID */
  CHECK_EQ(EtwEventActivityIdControl(GET_ID, &got), ERROR_SUCCESS);
  CHECK(guid_eq(&got, &zero)); /* creating does not set */

  id = created;
  CHECK_EQ(EtwEventActivityIdControl(SET_ID, &id), ERROR_SUCCESS);
  CHECK_EQ(EtwEventActivityIdControl(GET_ID, &got), ERROR_SUCCESS);
  CHECK(guid_eq(&got, &created));

  swapped = zero;
  CHECK_EQ(EtwEventActivityIdControl(GET_SET_ID, &swapped), ERROR_SUCCESS);
  CHECK(guid_eq(&swapped, &created)); /* the old one back, zero now in force */
  CHECK_EQ(EtwEventActivityIdControl(GET_ID, &got), ERROR_SUCCESS);
  CHECK(guid_eq(&got, &zero));

  CHECK_EQ(EtwEventActivityIdControl(CREATE_SET_ID, &id), ERROR_SUCCESS);
  CHECK(guid_eq(&id, &zero)); /* the previous (zero) back */
  CHECK_EQ(EtwEventActivityIdControl(GET_ID, &got), ERROR_SUCCESS);
  CHECK(!guid_eq(&got, &zero) && !guid_eq(&got, &created));

  CHECK_EQ(EtwEventActivityIdControl(99, &id), ERROR_INVALID_PARAMETER);
  CHECK_EQ(EtwEventActivityIdControl(GET_ID, NULL), ERROR_INVALID_PARAMETER);
}

void test_main(void) {
  test_registration();
  test_activity_ids();
}
