/* The NLS family: the NLS services (NtGetNlsSectionPtr, NtInitializeNlsFiles, the default
 * locales and UI languages), the PEB's code page and case tables, code page conversions (ANSI
 * 1252, OEM 437, a DBCS table through the CustomCP functions), UTF-8 and Unicode casing. */
#include "nttest.h"

#define STATUS_SOME_NOT_MAPPED ((NTSTATUS)0x00000107)
#define STATUS_NO_UNICODE_TRANSLATION ((NTSTATUS)0xC0000717)
#define STATUS_INVALID_IDN_NORMALIZATION ((NTSTATUS)0xC0000716)
#define IDN_ALLOW_UNASSIGNED 0x01
#define IDN_USE_STD3_ASCII_RULES 0x02

typedef struct NLS_STRING {
  USHORT Length;
  USHORT MaximumLength;
  char* Buffer;
} NLS_STRING;

typedef struct CPTABLEINFO {
  USHORT CodePage;
  USHORT MaximumCharacterSize;
  USHORT DefaultChar;
  USHORT UniDefaultChar;
  USHORT TransDefaultChar;
  USHORT TransUniDefaultChar;
  USHORT DBCSCodePage;
  UCHAR LeadByte[12];
  USHORT* MultiByteTable;
  void* WideCharTable;
  USHORT* DBCSRanges;
  USHORT* DBCSOffsets;
} CPTABLEINFO;
_Static_assert(sizeof(CPTABLEINFO) == 64, "CPTABLEINFO layout");

typedef USHORT LANGID;
typedef ULONG LCID;

NTSTATUS NTAPI NtGetNlsSectionPtr(ULONG type, ULONG id, void* context, void** ptr, SIZE_T* size);
NTSTATUS NTAPI NtInitializeNlsFiles(void** ptr, LCID* lcid, LARGE_INTEGER* size);
NTSTATUS NTAPI NtQueryDefaultLocale(BOOLEAN user, LCID* lcid);
NTSTATUS NTAPI NtSetDefaultLocale(BOOLEAN user, LCID lcid);
NTSTATUS NTAPI NtQueryInstallUILanguage(LANGID* lang);
NTSTATUS NTAPI NtQueryDefaultUILanguage(LANGID* lang);
NTSTATUS NTAPI NtSetDefaultUILanguage(LANGID lang);
NTSTATUS NTAPI RtlGetLocaleFileMappingAddress(void** ptr, LCID* lcid, LARGE_INTEGER* size);
void NTAPI RtlInitCodePageTable(USHORT* ptr, CPTABLEINFO* info);
NTSTATUS NTAPI RtlMultiByteToUnicodeN(WCHAR* dst, ULONG max, ULONG* len, const char* src,
                                      ULONG src_len);
NTSTATUS NTAPI RtlMultiByteToUnicodeSize(ULONG* size, const char* src, ULONG src_len);
NTSTATUS NTAPI RtlUnicodeToMultiByteN(char* dst, ULONG max, ULONG* len, const WCHAR* src,
                                      ULONG src_len);
NTSTATUS NTAPI RtlUnicodeToMultiByteSize(ULONG* size, const WCHAR* src, ULONG src_len);
NTSTATUS NTAPI RtlOemToUnicodeN(WCHAR* dst, ULONG max, ULONG* len, const char* src, ULONG src_len);
NTSTATUS NTAPI RtlUnicodeToOemN(char* dst, ULONG max, ULONG* len, const WCHAR* src, ULONG src_len);
NTSTATUS NTAPI RtlCustomCPToUnicodeN(CPTABLEINFO* info, WCHAR* dst, ULONG max, ULONG* len,
                                     const char* src, ULONG src_len);
NTSTATUS NTAPI RtlUnicodeToCustomCPN(CPTABLEINFO* info, char* dst, ULONG max, ULONG* len,
                                     const WCHAR* src, ULONG src_len);
NTSTATUS NTAPI RtlAnsiStringToUnicodeString(UNICODE_STRING* dst, const NLS_STRING* src,
                                            BOOLEAN alloc);
NTSTATUS NTAPI RtlUnicodeStringToAnsiString(NLS_STRING* dst, const UNICODE_STRING* src,
                                            BOOLEAN alloc);
NTSTATUS NTAPI RtlOemStringToUnicodeString(UNICODE_STRING* dst, const NLS_STRING* src,
                                           BOOLEAN alloc);
NTSTATUS NTAPI RtlUnicodeStringToOemString(NLS_STRING* dst, const UNICODE_STRING* src,
                                           BOOLEAN alloc);
ULONG NTAPI RtlUnicodeStringToAnsiSize(const UNICODE_STRING* src);
ULONG NTAPI RtlUnicodeStringToOemSize(const UNICODE_STRING* src);
ULONG NTAPI RtlxUnicodeStringToAnsiSize(const UNICODE_STRING* src);
ULONG NTAPI RtlxAnsiStringToUnicodeSize(const NLS_STRING* src);
ULONG NTAPI RtlxOemStringToUnicodeSize(const NLS_STRING* src);
ULONG NTAPI RtlxUnicodeStringToOemSize(const UNICODE_STRING* src);
WCHAR NTAPI RtlAnsiCharToUnicodeChar(UCHAR** src);
WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR ch);
WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR ch);
NTSTATUS NTAPI RtlUpcaseUnicodeString(UNICODE_STRING* dst, const UNICODE_STRING* src,
                                      BOOLEAN alloc);
NTSTATUS NTAPI RtlDowncaseUnicodeString(UNICODE_STRING* dst, const UNICODE_STRING* src,
                                        BOOLEAN alloc);
char NTAPI RtlUpperChar(char ch);
void NTAPI RtlUpperString(NLS_STRING* dst, const NLS_STRING* src);
NTSTATUS NTAPI RtlUTF8ToUnicodeN(WCHAR* dst, ULONG max, ULONG* len, const char* src, ULONG src_len);
NTSTATUS NTAPI RtlUnicodeToUTF8N(char* dst, ULONG max, ULONG* len, const WCHAR* src, ULONG src_len);
NTSTATUS NTAPI RtlNormalizeString(ULONG form, const WCHAR* src, LONG src_len, WCHAR* dst,
                                  LONG* dst_len);
NTSTATUS NTAPI RtlIsNormalizedString(ULONG form, const WCHAR* src, LONG len, BOOLEAN* res);
NTSTATUS NTAPI RtlIdnToAscii(ULONG flags, const WCHAR* src, LONG src_len, WCHAR* dst,
                             LONG* dst_len);
NTSTATUS NTAPI RtlIdnToUnicode(ULONG flags, const WCHAR* src, LONG src_len, WCHAR* dst,
                               LONG* dst_len);
NTSTATUS NTAPI RtlIdnToNameprepUnicode(ULONG flags, const WCHAR* src, LONG src_len, WCHAR* dst,
                                       LONG* dst_len);
PVOID NTAPI RtlAllocateHeap(PVOID heap, ULONG flags, SIZE_T size);
BOOLEAN NTAPI RtlFreeHeap(PVOID heap, ULONG flags, PVOID ptr);
extern __declspec(dllimport) BOOLEAN NlsMbCodePageTag;
extern __declspec(dllimport) BOOLEAN NlsMbOemCodePageTag;

#define NLS_SECTION_SORTKEYS 9
#define NLS_SECTION_CASEMAP 10
#define NLS_SECTION_CODEPAGE 11
#define NLS_SECTION_NORMALIZE 12

/* PEB fields the NLS family fills (nttest's PEB does not name them). */
static void* peb_field(ULONG offset) {
  return *(void**)((char*)nt_peb() + offset);
}
#define PEB_PROCESS_HEAP 0x30
#define PEB_ANSI_CODE_PAGE_DATA 0xA0
#define PEB_OEM_CODE_PAGE_DATA 0xA8
#define PEB_UNICODE_CASE_TABLE_DATA 0xB0

static void init_ansi(NLS_STRING* s, char* buf, USHORT len, USHORT max) {
  s->Buffer = buf;
  s->Length = len;
  s->MaximumLength = max;
}

static void init_uni(UNICODE_STRING* s, WCHAR* buf, USHORT len_bytes, USHORT max_bytes) {
  s->Buffer = buf;
  s->Length = len_bytes;
  s->MaximumLength = max_bytes;
}

/* ---- Services -------------------------------------------------------------------------- */

static void test_nls_sections(void) {
  void* p = NULL;
  void* again = NULL;
  SIZE_T size = 0;
  CHECK_OK(NtGetNlsSectionPtr(NLS_SECTION_CODEPAGE, 1252, NULL, &p, &size));
  CHECK(p != NULL);
  CHECK(size >= 66082); /* c_1252.nls: header, tables, the 64 KiB WideCharTable */
  if (p) {
    CHECK_EQ(((USHORT*)p)[0], 13); /* header size in words */
    CHECK_EQ(((USHORT*)p)[1], 1252);
    CHECK_EQ(((USHORT*)p)[2], 1);
  }
  /* Asking again gives the same data (ireactor maps each file once; Wine maps a new view). */
  CHECK_OK(NtGetNlsSectionPtr(NLS_SECTION_CODEPAGE, 1252, NULL, &again, &size));
  CHECK(again != NULL && memcmp(again, p, 64) == 0);
  CHECK_OK(NtGetNlsSectionPtr(NLS_SECTION_CODEPAGE, 37, NULL, &p, &size)); /* c_037.nls */
  if (p) CHECK_EQ(((USHORT*)p)[1], 37);
  CHECK_OK(NtGetNlsSectionPtr(NLS_SECTION_CODEPAGE, 932, NULL, &p, &size));
  if (p) CHECK_EQ(((USHORT*)p)[2], 2); /* a DBCS code page */
  CHECK_OK(NtGetNlsSectionPtr(NLS_SECTION_CASEMAP, 0, NULL, &p, &size));
  CHECK(p != NULL && size > 4);
  CHECK_OK(NtGetNlsSectionPtr(NLS_SECTION_SORTKEYS, 0, NULL, &p, &size));
  CHECK(p != NULL && size > 0);
  static const ULONG forms[] = {1, 2, 5, 6, 13};
  for (ULONG i = 0; i < sizeof(forms) / sizeof(*forms); i++) {
    p = NULL;
    CHECK_OK(NtGetNlsSectionPtr(NLS_SECTION_NORMALIZE, forms[i], NULL, &p, &size));
    CHECK(p != NULL);
  }
  CHECK_STATUS(NtGetNlsSectionPtr(NLS_SECTION_CODEPAGE, 12345, NULL, &p, &size),
               STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK_STATUS(NtGetNlsSectionPtr(NLS_SECTION_NORMALIZE, 3, NULL, &p, &size),
               STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK_STATUS(NtGetNlsSectionPtr(8, 0, NULL, &p, &size), STATUS_INVALID_PARAMETER_1);
  CHECK_STATUS(NtGetNlsSectionPtr(13, 0, NULL, &p, &size), STATUS_INVALID_PARAMETER_1);
}

static void test_locale_services(void) {
  void* p = NULL;
  LCID lcid = 0;
  LARGE_INTEGER size;
  size.QuadPart = 0;
  CHECK_OK(NtInitializeNlsFiles(&p, &lcid, &size));
  CHECK(p != NULL);
  nt_note("NtInitializeNlsFiles: locale.nls at %p, %llu bytes, LCID %x", p,
          (ULONGLONG)size.QuadPart, lcid);

  void* q = NULL;
  LCID lcid2 = 0;
  LARGE_INTEGER size2;
  CHECK_OK(RtlGetLocaleFileMappingAddress(&q, &lcid2, &size2));
  CHECK(q != NULL);
  CHECK_EQ(lcid2, lcid);

  LCID user = 0, system = 0;
  CHECK_OK(NtQueryDefaultLocale(TRUE, &user));
  CHECK_OK(NtQueryDefaultLocale(FALSE, &system));
  CHECK_EQ(system, lcid);
  nt_note("default locales: user %x, system %x", user, system);
  if (!nt_is_wine()) { /* Wine's follow the Unix locale; ours are en-US */
    CHECK_EQ(user, 0x0409);
    CHECK_EQ(system, 0x0409);
  }
  /* Changing the user locale is seen by the next query (and stays in this process). */
  CHECK_OK(NtSetDefaultLocale(TRUE, 0x0407));
  LCID now = 0;
  CHECK_OK(NtQueryDefaultLocale(TRUE, &now));
  CHECK_EQ(now, 0x0407);
  CHECK_OK(NtSetDefaultLocale(TRUE, user));
  CHECK_OK(NtQueryDefaultLocale(TRUE, &now));
  CHECK_EQ(now, user);

  LANGID install = 0, ui = 0;
  CHECK_OK(NtQueryInstallUILanguage(&install));
  CHECK_OK(NtQueryDefaultUILanguage(&ui));
  nt_note("UI languages: install %x, default %x", install, ui);
  CHECK(install != 0 && ui != 0);
  if (!nt_is_wine()) {
    CHECK_EQ(install, 0x0409);
    CHECK_EQ(ui, 0x0409);
  }
}

/* ---- The PEB's tables ------------------------------------------------------------------ */

/* Whether the process runs with en-US's code pages, which the conversion tests assume: always on
 * ireactor; under Wine, when the Unix locale maps to them (C and en_US do). */
static int default_code_pages = 1;

static void test_peb_tables(void) {
  /* The first NLS call sets them up if process start did not. */
  WCHAR w[4];
  CHECK_OK(RtlMultiByteToUnicodeN(w, sizeof(w), NULL, "a", 1));
  USHORT* ansi = peb_field(PEB_ANSI_CODE_PAGE_DATA);
  USHORT* oem = peb_field(PEB_OEM_CODE_PAGE_DATA);
  USHORT* cases = peb_field(PEB_UNICODE_CASE_TABLE_DATA);
  CHECK(ansi != NULL);
  CHECK(oem != NULL);
  CHECK(cases != NULL);
  if (!ansi || !oem) return;
  nt_note("ANSI code page %u, OEM code page %u", ansi[1], oem[1]);
  if (nt_is_wine() && (ansi[1] != 1252 || oem[1] != 437)) {
    nt_note("Wine follows the Unix locale: the code page tests are skipped");
    default_code_pages = 0;
    return;
  }
  CHECK_EQ(ansi[1], 1252); /* en-US */
  CHECK_EQ(oem[1], 437);
  CHECK_EQ(NlsMbCodePageTag, 0);
  CHECK_EQ(NlsMbOemCodePageTag, 0);

  CPTABLEINFO info;
  memset(&info, 0xCC, sizeof(info));
  RtlInitCodePageTable(ansi, &info);
  CHECK_EQ(info.CodePage, 1252);
  CHECK_EQ(info.MaximumCharacterSize, 1);
  CHECK_EQ(info.DefaultChar, '?');
  CHECK_EQ(info.UniDefaultChar, '?');
  CHECK_EQ(info.DBCSCodePage, 0);
  CHECK(info.MultiByteTable != NULL);
  CHECK(info.WideCharTable != NULL);
  CHECK(info.DBCSOffsets == NULL);
  if (info.MultiByteTable) {
    CHECK_EQ(info.MultiByteTable['A'], 'A');
    CHECK_EQ(info.MultiByteTable[0x80], 0x20AC);
  }
  if (info.WideCharTable) CHECK_EQ(((UCHAR*)info.WideCharTable)[0x20AC], 0x80);
}

/* ---- Code pages ------------------------------------------------------------------------- */

static void test_ansi(void) {
  if (!default_code_pages) return;
  WCHAR w[16];
  char a[16];
  ULONG len = 0xdead;
  /* 1252: 0x80 is the euro sign, 0x9F Y with diaeresis; 0x81 is unassigned (maps to U+0081). */
  CHECK_OK(RtlMultiByteToUnicodeN(w, sizeof(w), &len, "A\x80\x9f\x81\xe9", 5));
  CHECK_EQ(len, 10);
  CHECK_EQ(w[0], 'A');
  CHECK_EQ(w[1], 0x20AC);
  CHECK_EQ(w[2], 0x0178);
  CHECK_EQ(w[3], 0x0081);
  CHECK_EQ(w[4], 0x00E9);
  /* Truncated output: what fits, success; odd sizes round down. */
  memset(w, 0, sizeof(w));
  CHECK_OK(RtlMultiByteToUnicodeN(w, 5, &len, "abcdef", 6));
  CHECK_EQ(len, 4);
  CHECK_EQ(w[1], 'b');
  CHECK_EQ(w[2], 0);
  CHECK_OK(RtlMultiByteToUnicodeN(w, 0, &len, "abc", 3));
  CHECK_EQ(len, 0);
  CHECK_OK(RtlMultiByteToUnicodeN(w, sizeof(w), NULL, "abc", 3)); /* the length is optional */
  CHECK_OK(RtlMultiByteToUnicodeSize(&len, "abc\x80", 4));
  CHECK_EQ(len, 8);
  CHECK_OK(RtlMultiByteToUnicodeSize(&len, "", 0));
  CHECK_EQ(len, 0);

  /* Unicode -> 1252: exact, best fit (A with macron -> A), unmappable -> '?'. */
  static const WCHAR u[] = {'x', 0x20AC, 0x00E9, 0x0100, 0x4E00, 0};
  len = 0xdead;
  CHECK_OK(RtlUnicodeToMultiByteN(a, sizeof(a), &len, u, 5 * sizeof(WCHAR)));
  CHECK_EQ(len, 5);
  CHECK_EQ((UCHAR)a[0], 'x');
  CHECK_EQ((UCHAR)a[1], 0x80);
  CHECK_EQ((UCHAR)a[2], 0xE9);
  CHECK_EQ((UCHAR)a[3], 'A');
  CHECK_EQ((UCHAR)a[4], '?');
  memset(a, 0, sizeof(a));
  CHECK_OK(RtlUnicodeToMultiByteN(a, 2, &len, u, 5 * sizeof(WCHAR)));
  CHECK_EQ(len, 2);
  CHECK_EQ(a[2], 0);
  CHECK_OK(RtlUnicodeToMultiByteN(a, sizeof(a), &len, u, 3)); /* an odd byte is ignored */
  CHECK_EQ(len, 1);
  CHECK_OK(RtlUnicodeToMultiByteN(a, sizeof(a), NULL, u, 2));
  CHECK_OK(RtlUnicodeToMultiByteSize(&len, (WCHAR*)u, 5 * sizeof(WCHAR)));
  CHECK_EQ(len, 5);

  UCHAR bytes[] = {0x80, 'b'};
  UCHAR* p = bytes;
  CHECK_EQ(RtlAnsiCharToUnicodeChar(&p), 0x20AC);
  CHECK(p == bytes + 1);
  CHECK_EQ(RtlAnsiCharToUnicodeChar(&p), 'b');
  CHECK(p == bytes + 2);
}

static void test_oem(void) {
  if (!default_code_pages) return;
  WCHAR w[8];
  char a[8];
  ULONG len = 0;
  /* 437: 0x80 C cedilla, 0xB0 light shade, 0x01 is a control code (no glyph mapping here). */
  CHECK_OK(RtlOemToUnicodeN(w, sizeof(w), &len, "\x80\xb0\x01z", 4));
  CHECK_EQ(len, 8);
  CHECK_EQ(w[0], 0x00C7);
  CHECK_EQ(w[1], 0x2591);
  CHECK_EQ(w[2], 0x0001);
  CHECK_EQ(w[3], 'z');
  static const WCHAR u[] = {0x00C7, 0x2591, 0x20AC, 'z'};
  CHECK_OK(RtlUnicodeToOemN(a, sizeof(a), &len, u, sizeof(u)));
  CHECK_EQ(len, 4);
  CHECK_EQ((UCHAR)a[0], 0x80);
  CHECK_EQ((UCHAR)a[1], 0xB0);
  CHECK_EQ((UCHAR)a[2], '?'); /* no euro sign in 437 */
  CHECK_EQ((UCHAR)a[3], 'z');
}

/* A DBCS code page through a caller's table: 932 (Shift-JIS). */
static void test_dbcs(void) {
  void* p = NULL;
  SIZE_T size = 0;
  if (!NT_SUCCESS(NtGetNlsSectionPtr(NLS_SECTION_CODEPAGE, 932, NULL, &p, &size)) || !p) {
    CHECK(!"c_932.nls maps");
    return;
  }
  CPTABLEINFO info;
  RtlInitCodePageTable(p, &info);
  CHECK_EQ(info.CodePage, 932);
  CHECK_EQ(info.MaximumCharacterSize, 2);
  CHECK(info.DBCSCodePage != 0);
  CHECK(info.DBCSOffsets != NULL);
  CHECK_EQ(info.LeadByte[0], 0x81);
  CHECK_EQ(info.LeadByte[1], 0x9F);
  CHECK_EQ(info.UniDefaultChar, 0x30FB);

  WCHAR w[8];
  ULONG len = 0;
  /* "A", HIRAGANA LETTER A (82 A0), halfwidth katakana (B1: single byte) */
  CHECK_OK(RtlCustomCPToUnicodeN(&info, w, sizeof(w), &len, "A\x82\xa0\xb1", 4));
  CHECK_EQ(len, 6);
  CHECK_EQ(w[0], 'A');
  CHECK_EQ(w[1], 0x3042);
  CHECK_EQ(w[2], 0xFF71);
  /* A lead byte at the very end stands alone. */
  CHECK_OK(RtlCustomCPToUnicodeN(&info, w, sizeof(w), &len, "a\x82", 2));
  CHECK_EQ(len, 4);
  nt_note("932: a lone lead byte 82 -> U+%04X", w[1]);
  CHECK_EQ(w[1], info.MultiByteTable[0x82]);

  char a[8];
  static const WCHAR u[] = {'A', 0x3042, 0xFF71, 0x20AC};
  memset(a, 0, sizeof(a));
  CHECK_OK(RtlUnicodeToCustomCPN(&info, a, sizeof(a), &len, u, sizeof(u)));
  CHECK_EQ(len, 5);
  CHECK_EQ((UCHAR)a[0], 'A');
  CHECK_EQ((UCHAR)a[1], 0x82);
  CHECK_EQ((UCHAR)a[2], 0xA0);
  CHECK_EQ((UCHAR)a[3], 0xB1);
  CHECK_EQ((UCHAR)a[4], '?');
  /* A double-byte character is never split: with 2 bytes of room only "A" fits. */
  memset(a, 0, sizeof(a));
  CHECK_OK(RtlUnicodeToCustomCPN(&info, a, 2, &len, u, sizeof(u)));
  CHECK_EQ(len, 1);
  CHECK_EQ((UCHAR)a[1], 0);
}

/* A UTF-8 "table": its header names code page 65001 and conversions are UTF-8's. */
static void test_utf8_table(void) {
  USHORT header[32];
  memset(header, 0, sizeof(header));
  header[0] = 13;
  header[1] = 65001;
  CPTABLEINFO info;
  RtlInitCodePageTable(header, &info);
  CHECK_EQ(info.CodePage, 65001);
  CHECK_EQ(info.MaximumCharacterSize, 4);
  CHECK_EQ(info.UniDefaultChar, 0xFFFD);
  nt_note("UTF-8 table: DefaultChar %x TransDefaultChar %x", info.DefaultChar,
          info.TransDefaultChar);
  /* Wine's CustomCP functions read such a table's (absent) arrays and fault; ours convert as
   * UTF-8, as the ANSI functions do when the ANSI code page is 65001. */
  if (nt_is_wine()) return;
  WCHAR w[4];
  char a[8];
  ULONG len = 0;
  CHECK_OK(RtlCustomCPToUnicodeN(&info, w, sizeof(w), &len, "\xc3\xa9x", 3));
  CHECK_EQ(len, 4);
  CHECK_EQ(w[0], 0xE9);
  static const WCHAR euro[] = {0x20AC};
  CHECK_OK(RtlUnicodeToCustomCPN(&info, a, sizeof(a), &len, euro, sizeof(euro)));
  CHECK_EQ(len, 3);
  CHECK(memcmp(a, "\xe2\x82\xac", 3) == 0);
}

/* ---- STRING <-> UNICODE_STRING --------------------------------------------------------- */

static void test_ansi_strings(void) {
  if (!default_code_pages) return;
  char abuf[16];
  WCHAR wbuf[16];
  NLS_STRING as;
  UNICODE_STRING us;

  init_ansi(&as, "h\xe9llo", 5, 6);
  CHECK_EQ(RtlxAnsiStringToUnicodeSize(&as), 12);
  init_uni(&us, wbuf, 0, sizeof(wbuf));
  CHECK_OK(RtlAnsiStringToUnicodeString(&us, &as, FALSE));
  CHECK_EQ(us.Length, 10);
  CHECK_EQ(us.MaximumLength, sizeof(wbuf));
  CHECK_EQ(wbuf[1], 0xE9);
  CHECK_EQ(wbuf[5], 0); /* terminated */
  /* Room for the characters but not the NUL: overflow, nothing written. */
  init_uni(&us, wbuf, 0, 10);
  wbuf[0] = 0x1234;
  CHECK_STATUS(RtlAnsiStringToUnicodeString(&us, &as, FALSE), STATUS_BUFFER_OVERFLOW);
  CHECK_EQ(wbuf[0], 0x1234);
  nt_note("after overflow: Length %u", us.Length);

  static WCHAR text[] = {'h', 0xE9, 'l', 0x20AC, 0x4E00};
  init_uni(&us, text, sizeof(text), sizeof(text));
  CHECK_EQ(RtlUnicodeStringToAnsiSize(&us), 6);
  CHECK_EQ(RtlxUnicodeStringToAnsiSize(&us), 6);
  init_ansi(&as, abuf, 0, sizeof(abuf));
  CHECK_OK(RtlUnicodeStringToAnsiString(&as, &us, FALSE));
  CHECK_EQ(as.Length, 5);
  CHECK_EQ((UCHAR)abuf[1], 0xE9);
  CHECK_EQ((UCHAR)abuf[3], 0x80);
  CHECK_EQ((UCHAR)abuf[4], '?');
  CHECK_EQ(abuf[5], 0);
  /* Too small: what fits, NUL-terminated, and STATUS_BUFFER_OVERFLOW. */
  memset(abuf, 'x', sizeof(abuf));
  init_ansi(&as, abuf, 0, 3);
  CHECK_STATUS(RtlUnicodeStringToAnsiString(&as, &us, FALSE), STATUS_BUFFER_OVERFLOW);
  CHECK_EQ(as.Length, 2);
  CHECK_EQ(abuf[0], 'h');
  CHECK_EQ(abuf[2], 0);
  CHECK_EQ(abuf[3], 'x');
  init_ansi(&as, abuf, 0, 0);
  CHECK_STATUS(RtlUnicodeStringToAnsiString(&as, &us, FALSE), STATUS_BUFFER_OVERFLOW);
  /* More than a UNICODE_STRING can hold. */
  static char big[0x8000];
  init_ansi(&as, big, sizeof(big), sizeof(big));
  init_uni(&us, wbuf, 0, sizeof(wbuf));
  CHECK_STATUS(RtlAnsiStringToUnicodeString(&us, &as, FALSE), STATUS_INVALID_PARAMETER_2);

  /* OEM forms. */
  init_ansi(&as, "\x80z", 2, 2);
  init_uni(&us, wbuf, 0, sizeof(wbuf));
  CHECK_OK(RtlOemStringToUnicodeString(&us, &as, FALSE));
  CHECK_EQ(us.Length, 4);
  CHECK_EQ(wbuf[0], 0xC7);
  init_ansi(&as, abuf, 0, sizeof(abuf));
  CHECK_EQ(RtlUnicodeStringToOemSize(&us), 3);
  CHECK_EQ(RtlxUnicodeStringToOemSize(&us), 3);
  init_ansi(&as, "\x80z", 2, 2);
  CHECK_EQ(RtlxOemStringToUnicodeSize(&as), 6);
  init_ansi(&as, abuf, 0, sizeof(abuf));
  CHECK_OK(RtlUnicodeStringToOemString(&as, &us, FALSE));
  CHECK_EQ(as.Length, 2);
  CHECK_EQ((UCHAR)abuf[0], 0x80);

  /* Allocating forms: from the process heap, exactly the size needed. */
  PVOID heap = peb_field(PEB_PROCESS_HEAP);
  if (!heap) {
    nt_note("no process heap yet: the allocating forms are not tested");
    return;
  }
  init_ansi(&as, "abc", 3, 4);
  CHECK_OK(RtlAnsiStringToUnicodeString(&us, &as, TRUE));
  CHECK_EQ(us.Length, 6);
  CHECK_EQ(us.MaximumLength, 8);
  CHECK(us.Buffer != NULL && us.Buffer[2] == 'c' && us.Buffer[3] == 0);
  NLS_STRING back;
  CHECK_OK(RtlUnicodeStringToAnsiString(&back, &us, TRUE));
  CHECK_EQ(back.Length, 3);
  CHECK_EQ(back.MaximumLength, 4);
  CHECK(back.Buffer != NULL && back.Buffer[0] == 'a' && back.Buffer[3] == 0);
  RtlFreeHeap(heap, 0, back.Buffer);
  RtlFreeHeap(heap, 0, us.Buffer);
}

/* ---- Casing ---------------------------------------------------------------------------- */

/* FNV-1a over every code unit's mapping: l_intl.nls's tables (Windows' case mapping; 1163 code
 * units change case each way). */
static ULONG case_checksum(WCHAR (*NTAPI map)(WCHAR), ULONG* changed) {
  ULONG h = 2166136261u;
  *changed = 0;
  for (ULONG c = 0; c < 0x10000; c++) {
    WCHAR v = map((WCHAR)c);
    if (v != c) ++*changed;
    h = (h ^ v) * 16777619u;
  }
  return h;
}

static void test_case_chars(void) {
  CHECK_EQ(RtlUpcaseUnicodeChar('a'), 'A');
  CHECK_EQ(RtlUpcaseUnicodeChar('Z'), 'Z');
  CHECK_EQ(RtlUpcaseUnicodeChar('1'), '1');
  CHECK_EQ(RtlUpcaseUnicodeChar(0x00E9), 0x00C9);
  CHECK_EQ(RtlUpcaseUnicodeChar(0x00FF), 0x0178);
  CHECK_EQ(RtlUpcaseUnicodeChar(0x00DF), 0x00DF); /* sharp s has no single upper case */
  CHECK_EQ(RtlUpcaseUnicodeChar(0x0131), 0x0131); /* dotless i stays (Windows' table) */
  CHECK_EQ(RtlUpcaseUnicodeChar(0x03C2), 0x03C2); /* final sigma stays (Windows' table) */
  CHECK_EQ(RtlUpcaseUnicodeChar(0x03C3), 0x03A3);
  CHECK_EQ(RtlUpcaseUnicodeChar(0x0430), 0x0410); /* Cyrillic */
  CHECK_EQ(RtlUpcaseUnicodeChar(0x2170), 0x2160); /* small roman numeral one */
  CHECK_EQ(RtlUpcaseUnicodeChar(0x24D0), 0x24B6); /* circled a */
  CHECK_EQ(RtlUpcaseUnicodeChar(0xFF41), 0xFF21); /* fullwidth a */
  CHECK_EQ(RtlUpcaseUnicodeChar(0xD801), 0xD801); /* surrogates map per unit: unchanged */
  CHECK_EQ(RtlUpcaseUnicodeChar(0xDC28), 0xDC28);
  CHECK_EQ(RtlUpcaseUnicodeChar(0xFFFF), 0xFFFF);
  CHECK_EQ(RtlDowncaseUnicodeChar('A'), 'a');
  CHECK_EQ(RtlDowncaseUnicodeChar(0x00C9), 0x00E9);
  CHECK_EQ(RtlDowncaseUnicodeChar(0x0178), 0x00FF);
  CHECK_EQ(RtlDowncaseUnicodeChar(0x0130), 0x0130); /* capital I with dot stays */
  CHECK_EQ(RtlDowncaseUnicodeChar(0x0410), 0x0430);
  CHECK_EQ(RtlDowncaseUnicodeChar(0xFF21), 0xFF41);
  CHECK_EQ(RtlDowncaseUnicodeChar('a'), 'a');

  ULONG changed = 0;
  CHECK_EQ(case_checksum(RtlUpcaseUnicodeChar, &changed), 0xcca9c50c);
  CHECK_EQ(changed, 1163);
  CHECK_EQ(case_checksum(RtlDowncaseUnicodeChar, &changed), 0x01c8143a);
  CHECK_EQ(changed, 1163);
}

static void test_case_strings(void) {
  static WCHAR src_text[] = {'a', 'B', 0x00E9, 0x0430, '1'};
  WCHAR buf[8];
  UNICODE_STRING src, dst;
  init_uni(&src, src_text, sizeof(src_text), sizeof(src_text));
  init_uni(&dst, buf, 0, sizeof(buf));
  CHECK_OK(RtlUpcaseUnicodeString(&dst, &src, FALSE));
  CHECK_EQ(dst.Length, sizeof(src_text));
  CHECK_EQ(dst.MaximumLength, sizeof(buf));
  CHECK_EQ(buf[0], 'A');
  CHECK_EQ(buf[1], 'B');
  CHECK_EQ(buf[2], 0x00C9);
  CHECK_EQ(buf[3], 0x0410);
  CHECK_EQ(buf[4], '1');
  CHECK_OK(RtlDowncaseUnicodeString(&dst, &src, FALSE));
  CHECK_EQ(buf[0], 'a');
  CHECK_EQ(buf[1], 'b');
  CHECK_EQ(buf[3], 0x0430);
  /* In place. */
  WCHAR inplace[] = {'x', 'y'};
  UNICODE_STRING ip;
  init_uni(&ip, inplace, sizeof(inplace), sizeof(inplace));
  CHECK_OK(RtlUpcaseUnicodeString(&ip, &ip, FALSE));
  CHECK_EQ(inplace[1], 'Y');
  /* Too small (exactly the length fits: no terminator is written). */
  init_uni(&dst, buf, 0, sizeof(src_text) - 2);
  buf[0] = 0x1234;
  CHECK_STATUS(RtlUpcaseUnicodeString(&dst, &src, FALSE), STATUS_BUFFER_OVERFLOW);
  CHECK_STATUS(RtlDowncaseUnicodeString(&dst, &src, FALSE), STATUS_BUFFER_OVERFLOW);
  CHECK_EQ(buf[0], 0x1234);
  init_uni(&dst, buf, 0, sizeof(src_text));
  CHECK_OK(RtlUpcaseUnicodeString(&dst, &src, FALSE));

  PVOID heap = peb_field(PEB_PROCESS_HEAP);
  if (!heap) return;
  UNICODE_STRING out;
  CHECK_OK(RtlUpcaseUnicodeString(&out, &src, TRUE));
  CHECK_EQ(out.Length, sizeof(src_text));
  CHECK_EQ(out.MaximumLength, sizeof(src_text));
  CHECK(out.Buffer != NULL && out.Buffer[0] == 'A');
  RtlFreeHeap(heap, 0, out.Buffer);
}

static void test_upper_char(void) {
  int changed = 0, ascii_only = 1;
  for (int c = 0; c < 256; c++) {
    char up = RtlUpperChar((char)c);
    if ((UCHAR)up != c) {
      changed++;
      if (c < 'a' || c > 'z' || (UCHAR)up != c - 32) ascii_only = 0;
    }
  }
  CHECK_EQ(changed, 26); /* a-z only, whatever the code page */
  CHECK(ascii_only);
  char buf[8];
  NLS_STRING src, dst;
  init_ansi(&src, "ab\xe9z", 4, 4);
  init_ansi(&dst, buf, 0, sizeof(buf));
  RtlUpperString(&dst, &src);
  CHECK_EQ(dst.Length, 4);
  CHECK(buf[0] == 'A' && buf[1] == 'B' && (UCHAR)buf[2] == 0xE9 && buf[3] == 'Z');
  init_ansi(&dst, buf, 0, 2); /* truncated to the destination */
  RtlUpperString(&dst, &src);
  CHECK_EQ(dst.Length, 2);
}

/* ---- UTF-8 ------------------------------------------------------------------------------ */

typedef struct UTF8_CASE {
  const char* in;
  ULONG in_len;
  WCHAR out[8];
  ULONG out_len; /* WCHARs */
  NTSTATUS status;
} UTF8_CASE;

static void test_utf8_to_unicode(void) {
  static const UTF8_CASE cases[] = {
      {"abc", 3, {'a', 'b', 'c'}, 3, STATUS_SUCCESS},
      {"\xc3\xa9", 2, {0xE9}, 1, STATUS_SUCCESS},
      {"\xe2\x82\xac", 3, {0x20AC}, 1, STATUS_SUCCESS},
      {"\xf0\x9f\x98\x80", 4, {0xD83D, 0xDE00}, 2, STATUS_SUCCESS},
      {"\xef\xbf\xbf", 3, {0xFFFF}, 1, STATUS_SUCCESS},
      {"\xf4\x8f\xbf\xbf", 4, {0xDBFF, 0xDFFF}, 2, STATUS_SUCCESS},
      {"a\0b", 3, {'a', 0, 'b'}, 3, STATUS_SUCCESS},
      /* ill-formed */
      {"\x80", 1, {0xFFFD}, 1, STATUS_SOME_NOT_MAPPED},
      {"\xc3", 1, {0xFFFD}, 1, STATUS_SOME_NOT_MAPPED},
      {"\xc3x", 2, {0xFFFD, 'x'}, 2, STATUS_SOME_NOT_MAPPED},
      {"\xe2\x82", 2, {0xFFFD}, 1, STATUS_SOME_NOT_MAPPED},
      {"\xe2\x82x", 3, {0xFFFD, 'x'}, 2, STATUS_SOME_NOT_MAPPED},
      {"\xc0\x80", 2, {0xFFFD, 0xFFFD}, 2, STATUS_SOME_NOT_MAPPED},
      /* a complete sequence with a bad value: one U+FFFD per continuation byte */
      {"\xe0\x80\x80", 3, {0xFFFD, 0xFFFD}, 2, STATUS_SOME_NOT_MAPPED},
      {"\xed\xa0\x80", 3, {0xFFFD, 0xFFFD}, 2, STATUS_SOME_NOT_MAPPED},
      {"\xf4\x90\x80\x80", 4, {0xFFFD, 0xFFFD, 0xFFFD}, 3, STATUS_SOME_NOT_MAPPED},
      {"\xf0\x80\x80\x80z", 5, {0xFFFD, 0xFFFD, 0xFFFD, 'z'}, 4, STATUS_SOME_NOT_MAPPED},
      {"\xe0\x80x", 3, {0xFFFD, 'x'}, 2, STATUS_SOME_NOT_MAPPED},
      {"\xe2xy", 3, {0xFFFD, 'x', 'y'}, 3, STATUS_SOME_NOT_MAPPED},
      /* the input ends before the sequence would: one U+FFFD for all the rest */
      {"\xe2x", 2, {0xFFFD}, 1, STATUS_SOME_NOT_MAPPED},
      {"a\xf0\x9f", 3, {'a', 0xFFFD}, 2, STATUS_SOME_NOT_MAPPED},
      {"\xf8\x88\x80\x80\x80",
       5,
       {0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD},
       5,
       STATUS_SOME_NOT_MAPPED},
      {"\xff", 1, {0xFFFD}, 1, STATUS_SOME_NOT_MAPPED},
      {"\xf0\x9f\x98", 3, {0xFFFD}, 1, STATUS_SOME_NOT_MAPPED},
  };
  for (ULONG i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
    const UTF8_CASE* t = &cases[i];
    WCHAR out[16];
    ULONG len = 0xdead;
    memset(out, 0, sizeof(out));
    NTSTATUS s = RtlUTF8ToUnicodeN(out, sizeof(out), &len, t->in, t->in_len);
    if (s != t->status || len != t->out_len * sizeof(WCHAR) ||
        memcmp(out, t->out, t->out_len * sizeof(WCHAR))) {
      nt_note("UTF-8 case %u: status %x len %u out %04x %04x %04x %04x", i, (ULONG)s, len, out[0],
              out[1], out[2], out[3]);
      CHECK(!"UTF-8 -> UTF-16 case");
    } else {
      CHECK(1);
    }
    /* Measuring (NULL destination) gives the same length and status. */
    ULONG need = 0xdead;
    CHECK_STATUS(RtlUTF8ToUnicodeN(NULL, 0, &need, t->in, t->in_len), t->status);
    CHECK_EQ(need, t->out_len * sizeof(WCHAR));
  }

  WCHAR out[4];
  ULONG len = 0xdead;
  CHECK_STATUS(RtlUTF8ToUnicodeN(out, 2, &len, "ab", 2), STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(len, 2);
  CHECK_EQ(out[0], 'a');
  /* Room for one unit of a pair: the high surrogate is written. Windows (and ReactOS, tested
   * against it) report STATUS_BUFFER_TOO_SMALL; Wine reports success. */
  NTSTATUS split = RtlUTF8ToUnicodeN(out, 3, &len, "\xf0\x9f\x98\x80", 4);
  CHECK_EQ(len, 2);
  CHECK_EQ(out[0], 0xD83D);
  if (!nt_is_wine()) CHECK_STATUS(split, STATUS_BUFFER_TOO_SMALL);
  CHECK_STATUS(RtlUTF8ToUnicodeN(out, 0, &len, "a", 1), STATUS_BUFFER_TOO_SMALL);
  CHECK_OK(RtlUTF8ToUnicodeN(out, sizeof(out), &len, "", 0));
  CHECK_EQ(len, 0);
  CHECK_STATUS(RtlUTF8ToUnicodeN(out, sizeof(out), NULL, "a", 1), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlUTF8ToUnicodeN(out, sizeof(out), &len, NULL, 0), STATUS_INVALID_PARAMETER_4);
  CHECK_STATUS(RtlUTF8ToUnicodeN(NULL, 0, NULL, NULL, 0), STATUS_INVALID_PARAMETER_4);
}

static void test_unicode_to_utf8(void) {
  static const WCHAR text[] = {'a', 0xE9, 0x20AC, 0xD83D, 0xDE00, 0};
  char out[16];
  ULONG len = 0xdead;
  memset(out, 0, sizeof(out));
  CHECK_OK(RtlUnicodeToUTF8N(out, sizeof(out), &len, text, 5 * sizeof(WCHAR)));
  CHECK_EQ(len, 10);
  CHECK(memcmp(out, "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10) == 0);
  CHECK_OK(RtlUnicodeToUTF8N(NULL, 0, &len, text, 5 * sizeof(WCHAR)));
  CHECK_EQ(len, 10);
  /* Unpaired surrogates: U+FFFD each. */
  static const WCHAR lone[] = {0xD800, 'x', 0xDC00, 0xD83D};
  CHECK_STATUS(RtlUnicodeToUTF8N(out, sizeof(out), &len, lone, sizeof(lone)),
               STATUS_SOME_NOT_MAPPED);
  CHECK_EQ(len, 10);
  CHECK(memcmp(out, "\xef\xbf\xbdx\xef\xbf\xbd\xef\xbf\xbd", 10) == 0);
  /* Output stops before a character that does not fit. */
  CHECK_STATUS(RtlUnicodeToUTF8N(out, 2, &len, text, 5 * sizeof(WCHAR)), STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(len, 1);
  CHECK_STATUS(RtlUnicodeToUTF8N(out, 6, &len, text, 5 * sizeof(WCHAR)), STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(len, 6);
  /* Half a character: refused when converting, ignored when measuring. */
  CHECK_STATUS(RtlUnicodeToUTF8N(out, sizeof(out), &len, text, 3), STATUS_INVALID_PARAMETER_5);
  CHECK_OK(RtlUnicodeToUTF8N(NULL, 0, &len, text, 3));
  CHECK_EQ(len, 1);
  CHECK_STATUS(RtlUnicodeToUTF8N(out, sizeof(out), NULL, text, 2), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlUnicodeToUTF8N(out, sizeof(out), &len, NULL, 0), STATUS_INVALID_PARAMETER_4);
}

/* ---- Normalization ---------------------------------------------------------------------- */

typedef struct NORM_CASE {
  WCHAR in[10];
  WCHAR out[4][12]; /* C, D, KC, KD */
} NORM_CASE;

static ULONG wlen(const WCHAR* s) {
  ULONG n = 0;
  while (s[n]) n++;
  return n;
}

static void test_normalize_forms(void) {
  static const NORM_CASE cases[] = {
      /* precomposed, decomposed, and a two-mark sequence */
      {{0x00C0, 'b', 0x1E69},
       {{0x00C0, 'b', 0x1E69},
        {'A', 0x0300, 'b', 's', 0x0323, 0x0307},
        {0x00C0, 'b', 0x1E69},
        {'A', 0x0300, 'b', 's', 0x0323, 0x0307}}},
      /* canonical ordering (dot below, class 220, before grave, 230) then composition */
      {{'A', 0x0300, 0x0323, 'q', 0x0307, 0x0323},
       {{0x1EA0, 0x0300, 'q', 0x0323, 0x0307},
        {'A', 0x0323, 0x0300, 'q', 0x0323, 0x0307},
        {0x1EA0, 0x0300, 'q', 0x0323, 0x0307},
        {'A', 0x0323, 0x0300, 'q', 0x0323, 0x0307}}},
      /* Hangul: a syllable and conjoining jamo */
      {{0xAC00, 0x1100, 0x1161, 0x11A8},
       {{0xAC00, 0xAC01},
        {0x1100, 0x1161, 0x1100, 0x1161, 0x11A8},
        {0xAC00, 0xAC01},
        {0x1100, 0x1161, 0x1100, 0x1161, 0x11A8}}},
      /* compatibility characters; a singleton (ohm) and an excluded composite */
      {{0xFB01, 0x2126, 0x00BD, 0x0344},
       {{0xFB01, 0x03A9, 0x00BD, 0x0308, 0x0301},
        {0xFB01, 0x03A9, 0x00BD, 0x0308, 0x0301},
        {'f', 'i', 0x03A9, '1', 0x2044, '2', 0x0308, 0x0301},
        {'f', 'i', 0x03A9, '1', 0x2044, '2', 0x0308, 0x0301}}},
      /* outside the BMP: musical symbol half note decomposes, Kaithi composes */
      {{0xD834, 0xDD5E, 0xD804, 0xDC99, 0xD804, 0xDCBA},
       {{0xD834, 0xDD57, 0xD834, 0xDD65, 0xD804, 0xDC9A},
        {0xD834, 0xDD57, 0xD834, 0xDD65, 0xD804, 0xDC99, 0xD804, 0xDCBA},
        {0xD834, 0xDD57, 0xD834, 0xDD65, 0xD804, 0xDC9A},
        {0xD834, 0xDD57, 0xD834, 0xDD65, 0xD804, 0xDC99, 0xD804, 0xDCBA}}},
  };
  static const ULONG forms[4] = {1, 2, 5, 6};
  for (ULONG i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
    for (ULONG f = 0; f < 4; f++) {
      WCHAR out[32];
      LONG len = 32;
      const WCHAR* want = cases[i].out[f];
      NTSTATUS s = RtlNormalizeString(forms[f], cases[i].in, wlen(cases[i].in), out, &len);
      if (s != STATUS_SUCCESS || len != (LONG)wlen(want) ||
          memcmp(out, want, len * sizeof(WCHAR))) {
        nt_note("normalization case %u form %u: status %x len %d first %04x", i, forms[f], (ULONG)s,
                len, out[0]);
        CHECK(!"normalized as Unicode says");
      } else {
        CHECK(1);
      }
      BOOLEAN yes = 2, again = 2;
      CHECK_OK(RtlIsNormalizedString(forms[f], cases[i].in, wlen(cases[i].in), &yes));
      CHECK_OK(RtlIsNormalizedString(forms[f], want, wlen(want), &again));
      CHECK_EQ(yes,
               len == (LONG)wlen(cases[i].in) && !memcmp(out, cases[i].in, len * sizeof(WCHAR)));
      CHECK_EQ(again, TRUE);
    }
  }
  /* IDNA mapping (13): case folded, soft hyphen removed, ideographic full stop to '.' */
  static const WCHAR idna_in[] = {'A', 0x00AD, 'Z', 0x00C0, 0x3002, 0};
  static const WCHAR idna_out[] = {'a', 'z', 0x00E0, '.'};
  WCHAR out[16];
  LONG len = 16;
  CHECK_OK(RtlNormalizeString(13, idna_in, 5, out, &len));
  CHECK_EQ(len, 4);
  CHECK(memcmp(out, idna_out, sizeof(idna_out)) == 0);
  len = 16; /* disallowed in IDNA, fine elsewhere */
  static const WCHAR fffd[] = {'a', 0xFFFD};
  CHECK_STATUS(RtlNormalizeString(13, fffd, 2, out, &len), STATUS_NO_UNICODE_TRANSLATION);
  len = 16;
  CHECK_OK(RtlNormalizeString(1, fffd, 2, out, &len));
}

static void test_normalize_edges(void) {
  static const WCHAR s[] = {0x00C0, 'b', 0x1E69, 0};
  WCHAR out[16];
  LONG len;
  /* -1: up to and with the NUL */
  len = 16;
  CHECK_OK(RtlNormalizeString(1, s, -1, out, &len));
  CHECK_EQ(len, 4);
  CHECK_EQ(out[3], 0);
  len = 16;
  CHECK_OK(RtlNormalizeString(2, s, 0, out, &len));
  CHECK_EQ(len, 0);
  /* A zero *dst_len asks for an estimate: the length times the file's expansion factor. */
  void* table = NULL;
  SIZE_T size = 0;
  CHECK_OK(NtGetNlsSectionPtr(NLS_SECTION_NORMALIZE, 2, NULL, &table, &size));
  len = 0;
  CHECK_OK(RtlNormalizeString(2, s, 3, NULL, &len));
  if (table) CHECK_EQ(len, 3 * ((USHORT*)table)[0x2A / 2]);
  /* Too small: the status and a length that would do. */
  len = 2;
  CHECK_STATUS(RtlNormalizeString(2, s, 3, out, &len), STATUS_BUFFER_TOO_SMALL);
  CHECK(len > 2);
  len = 16;
  CHECK_OK(RtlNormalizeString(2, s, 3, out, &len)); /* exactly 6 fits */
  CHECK_EQ(len, 6);
  /* Ill-formed UTF-16 and noncharacters. */
  static const WCHAR lone[] = {'a', 0xD800, 'b'};
  len = 16;
  CHECK_STATUS(RtlNormalizeString(1, lone, 3, out, &len), STATUS_NO_UNICODE_TRANSLATION);
  static const WCHAR nonchar[] = {'a', 0xFFFE};
  len = 16;
  CHECK_STATUS(RtlNormalizeString(2, nonchar, 2, out, &len), STATUS_NO_UNICODE_TRANSLATION);
  static const WCHAR unassigned[] = {'a', 0x0378};
  len = 16;
  CHECK_OK(RtlNormalizeString(1, unassigned, 2, out, &len)); /* passes through */
  CHECK_EQ(len, 2);
  /* Forms: 0 is invalid, 3 and 4 have no data. */
  len = 16;
  CHECK_STATUS(RtlNormalizeString(0, s, 3, out, &len), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlNormalizeString(3, s, 3, out, &len), STATUS_OBJECT_NAME_NOT_FOUND);

  BOOLEAN yes = 2;
  CHECK_OK(RtlIsNormalizedString(1, s, -1, &yes));
  CHECK_EQ(yes, TRUE);
  CHECK_OK(RtlIsNormalizedString(2, s, -1, &yes));
  CHECK_EQ(yes, FALSE);
  yes = 2;
  CHECK_STATUS(RtlIsNormalizedString(1, lone, 3, &yes), STATUS_NO_UNICODE_TRANSLATION);
  CHECK_EQ(yes, 2);
  CHECK_STATUS(RtlIsNormalizedString(4, s, 3, &yes), STATUS_OBJECT_NAME_NOT_FOUND);
  /* Long strings are checked piece by piece: a change at the very end is still seen. */
  WCHAR longer[200];
  for (int i = 0; i < 199; i++) longer[i] = (WCHAR)(i % 2 ? 0x0301 : 'e');
  longer[199] = 0;
  CHECK_OK(RtlIsNormalizedString(2, longer, 199, &yes));
  CHECK_EQ(yes, TRUE);
  CHECK_OK(RtlIsNormalizedString(1, longer, 199, &yes));
  CHECK_EQ(yes, FALSE);
  for (int i = 0; i < 199; i++) longer[i] = (WCHAR)(i % 3 == 2 ? 0x0323 : i % 3 ? 0x0301 : 'e');
  CHECK_OK(RtlIsNormalizedString(6, longer, 199, &yes));
  CHECK_EQ(yes, FALSE); /* dot below must come before the acute */
  /* Normalized although it holds characters whose quick check says "maybe" (a vowel jamo
   * after a mark): Unicode's definition says yes; Wine's quick check says no. */
  static const WCHAR maybe[] = {0x0301, 0x1161, 'x'};
  CHECK_OK(RtlIsNormalizedString(1, maybe, 3, &yes));
  if (!nt_is_wine()) CHECK_EQ(yes, TRUE);
}

/* ---- IDN ------------------------------------------------------------------------------- */

typedef NTSTATUS(NTAPI* IDN_FN)(ULONG, const WCHAR*, LONG, WCHAR*, LONG*);

/* Converts the NUL-terminated in (with its NUL) and compares with want (NULL: must fail). */
static void idn_check(int line, IDN_FN fn, ULONG flags, const WCHAR* in, const WCHAR* want) {
  WCHAR out[300];
  LONG len = 300;
  NTSTATUS s = fn(flags, in, -1, out, &len);
  int ok = want ? s == STATUS_SUCCESS && len == (LONG)wlen(want) + 1 &&
                      !memcmp(out, want, len * sizeof(WCHAR))
                : s == STATUS_INVALID_IDN_NORMALIZATION;
  if (!ok) nt_note("line %d: status %x len %d", line, (ULONG)s, len);
  nt_check_report(ok, __FILE__, line, "IDN conversion", 0);
}
#define TO_ASCII(flags, in, want) idn_check(__LINE__, RtlIdnToAscii, flags, in, want)
#define TO_UNICODE(flags, in, want) idn_check(__LINE__, RtlIdnToUnicode, flags, in, want)
#define NAMEPREP(flags, in, want) idn_check(__LINE__, RtlIdnToNameprepUnicode, flags, in, want)

static void test_idn(void) {
  /* ASCII names are left as they are (only other names are prepared). */
  TO_ASCII(0, L"EXAMPLE.com", L"EXAMPLE.com");
  NAMEPREP(0, L"EXAMPLE.com", L"EXAMPLE.com");
  TO_UNICODE(0, L"EXAMPLE.com", L"EXAMPLE.com");
  /* Punycode (RFC 3492's samples, lower-cased by nameprep) */
  TO_ASCII(0,
           L"b\x00FC"
           L"cher.de",
           L"xn--bcher-kva.de");
  TO_ASCII(0, L"\x00C4\x00D6\x00DC.de", L"xn--4ca0bs.de");
  TO_ASCII(0, L"\x4ED6\x4EEC\x4E3A\x4EC0\x4E48\x4E0D\x8BF4\x4E2D\x6587",
           L"xn--ihqwcrb4cv8a8dqg056pqjye");
  TO_ASCII(0,
           L"3\x5E74"
           L"B\x7D44\x91D1\x516B\x5148\x751F",
           L"xn--3b-ww4c5e180e575a65lsy2b");
  TO_ASCII(0, L"\x2603.net", L"xn--n3h.net");
  TO_UNICODE(0, L"xn--bcher-kva.de",
             L"b\x00FC"
             L"cher.de");
  TO_UNICODE(0, L"tEsT.XN--bcher-kva.de",
             L"tEsT.b\x00FC"
             L"cher.de");
  TO_UNICODE(0, L"xn--ihqwcrb4cv8a8dqg056pqjye",
             L"\x4ED6\x4EEC\x4E3A\x4EC0\x4E48\x4E0D\x8BF4\x4E2D\x6587");
  TO_UNICODE(0, L"xn--n3h", L"\x2603");
  /* Nameprep: case folding, deletions, compatibility forms, the other full stops */
  NAMEPREP(0, L"\x00C4\x00D6\x00DC.de", L"\x00E4\x00F6\x00FC.de");
  NAMEPREP(0,
           L"a\x00AD"
           L"b\x00DF",
           L"abss");
  NAMEPREP(0,
           L"a\x3002"
           L"b\xFF0E"
           L"c",
           L"a.b.c");
  NAMEPREP(0, L"A\x0301", L"\x00E1");
  TO_ASCII(0, L"\x01C4", L"xn--d-toa");
  TO_ASCII(0, L"\x00DF.de", L"ss.de");
  /* Labels: none empty (but a final root label), none above 63 characters */
  TO_ASCII(0, L"a.", L"a.");
  TO_ASCII(0, L"a..b", NULL);
  TO_ASCII(0, L".a", NULL);
  TO_ASCII(0, L"", NULL);
  TO_ASCII(0, L"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.com",
           L"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.com");
  TO_ASCII(0, L"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.com", NULL);
  NAMEPREP(0, L"a..b", NULL);
  TO_UNICODE(0, L"a..b", NULL);
  /* Not for names: disallowed characters, a bare joiner, non-ASCII input to ToUnicode,
   * Punycode that does not decode. */
  TO_ASCII(0, L"\xFFFD", NULL);
  TO_ASCII(0, L"\x200D", NULL);
  TO_UNICODE(0,
             L"b\x00FC"
             L"cher.de",
             NULL);
  TO_UNICODE(0, L"xn--a", NULL);
  /* STD3 rules: ASCII letters, digits and inner hyphens only */
  TO_ASCII(0, L"-abc.com", L"-abc.com");
  TO_ASCII(IDN_USE_STD3_ASCII_RULES, L"-abc.com", NULL);
  TO_ASCII(IDN_USE_STD3_ASCII_RULES, L"abc-.com", NULL);
  TO_ASCII(IDN_USE_STD3_ASCII_RULES, L"ab--cd.com", L"ab--cd.com");
  TO_ASCII(IDN_USE_STD3_ASCII_RULES, L"a_b.com", NULL);
  TO_ASCII(0, L"a_b.com", L"a_b.com");
  NAMEPREP(IDN_USE_STD3_ASCII_RULES, L"a/b", NULL);
  TO_UNICODE(IDN_USE_STD3_ASCII_RULES, L"abc:80", NULL);
  TO_ASCII(IDN_USE_STD3_ASCII_RULES | IDN_ALLOW_UNASSIGNED, L"example.com", L"example.com");
  /* They leave other characters alone (Wine refuses every non-ASCII name under them). */
  if (!nt_is_wine()) {
    TO_ASCII(IDN_USE_STD3_ASCII_RULES,
             L"b\x00FC"
             L"cher.de",
             L"xn--bcher-kva.de");
    NAMEPREP(IDN_USE_STD3_ASCII_RULES, L"M\x00FCnchen", L"m\x00FCnchen");
    /* An ACE label must come back unchanged through ToASCII (RFC 3490 4.2 step 7): "zz" does
     * not encode as "xn--zz-" (Wine returns "zz"). */
    TO_UNICODE(0, L"xn--zz-", NULL);
  }
  /* Flags beyond these two are refused. */
  WCHAR out[64];
  LONG len = 64;
  CHECK_STATUS(RtlIdnToAscii(0x10, L"a", -1, out, &len), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlIdnToNameprepUnicode(0x10, L"a", -1, out, &len), STATUS_INVALID_PARAMETER);
  /* Lengths: a zero *dst_len asks for the size; too small says how much is needed. */
  static const WCHAR name[] = {'a', 0x00E9, '.', 'c', 'o', 'm'};
  len = 0;
  CHECK_OK(RtlIdnToAscii(0, name, 6, NULL, &len));
  CHECK_EQ(len, 13); /* xn--a-bga.com, no NUL counted */
  len = 12;
  CHECK_STATUS(RtlIdnToAscii(0, name, 6, out, &len), STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(len, 13);
  len = 13;
  CHECK_OK(RtlIdnToAscii(0, name, 6, out, &len));
  CHECK(memcmp(out, L"xn--a-bga.com", 13 * sizeof(WCHAR)) == 0);
  len = 3;
  CHECK_STATUS(RtlIdnToNameprepUnicode(0, name, 6, out, &len), STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(len, 6);
  len = 64;
  CHECK_OK(RtlIdnToUnicode(0, name, 0, out, &len));
  CHECK_EQ(len, 0);
  len = 64;
  CHECK_STATUS(RtlIdnToAscii(0, name, 0, out, &len), STATUS_INVALID_IDN_NORMALIZATION);
}

void test_main(void) {
  test_nls_sections();
  test_locale_services();
  test_peb_tables();
  test_ansi();
  test_oem();
  test_dbcs();
  test_utf8_table();
  test_ansi_strings();
  test_case_chars();
  test_case_strings();
  test_upper_char();
  test_utf8_to_unicode();
  test_unicode_to_utf8();
  test_normalize_forms();
  test_normalize_edges();
  test_idn();
}
