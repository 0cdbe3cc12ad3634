/* The "env" family's small utilities: last error and error mode, NTSTATUS -> Win32 error,
 * bitmaps, pointer encoding, the version, processor facts, preferred UI languages, the WOW64
 * queries of a native process and RtlExitUserProcess (which ends this very program). */
#include "nttest.h"

typedef uint16_t WORD;
typedef uint32_t DWORD;

void NTAPI RtlSetLastWin32Error(DWORD error);
void NTAPI RtlRestoreLastWin32Error(DWORD error);
DWORD NTAPI RtlGetLastWin32Error(void);
NTSTATUS NTAPI RtlGetLastNtStatus(void);
DWORD NTAPI RtlGetThreadErrorMode(void);
NTSTATUS NTAPI RtlSetThreadErrorMode(DWORD mode, DWORD* old_mode);
ULONG NTAPI RtlNtStatusToDosError(NTSTATUS status);
ULONG NTAPI RtlNtStatusToDosErrorNoTeb(NTSTATUS status);

typedef struct RTL_BITMAP {
  ULONG SizeOfBitMap;
  ULONG* Buffer;
} RTL_BITMAP;
void NTAPI RtlInitializeBitMap(RTL_BITMAP* map, ULONG* buffer, ULONG size);
BOOLEAN NTAPI RtlAreBitsClear(RTL_BITMAP* map, ULONG start, ULONG count);
BOOLEAN NTAPI RtlAreBitsSet(RTL_BITMAP* map, ULONG start, ULONG count);
void NTAPI RtlClearBits(RTL_BITMAP* map, ULONG start, ULONG count);
void NTAPI RtlSetBits(RTL_BITMAP* map, ULONG start, ULONG count);
void NTAPI RtlClearAllBits(RTL_BITMAP* map);
void NTAPI RtlSetAllBits(RTL_BITMAP* map);
ULONG NTAPI RtlFindClearBits(RTL_BITMAP* map, ULONG count, ULONG hint);
ULONG NTAPI RtlFindSetBits(RTL_BITMAP* map, ULONG count, ULONG hint);
ULONG NTAPI RtlFindClearBitsAndSet(RTL_BITMAP* map, ULONG count, ULONG hint);
ULONG NTAPI RtlNumberOfSetBits(RTL_BITMAP* map);
ULONG NTAPI RtlNumberOfClearBits(RTL_BITMAP* map);
ULONG NTAPI RtlFindSetBitsAndClear(RTL_BITMAP* map, ULONG count, ULONG hint);

PVOID NTAPI RtlEncodePointer(PVOID p);
PVOID NTAPI RtlDecodePointer(PVOID p);
PVOID NTAPI RtlEncodeSystemPointer(PVOID p);
PVOID NTAPI RtlDecodeSystemPointer(PVOID p);

typedef struct OSVERSIONINFOEXW {
  ULONG dwOSVersionInfoSize;
  ULONG dwMajorVersion;
  ULONG dwMinorVersion;
  ULONG dwBuildNumber;
  ULONG dwPlatformId;
  WCHAR szCSDVersion[128];
  USHORT wServicePackMajor;
  USHORT wServicePackMinor;
  USHORT wSuiteMask;
  UCHAR wProductType;
  UCHAR wReserved;
} OSVERSIONINFOEXW;
#define OSVERSIONINFOW_SIZE 276
NTSTATUS NTAPI RtlGetVersion(OSVERSIONINFOEXW* info);
void NTAPI RtlGetNtVersionNumbers(DWORD* major, DWORD* minor, DWORD* build);
BOOLEAN NTAPI RtlGetProductInfo(DWORD major, DWORD minor, DWORD sp_major, DWORD sp_minor,
                                DWORD* product);
NTSTATUS NTAPI RtlVerifyVersionInfo(OSVERSIONINFOEXW* info, ULONG types, ULONGLONG conditions);
ULONGLONG NTAPI VerSetConditionMask(ULONGLONG mask, DWORD type, UCHAR condition);

typedef struct PROCESSOR_NUMBER {
  USHORT Group;
  UCHAR Number;
  UCHAR Reserved;
} PROCESSOR_NUMBER;
BOOLEAN NTAPI RtlIsProcessorFeaturePresent(ULONG feature);
void NTAPI RtlGetCurrentProcessorNumberEx(PROCESSOR_NUMBER* number);
ULONG NTAPI RtlGetCurrentProcessorNumber(void);

NTSTATUS NTAPI RtlGetUserPreferredUILanguages(DWORD flags, ULONG unknown, ULONG* count,
                                              WCHAR* buffer, ULONG* size);
NTSTATUS NTAPI RtlGetSystemPreferredUILanguages(DWORD flags, ULONG unknown, ULONG* count,
                                                WCHAR* buffer, ULONG* size);
NTSTATUS NTAPI RtlGetProcessPreferredUILanguages(DWORD flags, ULONG* count, WCHAR* buffer,
                                                 ULONG* size);
NTSTATUS NTAPI RtlGetThreadPreferredUILanguages(DWORD flags, ULONG* count, WCHAR* buffer,
                                                ULONG* size);
NTSTATUS NTAPI RtlSetProcessPreferredUILanguages(DWORD flags, const WCHAR* list, ULONG* count);
NTSTATUS NTAPI RtlSetThreadPreferredUILanguages(DWORD flags, const WCHAR* list, ULONG* count);

NTSTATUS NTAPI RtlWow64EnableFsRedirection(BOOLEAN enable);
NTSTATUS NTAPI RtlWow64EnableFsRedirectionEx(PVOID disable, PVOID* old_value);
NTSTATUS NTAPI RtlWow64GetProcessMachines(HANDLE process, USHORT* current, USHORT* native);
NTSTATUS NTAPI RtlWow64GetThreadContext(HANDLE thread, void* context);
NTSTATUS NTAPI RtlWow64SetThreadContext(HANDLE thread, const void* context);
void NTAPI RtlExitUserProcess(NTSTATUS status);

#define STATUS_REVISION_MISMATCH ((NTSTATUS)0xC0000059)
#define STATUS_VARIABLE_NOT_FOUND ((NTSTATUS)0xC0000100)
#define STATUS_INVALID_PARAMETER_1 ((NTSTATUS)0xC00000EF)

static ULONG teb_ulong(ULONG offset) {
  ULONG v;
  __asm__ volatile("movl %%gs:(%1), %0" : "=r"(v) : "r"((ULONG_PTR)offset));
  return v;
}

static void test_last_error(void) {
  RtlSetLastWin32Error(1234);
  CHECK_EQ(RtlGetLastWin32Error(), 1234);
  CHECK_EQ(teb_ulong(0x68), 1234); /* TEB.LastErrorValue */
  RtlRestoreLastWin32Error(5);
  CHECK_EQ(RtlGetLastWin32Error(), 5);
  RtlSetLastWin32Error(0);
  CHECK_EQ(RtlGetLastWin32Error(), 0);

  DWORD old = 0xdead;
  CHECK_OK(RtlSetThreadErrorMode(0x10, &old)); /* RTL_ERRORMODE_FAILCRITICALERRORS */
  CHECK_EQ(RtlGetThreadErrorMode(), 0x10);
  CHECK_OK(RtlSetThreadErrorMode(0x70, &old));
  CHECK_EQ(old, 0x10);
  CHECK_EQ(RtlGetThreadErrorMode(), 0x70);
  CHECK_OK(RtlSetThreadErrorMode(0, NULL));
  CHECK_EQ(RtlGetThreadErrorMode(), 0);
  CHECK_STATUS(RtlSetThreadErrorMode(0x80, &old), STATUS_INVALID_PARAMETER_1);
  CHECK_STATUS(RtlSetThreadErrorMode(1, &old), STATUS_INVALID_PARAMETER_1);
  CHECK_EQ(RtlGetThreadErrorMode(), 0);
}

/* Samples of the Windows mapping (winerror.h values), the rules before the table, and the
 * status the TEB keeps. */
static void test_status_to_dos_error(void) {
  static const struct {
    NTSTATUS status;
    ULONG error;
  } cases[] = {
      {STATUS_SUCCESS, 0},
      {STATUS_ACCESS_DENIED, 5},           /* ERROR_ACCESS_DENIED */
      {STATUS_OBJECT_NAME_NOT_FOUND, 2},   /* ERROR_FILE_NOT_FOUND */
      {STATUS_OBJECT_PATH_NOT_FOUND, 3},   /* ERROR_PATH_NOT_FOUND */
      {STATUS_NO_SUCH_FILE, 2},            /* ERROR_FILE_NOT_FOUND */
      {STATUS_INVALID_HANDLE, 6},          /* ERROR_INVALID_HANDLE */
      {STATUS_NO_MEMORY, 8},               /* ERROR_NOT_ENOUGH_MEMORY */
      {STATUS_INVALID_PARAMETER, 87},      /* ERROR_INVALID_PARAMETER */
      {STATUS_BUFFER_TOO_SMALL, 122},      /* ERROR_INSUFFICIENT_BUFFER */
      {STATUS_BUFFER_OVERFLOW, 234},       /* ERROR_MORE_DATA */
      {STATUS_NO_MORE_FILES, 18},          /* ERROR_NO_MORE_FILES */
      {STATUS_OBJECT_NAME_COLLISION, 183}, /* ERROR_ALREADY_EXISTS */
      {STATUS_OBJECT_NAME_INVALID, 123},   /* ERROR_INVALID_NAME */
      {STATUS_SHARING_VIOLATION, 32},      /* ERROR_SHARING_VIOLATION */
      {STATUS_END_OF_FILE, 38},            /* ERROR_HANDLE_EOF */
      {STATUS_NOT_IMPLEMENTED, 1},         /* ERROR_INVALID_FUNCTION */
      {STATUS_NOT_SUPPORTED, 50},          /* ERROR_NOT_SUPPORTED */
      {STATUS_DIRECTORY_NOT_EMPTY, 145},   /* ERROR_DIR_NOT_EMPTY */
      {STATUS_NOT_A_DIRECTORY, 267},       /* ERROR_DIRECTORY */
      {STATUS_FILE_IS_A_DIRECTORY, 5},     /* ERROR_ACCESS_DENIED */
      {STATUS_DELETE_PENDING, 5},          /* ERROR_ACCESS_DENIED */
      {STATUS_CANNOT_DELETE, 5},           /* ERROR_ACCESS_DENIED */
      {STATUS_NAME_TOO_LONG, 206},         /* ERROR_FILENAME_EXCED_RANGE */
      {STATUS_TIMEOUT, 1460},              /* ERROR_TIMEOUT */
      {STATUS_PENDING, 997},               /* ERROR_IO_PENDING */
      {STATUS_VARIABLE_NOT_FOUND, 203},    /* ERROR_ENVVAR_NOT_FOUND */
      {STATUS_INVALID_PARAMETER_1, 87},    /* ERROR_INVALID_PARAMETER */
      {STATUS_ACCESS_VIOLATION, 998},      /* ERROR_NOACCESS */
      {(NTSTATUS)0xC000001D, 0xC000001D},  /* STATUS_ILLEGAL_INSTRUCTION: its own value */
      {(NTSTATUS)0xC0070005, 5},           /* FACILITY_NTWIN32 carries the error */
      {(NTSTATUS)0x80070020, 32},          /* so does HRESULT_FROM_WIN32 */
      {(NTSTATUS)0xD0000022, 5},           /* 0xD... maps as 0xC... */
      {(NTSTATUS)0x20001234, 0x20001234},  /* customer codes are their own error */
      {(NTSTATUS)0xC0FF0000, 317},         /* unknown: ERROR_MR_MID_NOT_FOUND */
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const ULONG got = RtlNtStatusToDosError(cases[i].status);
    if (got != cases[i].error) nt_note("status 0x%08x", (ULONG)cases[i].status);
    CHECK_EQ(got, cases[i].error);
    CHECK_EQ(RtlNtStatusToDosErrorNoTeb(cases[i].status), cases[i].error);
  }
  RtlNtStatusToDosError(STATUS_ACCESS_DENIED);
  CHECK_EQ((ULONG)RtlGetLastNtStatus(), (ULONG)STATUS_ACCESS_DENIED);
  CHECK_EQ(teb_ulong(0x1250), (ULONG)STATUS_ACCESS_DENIED); /* TEB.LastStatusValue */
  RtlNtStatusToDosErrorNoTeb(STATUS_NO_MEMORY);
  CHECK_EQ((ULONG)RtlGetLastNtStatus(), (ULONG)STATUS_ACCESS_DENIED);
}

static void test_bitmap(void) {
  ULONG bits[3] = {0, 0, 0xFFFFFFFF}; /* the map is 70 bits: the last word's high bits are not */
  RTL_BITMAP map;
  RtlInitializeBitMap(&map, bits, 70);
  CHECK_EQ(map.SizeOfBitMap, 70);
  CHECK(map.Buffer == bits);
  CHECK(RtlAreBitsClear(&map, 0, 64));
  CHECK(!RtlAreBitsSet(&map, 0, 1));
  CHECK_EQ(RtlNumberOfSetBits(&map), 6); /* bits 64..69 */
  RtlClearAllBits(&map);
  CHECK_EQ(RtlNumberOfSetBits(&map), 0);
  CHECK(RtlAreBitsClear(&map, 0, 70));

  RtlSetBits(&map, 3, 40); /* 3..42, across a word */
  CHECK_EQ(bits[0], 0xFFFFFFF8);
  CHECK_EQ(bits[1], 0x7FF);
  CHECK(RtlAreBitsSet(&map, 3, 40));
  CHECK(!RtlAreBitsSet(&map, 2, 40));
  CHECK(!RtlAreBitsClear(&map, 40, 5));
  CHECK(RtlAreBitsClear(&map, 43, 27));
  CHECK(!RtlAreBitsClear(&map, 60, 20)); /* reaches past the end */
  CHECK_EQ(RtlNumberOfSetBits(&map), 40);

  CHECK_EQ(RtlFindClearBits(&map, 3, 0), 0);
  CHECK_EQ(RtlFindClearBits(&map, 4, 0), 43);
  CHECK_EQ(RtlFindClearBits(&map, 2, 50), 50);
  CHECK_EQ(RtlFindClearBits(&map, 3, 69), 0);   /* nothing from the hint on: wraps */
  CHECK_EQ(RtlFindClearBits(&map, 28, 0), ~0U); /* 27 clear at the end is the longest run */
  CHECK_EQ(RtlFindClearBits(&map, 0, 5), ~0U);
  CHECK_EQ(RtlFindClearBits(&map, 71, 0), ~0U);
  CHECK_EQ(RtlFindSetBits(&map, 40, 0), 3);
  CHECK_EQ(RtlFindSetBits(&map, 5, 20), 20);
  CHECK_EQ(RtlFindSetBits(&map, 41, 0), ~0U);

  CHECK_EQ(RtlFindClearBitsAndSet(&map, 27, 10), 43);
  CHECK(RtlAreBitsSet(&map, 43, 27));
  CHECK_EQ(RtlFindClearBitsAndSet(&map, 3, 10), 0);
  CHECK_EQ(RtlNumberOfSetBits(&map), 70);
  CHECK_EQ(RtlFindClearBitsAndSet(&map, 1, 0), ~0U);
  RtlClearBits(&map, 32, 33);
  CHECK_EQ(bits[1], 0);
  CHECK_EQ(bits[2] & 0x3F, 0x3E);
  CHECK_EQ(RtlNumberOfClearBits(&map), 33);
  CHECK_EQ(RtlFindSetBitsAndClear(&map, 5, 60), 65);
  CHECK_EQ(RtlNumberOfClearBits(&map), 38);
  CHECK_EQ(RtlFindSetBitsAndClear(&map, 40, 0), ~0U);
  RtlSetAllBits(&map);
  CHECK(RtlAreBitsSet(&map, 0, 70));
  CHECK_EQ(RtlNumberOfClearBits(&map), 0);
}

static void test_encode_pointer(void) {
  static int marker;
  void* p = &marker;
  void* e = RtlEncodePointer(p);
  CHECK(RtlDecodePointer(e) == p);
  CHECK(RtlEncodePointer(p) == e); /* the same cookie for the whole process */
  CHECK(RtlDecodePointer(RtlEncodePointer(NULL)) == NULL);
  void* s = RtlEncodeSystemPointer(p);
  CHECK(RtlDecodeSystemPointer(s) == p);
  CHECK(RtlDecodeSystemPointer(RtlEncodeSystemPointer((void*)~0ULL)) == (void*)~0ULL);
  nt_note("encoded %p -> %p (process), %p (system)", p, e, s);
}

#define VER_MINORVERSION 0x01
#define VER_MAJORVERSION 0x02
#define VER_BUILDNUMBER 0x04
#define VER_PLATFORMID 0x08
#define VER_SERVICEPACKMINOR 0x10
#define VER_SERVICEPACKMAJOR 0x20
#define VER_SUITENAME 0x40
#define VER_PRODUCT_TYPE 0x80
#define VER_EQUAL 1
#define VER_GREATER 2
#define VER_GREATER_EQUAL 3
#define VER_LESS 4
#define VER_LESS_EQUAL 5
#define VER_AND 6
#define VER_OR 7

static void test_version(void) {
  const PEB* peb = nt_peb();
  OSVERSIONINFOEXW info;
  memset(&info, 0xCC, sizeof(info));
  info.dwOSVersionInfoSize = OSVERSIONINFOW_SIZE;
  CHECK_OK(RtlGetVersion(&info));
  CHECK_EQ(info.dwMajorVersion, peb->OSMajorVersion);
  CHECK_EQ(info.dwMinorVersion, peb->OSMinorVersion);
  CHECK_EQ(info.dwBuildNumber, peb->OSBuildNumber);
  CHECK_EQ(info.dwPlatformId, 2); /* VER_PLATFORM_WIN32_NT */
  /* An OSVERSIONINFOW gets no EX fields (Wine 8 writes them past its end regardless). */
  if (!nt_is_wine()) CHECK_EQ(info.wServicePackMajor, 0xCCCC);
  nt_note("RtlGetVersion: %u.%u.%u", info.dwMajorVersion, info.dwMinorVersion, info.dwBuildNumber);

  memset(&info, 0xCC, sizeof(info));
  info.dwOSVersionInfoSize = sizeof(info);
  CHECK_OK(RtlGetVersion(&info));
  CHECK_EQ(info.dwMajorVersion, peb->OSMajorVersion);
  if (!nt_is_wine()) /* Wine 8 reports 7 SP1 here but no service pack in the PEB */
    CHECK_EQ(info.wServicePackMajor, peb->OSCSDVersion >> 8);
  CHECK_EQ(info.wServicePackMinor, peb->OSCSDVersion & 0xFF);
  CHECK_EQ(info.wProductType, 1); /* VER_NT_WORKSTATION */

  DWORD major = 0, minor = 0, build = 0;
  RtlGetNtVersionNumbers(&major, &minor, &build);
  CHECK_EQ(major, peb->OSMajorVersion);
  CHECK_EQ(minor, peb->OSMinorVersion);
  CHECK_EQ(build, 0xF0000000u | peb->OSBuildNumber); /* a free build */
  RtlGetNtVersionNumbers(NULL, NULL, &build);

  DWORD product = 0xdead;
  CHECK(RtlGetProductInfo(10, 0, 0, 0, &product));
  CHECK(product != 0 && product != 0xdead);
  CHECK(!RtlGetProductInfo(5, 1, 0, 0, &product));
  CHECK_EQ(product, 0); /* PRODUCT_UNDEFINED */

  /* RtlVerifyVersionInfo against what RtlGetVersion says. */
  OSVERSIONINFOEXW want;
  memset(&want, 0, sizeof(want));
  want.dwOSVersionInfoSize = sizeof(want);
  want.dwMajorVersion = info.dwMajorVersion;
  want.dwMinorVersion = info.dwMinorVersion;
  want.dwBuildNumber = info.dwBuildNumber;
  want.dwPlatformId = 2;
  ULONGLONG ge = VerSetConditionMask(0, VER_MAJORVERSION, VER_GREATER_EQUAL);
  ge = VerSetConditionMask(ge, VER_MINORVERSION, VER_GREATER_EQUAL);
  CHECK_OK(RtlVerifyVersionInfo(&want, VER_MAJORVERSION | VER_MINORVERSION, ge));
  want.dwMinorVersion = info.dwMinorVersion + 1;
  CHECK_STATUS(RtlVerifyVersionInfo(&want, VER_MAJORVERSION | VER_MINORVERSION, ge),
               STATUS_REVISION_MISMATCH);
  want.dwMajorVersion = info.dwMajorVersion - 1; /* a smaller major decides */
  CHECK_OK(RtlVerifyVersionInfo(&want, VER_MAJORVERSION | VER_MINORVERSION, ge));
  want.dwMajorVersion = 6;
  want.dwMinorVersion = 1; /* "Windows 7 or later" */
  CHECK_OK(RtlVerifyVersionInfo(&want, VER_MAJORVERSION | VER_MINORVERSION, ge));
  const ULONGLONG eq = VerSetConditionMask(0, VER_MAJORVERSION, VER_EQUAL);
  want.dwMajorVersion = info.dwMajorVersion + 1;
  CHECK_STATUS(RtlVerifyVersionInfo(&want, VER_MAJORVERSION, eq), STATUS_REVISION_MISMATCH);
  want.dwMajorVersion = info.dwMajorVersion;
  CHECK_OK(RtlVerifyVersionInfo(&want, VER_MAJORVERSION, eq));
  const ULONGLONG less = VerSetConditionMask(0, VER_BUILDNUMBER, VER_LESS);
  want.dwBuildNumber = info.dwBuildNumber + 1;
  CHECK_OK(RtlVerifyVersionInfo(&want, VER_BUILDNUMBER, less));
  want.dwBuildNumber = info.dwBuildNumber;
  CHECK_STATUS(RtlVerifyVersionInfo(&want, VER_BUILDNUMBER, less), STATUS_REVISION_MISMATCH);
  CHECK_OK(RtlVerifyVersionInfo(&want, VER_PLATFORMID,
                                VerSetConditionMask(0, VER_PLATFORMID, VER_EQUAL)));
  want.wProductType = 1;
  CHECK_OK(RtlVerifyVersionInfo(&want, VER_PRODUCT_TYPE,
                                VerSetConditionMask(0, VER_PRODUCT_TYPE, VER_EQUAL)));
  CHECK_STATUS(RtlVerifyVersionInfo(&want, 0, eq), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlVerifyVersionInfo(&want, VER_MAJORVERSION, 0), STATUS_INVALID_PARAMETER);
}

static void test_processor(void) {
  const volatile UCHAR* features = (const volatile UCHAR*)0x7FFE0274;
  for (ULONG f = 0; f < 64; f++) CHECK_EQ(RtlIsProcessorFeaturePresent(f), features[f] != 0);
  CHECK(RtlIsProcessorFeaturePresent(3));  /* PF_MMX_INSTRUCTIONS_AVAILABLE: every x64 */
  CHECK(RtlIsProcessorFeaturePresent(10)); /* PF_XMMI64_INSTRUCTIONS_AVAILABLE (SSE2) */
  CHECK(!RtlIsProcessorFeaturePresent(64));
  CHECK(!RtlIsProcessorFeaturePresent(1000));

  const ULONG processors = *(const ULONG*)((const char*)nt_peb() + 0xB8); /* NumberOfProcessors */
  PROCESSOR_NUMBER number;
  memset(&number, 0xCC, sizeof(number));
  RtlGetCurrentProcessorNumberEx(&number);
  CHECK_EQ(number.Group, 0);
  CHECK(number.Number < processors || nt_is_wine()); /* Wine may not fill NumberOfProcessors */
  CHECK_EQ(number.Reserved, 0);
  if (!nt_is_wine()) CHECK(RtlGetCurrentProcessorNumber() < 1024); /* Wine 8 lacks it */
  nt_note("on processor %u of %u", number.Number, processors);
}

#define MUI_LANGUAGE_ID 0x4
#define MUI_LANGUAGE_NAME 0x8

static int multi_eq(const WCHAR* got, const WCHAR* want, ULONG chars) {
  return memcmp(got, want, chars * sizeof(WCHAR)) == 0;
}

static void test_ui_languages(void) {
  WCHAR buffer[64];
  ULONG count, size;

  /* The user's and the system's: en-US, as a name or as a LANGID. */
  count = 0, size = 64;
  CHECK_OK(RtlGetUserPreferredUILanguages(MUI_LANGUAGE_NAME, 0, &count, buffer, &size));
  CHECK_EQ(count, 1);
  CHECK_EQ(size, 7);
  CHECK(multi_eq(buffer, L"en-US\0", 7));
  count = 0, size = 64;
  CHECK_OK(RtlGetSystemPreferredUILanguages(MUI_LANGUAGE_ID, 0, &count, buffer, &size));
  CHECK_EQ(count, 1);
  CHECK_EQ(size, 6);
  CHECK(multi_eq(buffer, L"0409\0", 6));
  count = 0, size = 0;
  CHECK_OK(RtlGetUserPreferredUILanguages(MUI_LANGUAGE_NAME, 0, &count, NULL, &size));
  CHECK_EQ(size, 7); /* measuring */
  count = 0, size = 3;
  CHECK_STATUS(RtlGetUserPreferredUILanguages(MUI_LANGUAGE_NAME, 0, &count, buffer, &size),
               STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(size, 7);
  size = 64;
  CHECK_STATUS(
      RtlGetUserPreferredUILanguages(MUI_LANGUAGE_ID | MUI_LANGUAGE_NAME, 0, &count, buffer, &size),
      STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlGetSystemPreferredUILanguages(0x10, 0, &count, buffer, &size),
               STATUS_INVALID_PARAMETER);

  /* A process or thread that set no list of its own gets the user's. */
  count = 0, size = 64;
  CHECK_OK(RtlGetProcessPreferredUILanguages(MUI_LANGUAGE_NAME, &count, buffer, &size));
  CHECK_EQ(count, 1);
  CHECK(multi_eq(buffer, L"en-US\0", 7));
  count = 0, size = 64;
  CHECK_OK(RtlGetThreadPreferredUILanguages(MUI_LANGUAGE_ID, &count, buffer, &size));
  CHECK_EQ(size, 6);
  CHECK(multi_eq(buffer, L"0409\0", 6));
  count = 0, size = 0;
  CHECK_OK(RtlGetThreadPreferredUILanguages(MUI_LANGUAGE_NAME, &count, NULL, &size));
  CHECK_EQ(size, 7);

  CHECK_OK(RtlSetThreadPreferredUILanguages(MUI_LANGUAGE_NAME, L"de-DE\0fr-FR\0", &count));
  CHECK_OK(RtlSetProcessPreferredUILanguages(MUI_LANGUAGE_NAME, L"en-US\0", &count));
  /* Wine 8's setters only say yes: what they set is ours to check. */
  if (!nt_is_wine()) {
    count = 0, size = 64;
    CHECK_OK(RtlGetThreadPreferredUILanguages(MUI_LANGUAGE_NAME, &count, buffer, &size));
    CHECK_EQ(count, 2);
    CHECK_EQ(size, 13);
    CHECK(multi_eq(buffer, L"de-DE\0fr-FR\0", 13));
    count = 0, size = 64;
    CHECK_OK(RtlGetProcessPreferredUILanguages(MUI_LANGUAGE_NAME, &count, buffer, &size));
    CHECK_EQ(count, 1);
    CHECK(multi_eq(buffer, L"en-US\0", 7));
  }
  CHECK_OK(RtlSetThreadPreferredUILanguages(MUI_LANGUAGE_NAME, NULL, &count));
  CHECK_OK(RtlSetProcessPreferredUILanguages(MUI_LANGUAGE_NAME, NULL, &count));
  count = 0, size = 64;
  CHECK_OK(RtlGetThreadPreferredUILanguages(MUI_LANGUAGE_NAME, &count, buffer, &size));
  CHECK(multi_eq(buffer, L"en-US\0", 7));
}

/* A native 64-bit process: no WOW64 redirection to switch, no 32-bit contexts. */
static void test_wow64(void) {
  PVOID old = NULL;
  CHECK_STATUS(RtlWow64EnableFsRedirectionEx((PVOID)1, &old), STATUS_NOT_IMPLEMENTED);
  CHECK_STATUS(RtlWow64EnableFsRedirection(TRUE), STATUS_NOT_IMPLEMENTED);
  static char context[0x2cc]; /* WOW64_CONTEXT */
  CHECK_STATUS(RtlWow64GetThreadContext(NtCurrentThread(), context), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlWow64SetThreadContext(NtCurrentThread(), context), STATUS_INVALID_PARAMETER);
  USHORT current = 7, native = 7;
  CHECK_OK(RtlWow64GetProcessMachines(NtCurrentProcess(), &current, &native));
  if (!nt_is_wine()) {        /* Wine 8 leaves both untouched in a 64-bit process */
    CHECK_EQ(current, 0);     /* IMAGE_FILE_MACHINE_UNKNOWN: not under WOW64 */
    CHECK_EQ(native, 0x8664); /* IMAGE_FILE_MACHINE_AMD64 */
  }
}

/* The harness ends the program through RtlExitUserProcess: the exit status ctest sees is its
 * work, and returning from it would hit the harness's ud2. */
static void exit_through_rtl(NTSTATUS status) {
  RtlExitUserProcess(status);
}

void test_main(void) {
  test_last_error();
  test_status_to_dos_error();
  test_bitmap();
  test_encode_pointer();
  test_version();
  test_processor();
  test_ui_languages();
  test_wow64();
  nt_exit_hook = exit_through_rtl;
}
