/* The "strings" family's Rtl exports: counted strings (UNICODE_STRING/STRING) and their heap
 * copies, comparisons and hashing, integers and GUIDs as text, the memory primitives,
 * RtlIsTextUnicode, RtlIsNameLegalDOS8Dot3, VerSetConditionMask, RtlFormatMessage, and the Wine
 * debug channel exports. (The C library functions: rtl_crt.c.) */
#include "nttest.h"

typedef struct STRING {
  USHORT Length, MaximumLength;
  char* Buffer;
} STRING;

typedef struct GUID {
  ULONG Data1;
  USHORT Data2, Data3;
  UCHAR Data4[8];
} GUID;

void NTAPI RtlInitUnicodeString(UNICODE_STRING* s, const WCHAR* src);
NTSTATUS NTAPI RtlInitUnicodeStringEx(UNICODE_STRING* s, const WCHAR* src);
void NTAPI RtlInitAnsiString(STRING* s, const char* src);
void NTAPI RtlInitString(STRING* s, const char* src);
BOOLEAN NTAPI RtlCreateUnicodeString(UNICODE_STRING* s, const WCHAR* src);
BOOLEAN NTAPI RtlCreateUnicodeStringFromAsciiz(UNICODE_STRING* s, const char* src);
void NTAPI RtlFreeUnicodeString(UNICODE_STRING* s);
void NTAPI RtlFreeAnsiString(STRING* s);
NTSTATUS NTAPI RtlDuplicateUnicodeString(ULONG flags, const UNICODE_STRING* src,
                                         UNICODE_STRING* dst);
LONG NTAPI RtlCompareUnicodeStrings(const WCHAR* a, SIZE_T a_len, const WCHAR* b, SIZE_T b_len,
                                    BOOLEAN ci);
LONG NTAPI RtlCompareUnicodeString(const UNICODE_STRING* a, const UNICODE_STRING* b, BOOLEAN ci);
BOOLEAN NTAPI RtlEqualUnicodeString(const UNICODE_STRING* a, const UNICODE_STRING* b, BOOLEAN ci);
BOOLEAN NTAPI RtlPrefixUnicodeString(const UNICODE_STRING* a, const UNICODE_STRING* b, BOOLEAN ci);
void NTAPI RtlCopyUnicodeString(UNICODE_STRING* dst, const UNICODE_STRING* src);
NTSTATUS NTAPI RtlAppendUnicodeToString(UNICODE_STRING* dst, const WCHAR* src);
NTSTATUS NTAPI RtlAppendUnicodeStringToString(UNICODE_STRING* dst, const UNICODE_STRING* src);
NTSTATUS NTAPI RtlHashUnicodeString(const UNICODE_STRING* s, BOOLEAN ci, ULONG alg, ULONG* hash);
LONG NTAPI RtlCompareString(const STRING* a, const STRING* b, BOOLEAN ci);
BOOLEAN NTAPI RtlEqualString(const STRING* a, const STRING* b, BOOLEAN ci);
NTSTATUS NTAPI RtlCharToInteger(const char* s, ULONG base, ULONG* value);
NTSTATUS NTAPI RtlUnicodeStringToInteger(const UNICODE_STRING* s, ULONG base, ULONG* value);
NTSTATUS NTAPI RtlIntegerToChar(ULONG value, ULONG base, LONG length, char* str);
NTSTATUS NTAPI RtlIntegerToUnicodeString(ULONG value, ULONG base, UNICODE_STRING* s);
NTSTATUS NTAPI RtlGUIDFromString(const UNICODE_STRING* s, GUID* guid);
NTSTATUS NTAPI RtlStringFromGUID(const GUID* guid, UNICODE_STRING* s);
SIZE_T NTAPI RtlCompareMemory(const void* a, const void* b, SIZE_T n);
void NTAPI RtlCopyMemory(void* dst, const void* src, SIZE_T n);
void NTAPI RtlCopyMemoryNonTemporal(void* dst, const void* src, SIZE_T n);
void NTAPI RtlMoveMemory(void* dst, const void* src, SIZE_T n);
void NTAPI RtlFillMemory(void* dst, SIZE_T n, UCHAR fill);
void NTAPI RtlZeroMemory(void* dst, SIZE_T n);
BOOLEAN NTAPI RtlIsTextUnicode(const void* buf, int len, int* flags);
BOOLEAN NTAPI RtlIsNameLegalDOS8Dot3(UNICODE_STRING* name, STRING* oem, BOOLEAN* spaces);
ULONGLONG NTAPI VerSetConditionMask(ULONGLONG mask, ULONG type_mask, UCHAR condition);
NTSTATUS NTAPI RtlFormatMessage(const WCHAR* src, ULONG width, BOOLEAN ignore_inserts, BOOLEAN ansi,
                                BOOLEAN is_array, va_list* args, WCHAR* buffer, ULONG size,
                                ULONG* retsize);

/* ---- exports the import library lacks (found in ntdll's export directory) ---------------- */

extern void* __imp_RtlInitUnicodeString;

static const unsigned char* ntdll_base(void) {
  ULONG_PTR p = (ULONG_PTR)__imp_RtlInitUnicodeString & ~(ULONG_PTR)0xFFFF;
  while (*(const unsigned short*)p != 0x5A4D) p -= 0x10000; /* "MZ" on a 64K boundary */
  return (const unsigned char*)p;
}

static void* ntdll_export(const char* name) {
  const unsigned char* base = ntdll_base();
  const unsigned char* nt = base + *(const LONG*)(base + 0x3c);
  const ULONG* dir = (const ULONG*)(base + *(const ULONG*)(nt + 0x88));
  const ULONG* names = (const ULONG*)(base + dir[8]);
  const USHORT* ordinals = (const USHORT*)(base + dir[9]);
  const ULONG* functions = (const ULONG*)(base + dir[7]);
  for (ULONG i = 0; i < dir[6]; i++)
    if (!nt_strcmp((const char*)(base + names[i]), name))
      return (void*)(base + functions[ordinals[i]]);
  return 0;
}

static int ustr_is(const UNICODE_STRING* s, const WCHAR* want) {
  return s->Length == nt_wcslen(want) * 2 && !memcmp(s->Buffer, want, s->Length);
}

/* ---- initialisation --------------------------------------------------------------------- */

static WCHAR long_text[0x8001];

static void test_init(void) {
  UNICODE_STRING u;
  RtlInitUnicodeString(&u, L"hello");
  CHECK_EQ(u.Length, 10);
  CHECK_EQ(u.MaximumLength, 12);
  CHECK(u.Buffer && !nt_wcscmp(u.Buffer, L"hello"));
  RtlInitUnicodeString(&u, 0);
  CHECK(u.Length == 0 && u.MaximumLength == 0 && u.Buffer == 0);
  RtlInitUnicodeString(&u, L"");
  CHECK(u.Length == 0 && u.MaximumLength == 2 && u.Buffer);
  /* too long for a UNICODE_STRING: truncated to 0xFFFC bytes */
  for (int i = 0; i < 0x8000; i++) long_text[i] = 'x';
  RtlInitUnicodeString(&u, long_text);
  CHECK_EQ(u.Length, 0xFFFC);
  CHECK_EQ(u.MaximumLength, 0xFFFE);
  long_text[0x7FFE] = 0; /* exactly 0xFFFC bytes */
  CHECK_OK(RtlInitUnicodeStringEx(&u, long_text));
  CHECK_EQ(u.Length, 0xFFFC);
  long_text[0x7FFE] = 'x';
  CHECK_STATUS(RtlInitUnicodeStringEx(&u, long_text), STATUS_NAME_TOO_LONG);
  CHECK_OK(RtlInitUnicodeStringEx(&u, 0));
  CHECK(u.Length == 0 && u.Buffer == 0);

  STRING a;
  RtlInitAnsiString(&a, "abc");
  CHECK(a.Length == 3 && a.MaximumLength == 4 && a.Buffer);
  RtlInitString(&a, 0);
  CHECK(a.Length == 0 && a.MaximumLength == 0 && a.Buffer == 0);
}

NTSTATUS NTAPI RtlInitAnsiStringEx(STRING* s, const char* src);
void NTAPI RtlCopyString(STRING* dst, const STRING* src);
NTSTATUS NTAPI RtlAppendAsciizToString(STRING* dst, const char* src);
NTSTATUS NTAPI RtlAppendStringToString(STRING* dst, const STRING* src);
BOOLEAN NTAPI RtlPrefixString(const STRING* prefix, const STRING* s, BOOLEAN ci);
SIZE_T NTAPI RtlCompareMemoryUlong(const void* src, SIZE_T length, ULONG value);
NTSTATUS NTAPI RtlInt64ToUnicodeString(ULONGLONG value, ULONG base, UNICODE_STRING* s);
NTSTATUS NTAPI RtlLargeIntegerToChar(const ULONGLONG* value, ULONG base, LONG length, char* str);
void NTAPI RtlEraseUnicodeString(UNICODE_STRING* s);
NTSTATUS NTAPI RtlFindCharInUnicodeString(ULONG flags, const UNICODE_STRING* s,
                                          const UNICODE_STRING* set, USHORT* pos);

static char long_ansi[0x10001];

static void test_ansi_strings(void) {
  STRING a;
  for (int i = 0; i < 0x10000; i++) long_ansi[i] = 'y';
  CHECK_STATUS(RtlInitAnsiStringEx(&a, long_ansi), STATUS_NAME_TOO_LONG);
  long_ansi[0xFFFE] = 0;
  CHECK_OK(RtlInitAnsiStringEx(&a, long_ansi));
  CHECK(a.Length == 0xFFFE && a.MaximumLength == 0xFFFF);
  CHECK_OK(RtlInitAnsiStringEx(&a, 0));
  CHECK(a.Length == 0 && a.Buffer == 0);

  char buf[8];
  STRING dst = {0, sizeof(buf), buf}, src;
  RtlInitString(&src, "abc");
  RtlCopyString(&dst, &src);
  CHECK(dst.Length == 3 && !memcmp(buf, "abc", 3));
  RtlInitString(&src, "0123456789");
  RtlCopyString(&dst, &src); /* truncated to the destination */
  CHECK(dst.Length == 8 && !memcmp(buf, "01234567", 8));
  RtlCopyString(&dst, 0);
  CHECK_EQ(dst.Length, 0);
  CHECK_OK(RtlAppendAsciizToString(&dst, "ab"));
  RtlInitString(&src, "cde");
  CHECK_OK(RtlAppendStringToString(&dst, &src));
  CHECK(dst.Length == 5 && !memcmp(buf, "abcde", 5));
  CHECK_OK(RtlAppendAsciizToString(&dst, 0));
  CHECK_STATUS(RtlAppendAsciizToString(&dst, "fghi"), STATUS_BUFFER_TOO_SMALL);
  CHECK_OK(RtlAppendAsciizToString(&dst, "fgh")); /* exactly full */
  CHECK(dst.Length == 8 && !memcmp(buf, "abcdefgh", 8));
  CHECK_STATUS(RtlAppendStringToString(&dst, &src), STATUS_BUFFER_TOO_SMALL);

  STRING p, t;
  RtlInitString(&p, "ABC");
  RtlInitString(&t, "abcdef");
  CHECK(RtlPrefixString(&p, &t, TRUE));
  CHECK(!RtlPrefixString(&p, &t, FALSE));
  CHECK(!RtlPrefixString(&t, &p, TRUE));
}

/* ---- comparison ------------------------------------------------------------------------- */

static void test_compare(void) {
  CHECK(RtlCompareUnicodeStrings(L"abc", 3, L"abc", 3, FALSE) == 0);
  CHECK(RtlCompareUnicodeStrings(L"abc", 3, L"abd", 3, FALSE) < 0);
  CHECK(RtlCompareUnicodeStrings(L"abd", 3, L"abc", 3, FALSE) > 0);
  CHECK(RtlCompareUnicodeStrings(L"ab", 2, L"abc", 3, FALSE) < 0);
  CHECK(RtlCompareUnicodeStrings(L"abc", 3, L"ab", 2, FALSE) > 0);
  CHECK(RtlCompareUnicodeStrings(L"ABC", 3, L"abc", 3, FALSE) < 0);
  CHECK(RtlCompareUnicodeStrings(L"ABC", 3, L"abc", 3, TRUE) == 0);
  CHECK(RtlCompareUnicodeStrings(L"abcX", 3, L"abcY", 3, FALSE) == 0); /* counted, not NUL */
  /* full Unicode casing: e-acute, Greek, Cyrillic */
  CHECK(RtlCompareUnicodeStrings(L"\x00e9\x03b1\x0436", 3, L"\x00c9\x0391\x0416", 3, TRUE) == 0);
  CHECK(RtlCompareUnicodeStrings(L"\x00e9", 1, L"\x00c9", 1, FALSE) > 0);
  /* insensitive order compares upcased characters: '_' (0x5F) sorts after 'A'..'Z' */
  CHECK(RtlCompareUnicodeStrings(L"_", 1, L"a", 1, TRUE) > 0);

  UNICODE_STRING a, b, c;
  RtlInitUnicodeString(&a, L"Path\\File");
  RtlInitUnicodeString(&b, L"PATH\\file");
  RtlInitUnicodeString(&c, L"PATH");
  CHECK(RtlCompareUnicodeString(&a, &b, TRUE) == 0);
  CHECK(RtlCompareUnicodeString(&a, &b, FALSE) > 0);
  CHECK(RtlEqualUnicodeString(&a, &b, TRUE));
  CHECK(!RtlEqualUnicodeString(&a, &b, FALSE));
  CHECK(!RtlEqualUnicodeString(&a, &c, TRUE));
  CHECK(RtlPrefixUnicodeString(&c, &a, TRUE));
  CHECK(!RtlPrefixUnicodeString(&c, &a, FALSE));
  CHECK(!RtlPrefixUnicodeString(&a, &c, TRUE)); /* longer than the string */
  CHECK(RtlPrefixUnicodeString(&a, &a, FALSE));

  STRING x, y;
  RtlInitString(&x, "Hello");
  RtlInitString(&y, "hello");
  CHECK(RtlCompareString(&x, &y, FALSE) < 0);
  CHECK(RtlCompareString(&x, &y, TRUE) == 0);
  CHECK(RtlEqualString(&x, &y, TRUE));
  CHECK(!RtlEqualString(&x, &y, FALSE));
  RtlInitString(&y, "Hell");
  CHECK(RtlCompareString(&x, &y, FALSE) > 0);
  CHECK(!RtlEqualString(&x, &y, FALSE));
}

/* ---- copying, appending, hashing -------------------------------------------------------- */

static void test_copy_append(void) {
  WCHAR buf[8];
  UNICODE_STRING dst = {0, sizeof(buf), buf}, src;
  RtlInitUnicodeString(&src, L"abc");
  memset(buf, 0xCC, sizeof(buf));
  RtlCopyUnicodeString(&dst, &src);
  CHECK(ustr_is(&dst, L"abc"));
  CHECK_EQ(buf[3], 0); /* terminated when there is room */
  RtlCopyUnicodeString(&dst, 0);
  CHECK_EQ(dst.Length, 0);
  /* truncated to the destination's size, then no terminator */
  RtlInitUnicodeString(&src, L"0123456789");
  memset(buf, 0xCC, sizeof(buf));
  RtlCopyUnicodeString(&dst, &src);
  CHECK_EQ(dst.Length, 16);
  CHECK(!memcmp(buf, L"01234567", 16));

  dst.Length = 0;
  CHECK_OK(RtlAppendUnicodeToString(&dst, L"ab"));
  CHECK_OK(RtlAppendUnicodeToString(&dst, L"cd"));
  CHECK(ustr_is(&dst, L"abcd"));
  CHECK_EQ(buf[4], 0);
  CHECK_OK(RtlAppendUnicodeToString(&dst, 0));
  CHECK_STATUS(RtlAppendUnicodeToString(&dst, L"efghi"), STATUS_BUFFER_TOO_SMALL);
  CHECK(ustr_is(&dst, L"abcd"));
  RtlInitUnicodeString(&src, L"efgh");
  CHECK_OK(RtlAppendUnicodeStringToString(&dst, &src)); /* exactly full: no terminator */
  CHECK(ustr_is(&dst, L"abcdefgh"));
  RtlInitUnicodeString(&src, L"i");
  CHECK_STATUS(RtlAppendUnicodeStringToString(&dst, &src), STATUS_BUFFER_TOO_SMALL);

  UNICODE_STRING h;
  ULONG v1 = 0, v2 = 0;
  RtlInitUnicodeString(&h, L"abc");
  CHECK_OK(RtlHashUnicodeString(&h, FALSE, 0, &v1));
  CHECK_EQ(v1, (ULONG)(('a' * 65599u + 'b') * 65599u + 'c'));
  CHECK_OK(RtlHashUnicodeString(&h, TRUE, 1, &v2));
  CHECK_EQ(v2, (ULONG)(('A' * 65599u + 'B') * 65599u + 'C'));
  CHECK_STATUS(RtlHashUnicodeString(&h, FALSE, 2, &v1), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlHashUnicodeString(0, FALSE, 0, &v1), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlHashUnicodeString(&h, FALSE, 0, 0), STATUS_INVALID_PARAMETER);
}

static void test_find_char(void) {
  UNICODE_STRING s, set;
  USHORT pos = 99;
  RtlInitUnicodeString(&s, L"dir\\sub/file");
  RtlInitUnicodeString(&set, L"\\/");
  CHECK_OK(RtlFindCharInUnicodeString(0, &s, &set, &pos));
  CHECK_EQ(pos, 8); /* just past the first separator (index 3) */
  CHECK_OK(RtlFindCharInUnicodeString(1, &s, &set, &pos));
  CHECK_EQ(pos, 14); /* at the last one (index 7) */
  RtlInitUnicodeString(&set, L"dir");
  CHECK_OK(RtlFindCharInUnicodeString(2, &s, &set, &pos));
  CHECK_EQ(pos, 8); /* the first character not in the set */
  CHECK_OK(RtlFindCharInUnicodeString(3, &s, &set, &pos));
  CHECK_EQ(pos, 22); /* the last one not in it: 'e' */
  RtlInitUnicodeString(&set, L"xyz");
  CHECK_STATUS(RtlFindCharInUnicodeString(0, &s, &set, &pos), (NTSTATUS)0xC0000225);
  CHECK_EQ(pos, 0);

  WCHAR secret[8] = L"secret";
  UNICODE_STRING e = {12, sizeof(secret), secret};
  RtlEraseUnicodeString(&e);
  CHECK(e.Length == 0 && e.MaximumLength == sizeof(secret));
  int zero = 1;
  for (int i = 0; i < 8; i++) zero &= secret[i] == 0;
  CHECK(zero);
}

/* ---- integers --------------------------------------------------------------------------- */

static void test_integers(void) {
  ULONG v = 0;
  CHECK_OK(RtlCharToInteger("123", 10, &v));
  CHECK_EQ(v, 123);
  CHECK_OK(RtlCharToInteger("  -42", 0, &v));
  CHECK_EQ(v, (ULONG)-42);
  CHECK_OK(RtlCharToInteger("+0x1F", 0, &v));
  CHECK_EQ(v, 0x1F);
  CHECK_OK(RtlCharToInteger("0o17", 0, &v));
  CHECK_EQ(v, 017);
  CHECK_OK(RtlCharToInteger("0b101", 0, &v));
  CHECK_EQ(v, 5);
  CHECK_OK(RtlCharToInteger("ff", 16, &v));
  CHECK_EQ(v, 0xFF);
  CHECK_OK(RtlCharToInteger("12z4", 10, &v)); /* stops at the first non-digit */
  CHECK_EQ(v, 12);
  CHECK_OK(RtlCharToInteger("1010", 2, &v));
  CHECK_EQ(v, 10);
  CHECK_OK(RtlCharToInteger("\t\n 7", 8, &v));
  CHECK_EQ(v, 7);
  CHECK_OK(RtlCharToInteger("4294967297", 10, &v)); /* wraps */
  CHECK_EQ(v, 1);
  CHECK_OK(RtlCharToInteger("", 10, &v));
  CHECK_EQ(v, 0);
  CHECK_STATUS(RtlCharToInteger("1", 7, &v), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlCharToInteger("1", 10, 0), STATUS_ACCESS_VIOLATION);

  UNICODE_STRING u;
  RtlInitUnicodeString(&u, L" 0x7fffFFFF");
  CHECK_OK(RtlUnicodeStringToInteger(&u, 0, &v));
  CHECK_EQ(v, 0x7FFFFFFF);
  RtlInitUnicodeString(&u, L"-1234");
  CHECK_OK(RtlUnicodeStringToInteger(&u, 10, &v));
  CHECK_EQ(v, (ULONG)-1234);
  u.Length = 4; /* "-1": counted, not terminated */
  CHECK_OK(RtlUnicodeStringToInteger(&u, 10, &v));
  CHECK_EQ(v, (ULONG)-1);
  CHECK_STATUS(RtlUnicodeStringToInteger(&u, 3, &v), STATUS_INVALID_PARAMETER);

  char text[16];
  memset(text, 'x', sizeof(text));
  CHECK_OK(RtlIntegerToChar(1234, 10, sizeof(text), text));
  CHECK(!nt_strcmp(text, "1234"));
  CHECK_OK(RtlIntegerToChar(0xBEEF, 16, sizeof(text), text));
  CHECK(!nt_strcmp(text, "BEEF"));
  CHECK_OK(RtlIntegerToChar(5, 2, sizeof(text), text));
  CHECK(!nt_strcmp(text, "101"));
  CHECK_OK(RtlIntegerToChar((ULONG)-1, 0, sizeof(text), text)); /* unsigned; base 0 is 10 */
  CHECK(!nt_strcmp(text, "4294967295"));
  memset(text, 'x', sizeof(text));
  CHECK_OK(RtlIntegerToChar(1234, 10, 4, text)); /* exactly fits: no terminator */
  CHECK(!memcmp(text, "1234x", 5));
  CHECK_STATUS(RtlIntegerToChar(1234, 10, 3, text), STATUS_BUFFER_OVERFLOW);
  CHECK_STATUS(RtlIntegerToChar(1, 7, sizeof(text), text), STATUS_INVALID_PARAMETER);

  WCHAR wbuf[6];
  UNICODE_STRING w = {0, sizeof(wbuf), wbuf};
  CHECK_OK(RtlIntegerToUnicodeString(12345, 10, &w));
  CHECK(ustr_is(&w, L"12345"));
  CHECK_EQ(wbuf[5], 0);
  CHECK_OK(RtlIntegerToUnicodeString(0x1F, 16, &w));
  CHECK(ustr_is(&w, L"1F"));
  CHECK_STATUS(RtlIntegerToUnicodeString(123456, 10, &w), STATUS_BUFFER_OVERFLOW);
  CHECK_STATUS(RtlIntegerToUnicodeString(1, 5, &w), STATUS_INVALID_PARAMETER);

  WCHAR w64[24];
  UNICODE_STRING big = {0, sizeof(w64), w64};
  CHECK_OK(RtlInt64ToUnicodeString(18446744073709551615ULL, 10, &big));
  CHECK(ustr_is(&big, L"18446744073709551615"));
  CHECK_OK(RtlInt64ToUnicodeString(0x123456789ULL, 16, &big));
  CHECK(ustr_is(&big, L"123456789"));
  big.MaximumLength = 8;
  CHECK_STATUS(RtlInt64ToUnicodeString(1234, 10, &big), STATUS_BUFFER_OVERFLOW);
  const ULONGLONG large = 0x1234567890ULL;
  CHECK_OK(RtlLargeIntegerToChar(&large, 16, sizeof(text), text));
  CHECK(!nt_strcmp(text, "1234567890"));
  CHECK_STATUS(RtlLargeIntegerToChar(&large, 10, 5, text), STATUS_BUFFER_OVERFLOW);
}

/* ---- GUIDs ------------------------------------------------------------------------------ */

static void test_guid(void) {
  UNICODE_STRING s;
  GUID g;
  RtlInitUnicodeString(&s, L"{01234567-89AB-cdef-0123-456789ABCDEF}");
  CHECK_OK(RtlGUIDFromString(&s, &g));
  CHECK_EQ(g.Data1, 0x01234567);
  CHECK_EQ(g.Data2, 0x89AB);
  CHECK_EQ(g.Data3, 0xCDEF);
  CHECK(g.Data4[0] == 0x01 && g.Data4[1] == 0x23 && g.Data4[2] == 0x45 && g.Data4[7] == 0xEF);
  RtlInitUnicodeString(&s, L"01234567-89AB-CDEF-0123-456789ABCDEF");
  CHECK_STATUS(RtlGUIDFromString(&s, &g), STATUS_INVALID_PARAMETER);
  RtlInitUnicodeString(&s, L"{01234567-89AB-CDEF-0123-456789ABCDEG}");
  CHECK_STATUS(RtlGUIDFromString(&s, &g), STATUS_INVALID_PARAMETER);
  RtlInitUnicodeString(&s, L"{01234567_89AB-CDEF-0123-456789ABCDEF}");
  CHECK_STATUS(RtlGUIDFromString(&s, &g), STATUS_INVALID_PARAMETER);
  RtlInitUnicodeString(&s, L"{0123}");
  CHECK_STATUS(RtlGUIDFromString(&s, &g), STATUS_INVALID_PARAMETER);
}

/* ---- memory ----------------------------------------------------------------------------- */

static void test_memory(void) {
  char a[16] = "abcdefgh", b[16] = "abcdXfgh";
  CHECK_EQ(RtlCompareMemory(a, b, 8), 4);
  CHECK_EQ(RtlCompareMemory(a, a, 8), 8);
  CHECK_EQ(RtlCompareMemory(a, b, 0), 0);
  RtlCopyMemory(b, a, 8);
  CHECK(!memcmp(a, b, 8));
  RtlMoveMemory(a + 1, a, 7); /* overlapping */
  CHECK(!memcmp(a, "aabcdefg", 8));
  RtlCopyMemoryNonTemporal(b, "12345678", 8);
  CHECK(!memcmp(b, "12345678", 8));
  RtlFillMemory(a, 5, 'z');
  CHECK(!memcmp(a, "zzzzzefg", 8));
  RtlZeroMemory(a, 3);
  CHECK(!memcmp(a, "\0\0\0zzefg", 8));
  ULONG u[4] = {7, 7, 7, 8};
  CHECK_EQ(RtlCompareMemoryUlong(u, 16, 7), 12);
  CHECK_EQ(RtlCompareMemoryUlong(u, 10, 7), 8); /* whole ULONGs only */
  CHECK_EQ(RtlCompareMemoryUlong(u, 16, 8), 0);
  void(NTAPI * fill_ulong)(void*, SIZE_T, ULONG) = ntdll_export("RtlFillMemoryUlong");
  CHECK(fill_ulong != 0); /* not in mingw's import library */
  if (fill_ulong) fill_ulong(u, 12, 0xABCD);
  CHECK(u[0] == 0xABCD && u[2] == 0xABCD && u[3] == 8);
}

/* ---- RtlIsTextUnicode ------------------------------------------------------------------- */

#define TU_STATISTICS 0x0002
#define TU_CONTROLS 0x0004
#define TU_SIGNATURE 0x0008
#define TU_REVERSE_SIGNATURE 0x0080
#define TU_ODD_LENGTH 0x0200
#define TU_NULL_BYTES 0x1000

static void test_is_text_unicode(void) {
  static const WCHAR hello[] = L"Hello, world";
  CHECK(RtlIsTextUnicode(hello, sizeof(hello) - 2, 0));
  int flags = TU_STATISTICS;
  CHECK(RtlIsTextUnicode(hello, sizeof(hello) - 2, &flags));
  CHECK_EQ(flags, TU_STATISTICS);
  flags = TU_NULL_BYTES | TU_CONTROLS;
  CHECK(RtlIsTextUnicode(hello, sizeof(hello) - 2, &flags));
  CHECK_EQ(flags, TU_NULL_BYTES | TU_CONTROLS);
  static const char ansi[] = "Hello, world";
  CHECK(!RtlIsTextUnicode(ansi, 12, 0));
  flags = TU_ODD_LENGTH;
  CHECK(!RtlIsTextUnicode(hello, 5, &flags));
  CHECK_EQ(flags, TU_ODD_LENGTH);
  static const WCHAR bom[] = {0xFEFF, 0x4E2D, 0x6587};
  flags = TU_SIGNATURE;
  CHECK(RtlIsTextUnicode(bom, sizeof(bom), &flags));
  CHECK_EQ(flags, TU_SIGNATURE);
  static const WCHAR reversed[] = {0xFFFE, 0x4800, 0x6900};
  flags = TU_REVERSE_SIGNATURE;
  CHECK(!RtlIsTextUnicode(reversed, sizeof(reversed), &flags));
  CHECK_EQ(flags, TU_REVERSE_SIGNATURE);
  static const WCHAR odd_units[] = {'a', 0xFFFF, 'b', 0x0A0D, 'c'};
  flags = 0x0100; /* IS_TEXT_UNICODE_ILLEGAL_CHARS */
  CHECK(!RtlIsTextUnicode(odd_units, sizeof(odd_units), &flags));
  /* documented (0xFFFF, CR-LF in one unit, NUL, embedded reversed BOM); Wine 8 never reports it */
  if (!nt_is_wine()) CHECK_EQ(flags, 0x0100);
  flags = ~0;
  CHECK(!RtlIsTextUnicode(hello, 1, &flags)); /* too short to say */
  CHECK_EQ(flags, 0);
}

/* ---- RtlIsNameLegalDOS8Dot3 ------------------------------------------------------------- */

static int dos83(const WCHAR* name, BOOLEAN* spaces) {
  UNICODE_STRING u;
  RtlInitUnicodeString(&u, name);
  return RtlIsNameLegalDOS8Dot3(&u, 0, spaces);
}

static void test_dos83(void) {
  BOOLEAN spaces = 2;
  CHECK(dos83(L"FILE.TXT", &spaces));
  CHECK_EQ(spaces, FALSE);
  CHECK(dos83(L"file.txt", 0)); /* upcased first */
  CHECK(dos83(L"12345678.123", 0));
  CHECK(!dos83(L"123456789.123", 0));
  CHECK(!dos83(L"12345678.1234", 0));
  CHECK(!dos83(L"123456789", 0));
  CHECK(dos83(L"12345678", 0));
  CHECK(!dos83(L"a.b.c", 0));
  CHECK(!dos83(L"file.", 0));
  CHECK(!dos83(L".txt", 0));
  CHECK(dos83(L".", 0));
  CHECK(dos83(L"..", 0));
  CHECK(!dos83(L"...", 0));
  CHECK(!dos83(L"a*b", 0));
  CHECK(!dos83(L"a+b", 0));
  CHECK(!dos83(L"a[b", 0));
  spaces = 0;
  CHECK(dos83(L"A B.C", &spaces));
  CHECK_EQ(spaces, TRUE);
  char buf[12];
  STRING oem = {0, sizeof(buf), buf};
  UNICODE_STRING u;
  RtlInitUnicodeString(&u, L"abc.de");
  CHECK(RtlIsNameLegalDOS8Dot3(&u, &oem, 0));
  CHECK(oem.Length == 6 && !memcmp(buf, "ABC.DE", 6));
}

/* ---- VerSetConditionMask ---------------------------------------------------------------- */

static void test_condition_mask(void) {
  CHECK_EQ(VerSetConditionMask(0, 0x2 /* VER_MAJORVERSION */, 3 /* VER_GREATER_EQUAL */),
           3ULL << 3);
  CHECK_EQ(VerSetConditionMask(0, 0x1 /* VER_MINORVERSION */, 1), 1ULL);
  CHECK_EQ(VerSetConditionMask(0, 0x80 /* VER_PRODUCT_TYPE */, 1), 1ULL << 21);
  CHECK_EQ(VerSetConditionMask(0, 0x20 /* VER_SERVICEPACKMAJOR */, 2), 2ULL << 15);
  CHECK_EQ(VerSetConditionMask(3ULL << 3, 0x1, 3), (3ULL << 3) | 3);
  CHECK_EQ(VerSetConditionMask(0x55, 0x2, 0), 0x55ULL); /* no condition: unchanged */
  CHECK_EQ(VerSetConditionMask(0x55, 0, 3), 0x55ULL);
  /* several types: only the highest counts */
  CHECK_EQ(VerSetConditionMask(0, 0x2 | 0x1, 3), 3ULL << 3);
  CHECK_EQ(VerSetConditionMask(0, 0x2, 0xB), 3ULL << 3); /* condition & 7 */
}

/* ---- RtlFormatMessage ------------------------------------------------------------------- */

static NTSTATUS fmt_list(WCHAR* out, ULONG size, ULONG* ret, const WCHAR* src, ULONG width,
                         BOOLEAN ansi, ...) {
  va_list ap;
  va_start(ap, ansi);
  NTSTATUS s = RtlFormatMessage(src, width, FALSE, ansi, FALSE, &ap, out, size, ret);
  va_end(ap);
  return s;
}

static void test_format_message(void) {
  WCHAR out[128];
  ULONG ret = 0;
  CHECK_OK(fmt_list(out, sizeof(out), &ret, L"plain text", 0, FALSE));
  CHECK(!nt_wcscmp(out, L"plain text"));
  CHECK_EQ(ret, sizeof(L"plain text"));
  CHECK_OK(fmt_list(out, sizeof(out), &ret, L"%1 and %2", 0, FALSE, L"one", L"two"));
  CHECK(!nt_wcscmp(out, L"one and two"));
  CHECK_OK(fmt_list(out, sizeof(out), &ret, L"%2 %1", 0, FALSE, L"a", L"b"));
  CHECK(!nt_wcscmp(out, L"b a"));
  CHECK_OK(fmt_list(out, sizeof(out), &ret, L"%1!d! [%2!04x!]", 0, FALSE, 42, 0xAB));
  CHECK(!nt_wcscmp(out, L"42 [00ab]"));
  CHECK_OK(fmt_list(out, sizeof(out), &ret, L"%1", 0, TRUE, "narrow"));
  CHECK(!nt_wcscmp(out, L"narrow"));
  CHECK_OK(fmt_list(out, sizeof(out), &ret, L"a%nb%rc%td%%e%.f%!", 0, FALSE));
  CHECK(!nt_wcscmp(out, L"a\r\nb\rc\td%e.f!"));
  CHECK_OK(fmt_list(out, sizeof(out), &ret, L"line1\nline2\r\nend", 0, FALSE));
  CHECK(!nt_wcscmp(out, L"line1\r\nline2\r\nend"));
  CHECK_OK(fmt_list(out, sizeof(out), &ret, L"keep%0 dropped", 0, FALSE));
  CHECK(!nt_wcscmp(out, L"keep"));
  CHECK_EQ(ret, sizeof(L"keep"));
  /* a maximum width turns line ends into spaces and breaks at the last space */
  CHECK_OK(fmt_list(out, sizeof(out), &ret, L"aaa bbb ccc\nddd", 8, FALSE));
  CHECK(!nt_wcscmp(out, L"aaa bbb\r\nccc ddd"));
  CHECK_OK(fmt_list(out, sizeof(out), &ret, L"abcdefghij", 4, FALSE)); /* no space: hard cut */
  CHECK(!nt_wcscmp(out, L"abcd\r\nefgh\r\nij"));
  /* the break replaces the last space before the width, and the spaces before it */
  CHECK_OK(fmt_list(out, sizeof(out), &ret, L"ab   cd ef", 4, FALSE));
  CHECK(!nt_wcscmp(out, L"ab\r\n cd\r\nef"));
  CHECK_OK(fmt_list(out, sizeof(out), &ret, L"a%nbc de", 4, FALSE)); /* %n starts a line */
  CHECK(!nt_wcscmp(out, L"a\r\nbc\r\nde"));
  CHECK_OK(fmt_list(out, sizeof(out), &ret, L"%1 %2", 6, FALSE, L"first", L"second"));
  CHECK(!nt_wcscmp(out, L"first\r\nsecond\r\n"));
  CHECK_STATUS(fmt_list(out, 8, &ret, L"too long", 0, FALSE), STATUS_BUFFER_OVERFLOW);
  CHECK_STATUS(fmt_list(out, 8, &ret, L"%1", 0, FALSE, L"an insert too long"),
               STATUS_BUFFER_OVERFLOW);
  CHECK_OK(fmt_list(out, 18, &ret, L"too long", 0, FALSE)); /* exactly with the NUL */
  CHECK_STATUS(fmt_list(out, sizeof(out), &ret, L"bad %", 0, FALSE), STATUS_INVALID_PARAMETER);

  /* a '*' width takes an argument; with a va_list the inserts after it shift by one (Windows) */
  CHECK_OK(fmt_list(out, sizeof(out), &ret, L"[%1!*d!] %2", 0, FALSE, 5, 42, L"next"));
  CHECK(!nt_wcscmp(out, L"[   42] next"));
  CHECK_OK(fmt_list(out, sizeof(out), &ret, L"%1!-*.*s!|", 0, FALSE, 6, 2, L"abcdef"));
  CHECK(!nt_wcscmp(out, L"ab    |"));
  CHECK_OK(fmt_list(out, sizeof(out), &ret, L"%1!I64u!", 0, FALSE, 0x123456789ULL));
  CHECK(!nt_wcscmp(out, L"4886718345"));

  ULONG_PTR array[] = {(ULONG_PTR)L"x", 7};
  CHECK_OK(RtlFormatMessage(L"%2!u!-%1", 0, FALSE, FALSE, TRUE, (va_list*)array, out, sizeof(out),
                            &ret));
  CHECK(!nt_wcscmp(out, L"7-x"));
  ULONG_PTR star_array[] = {4, 9};
  CHECK_OK(RtlFormatMessage(L"[%1!*u!]", 0, FALSE, FALSE, TRUE, (va_list*)star_array, out,
                            sizeof(out), &ret));
  CHECK(!nt_wcscmp(out, L"[   9]"));
  CHECK_OK(RtlFormatMessage(L"%1 %2!u! %%", 0, TRUE, FALSE, FALSE, 0, out, sizeof(out), &ret));
  CHECK(!nt_wcscmp(out, L"%1 %2!u! %%")); /* inserts ignored, kept as written */
  CHECK_STATUS(RtlFormatMessage(L"%1", 0, FALSE, FALSE, FALSE, 0, out, sizeof(out), &ret),
               STATUS_INVALID_PARAMETER); /* an insert without arguments */
}

/* ---- RtlFindMessage -------------------------------------------------------------------- */

typedef struct MESSAGE_RESOURCE_ENTRY {
  USHORT Length, Flags;
  UCHAR Text[1];
} MESSAGE_RESOURCE_ENTRY;

NTSTATUS NTAPI RtlFindMessage(void* base, ULONG type, ULONG language, ULONG id,
                              MESSAGE_RESOURCE_ENTRY** entry);

/* A pending stub of our ntdll (gen_ntdll_stubs.py): lea rcx, [its own name]; jmp. */
static int is_pending_stub(const char* name) {
  const unsigned char* code = ntdll_export(name);
  if (!code || code[0] != 0x48 || code[1] != 0x8D || code[2] != 0x0D || code[7] != 0xE9) return 0;
  return !nt_strcmp((const char*)(code + 7 + *(const LONG*)(code + 3)), name);
}

static __attribute__((aligned(4096))) unsigned char image[0x1000];

static void put16(ULONG at, USHORT v) {
  memcpy(image + at, &v, 2);
}
static void put32(ULONG at, ULONG v) {
  memcpy(image + at, &v, 4);
}

/* One resource directory level at `at` with a single id entry pointing at `target`. */
static void put_directory(ULONG at, ULONG id, ULONG target) {
  put16(at + 14, 1); /* NumberOfIdEntries */
  put32(at + 16, id);
  put32(at + 20, target);
}

/* A mapped-image lookalike holding one RT_MESSAGETABLE (type 11, name 1, language 0x409) with
 * blocks for ids 1-3 and 0x100. */
static void build_message_image(void) {
  memset(image, 0, sizeof(image));
  put16(0, 0x5A4D);                /* MZ */
  put32(0x3C, 0x40);               /* e_lfanew */
  put32(0x40, 0x4550);             /* PE\0\0 */
  put16(0x44, 0x8664);             /* Machine */
  put16(0x54, 0xF0);               /* SizeOfOptionalHeader */
  put16(0x56, 0x2022);             /* Characteristics: executable, large address aware, DLL */
  const ULONG opt = 0x58;          /* IMAGE_OPTIONAL_HEADER64 */
  put16(opt, 0x20B);               /* PE32+ */
  put32(opt + 32, 0x1000);         /* SectionAlignment */
  put32(opt + 36, 0x200);          /* FileAlignment */
  put32(opt + 56, sizeof(image));  /* SizeOfImage */
  put32(opt + 60, 0x200);          /* SizeOfHeaders */
  put32(opt + 108, 16);            /* NumberOfRvaAndSizes */
  put32(opt + 112 + 2 * 8, 0x200); /* resource directory RVA */
  put32(opt + 112 + 2 * 8 + 4, 0x200);
  const ULONG root = 0x200;
  put_directory(root, 11, 0x80000000 | 0x18);
  put_directory(root + 0x18, 1, 0x80000000 | 0x30);
  put_directory(root + 0x30, 0x409, 0x48);
  put32(root + 0x48, 0x300); /* IMAGE_RESOURCE_DATA_ENTRY: RVA, size */
  put32(root + 0x4C, 0x100);
  const ULONG data = 0x300; /* MESSAGE_RESOURCE_DATA */
  put32(data, 2);
  put32(data + 4, 1);
  put32(data + 8, 3);
  put32(data + 12, 0x20);
  put32(data + 16, 0x100);
  put32(data + 20, 0x100);
  put32(data + 24, 0x40);
  static const char* const texts[] = {"one", "two!", "three", "hex"};
  ULONG at = data + 0x20;
  for (int i = 0; i < 4; i++) {
    if (i == 3) at = data + 0x40;
    const ULONG len = (ULONG)((4 + nt_strlen(texts[i]) + 1 + 3) & ~3u);
    put16(at, (USHORT)len);
    put16(at + 2, 0); /* ANSI text */
    memcpy(image + at + 4, texts[i], nt_strlen(texts[i]));
    at += len;
  }
}

static void test_find_message(void) {
  if (is_pending_stub("LdrFindResource_U")) {
    nt_note("LdrFindResource_U is pending (loader family): RtlFindMessage not exercised");
    return;
  }
  build_message_image();
  MESSAGE_RESOURCE_ENTRY* e = 0;
  CHECK_OK(RtlFindMessage(image, 11, 0x409, 1, &e));
  CHECK(e && !nt_strcmp((const char*)e->Text, "one"));
  CHECK_OK(RtlFindMessage(image, 11, 0x409, 3, &e));
  CHECK(e && !nt_strcmp((const char*)e->Text, "three") && e->Length == 12);
  CHECK_OK(RtlFindMessage(image, 11, 0x409, 0x100, &e));
  CHECK(e && !nt_strcmp((const char*)e->Text, "hex"));
  CHECK_STATUS(RtlFindMessage(image, 11, 0x409, 4, &e), (NTSTATUS)0xC0000109);
  CHECK_STATUS(RtlFindMessage(image, 11, 0x409, 0, &e), (NTSTATUS)0xC0000109);
  CHECK_STATUS(RtlFindMessage(image, 12, 0x409, 1, &e), (NTSTATUS)0xC000008A);
}

/* ---- Wine debug channels ---------------------------------------------------------------- */

struct wine_debug_channel {
  unsigned char flags;
  char name[15];
};

static void test_wine_debug(void) {
  unsigned char(__cdecl * get_flags)(struct wine_debug_channel*) =
      ntdll_export("__wine_dbg_get_channel_flags");
  const char*(__cdecl * dbg_strdup)(const char*) = ntdll_export("__wine_dbg_strdup");
  int(__cdecl * header)(int, struct wine_debug_channel*, const char*) =
      ntdll_export("__wine_dbg_header");
  int(__cdecl * output)(const char*) = ntdll_export("__wine_dbg_output");
  CHECK(get_flags && dbg_strdup && header && output);
  if (!get_flags || !dbg_strdup || !header || !output) return;
  /* the test runs without WINEDEBUG (Wine's runner sets -all): no class of any channel is on */
  struct wine_debug_channel ch = {0xFF, "strtest"};
  CHECK_EQ(get_flags(&ch), 0);
  CHECK_EQ(ch.flags, 0); /* looked up once, stored */
  CHECK_EQ(header(3 /* trace */, &ch, "func"), -1);
  CHECK_EQ(header(1 /* err */, &ch, "func"), -1);
  const char* a = dbg_strdup("first");
  const char* b = dbg_strdup("second");
  CHECK(a && b && a != b);
  CHECK(!nt_strcmp(a, "first") && !nt_strcmp(b, "second"));
  /* the ring wraps: many strings later the early ones are reused, the new ones stay intact */
  char text[200];
  memset(text, 'q', sizeof(text) - 1);
  text[sizeof(text) - 1] = 0;
  const char* c = 0;
  for (int i = 0; i < 20; i++) c = dbg_strdup(text);
  CHECK(c && nt_strlen(c) == sizeof(text) - 1);
  CHECK_EQ(output(""), 0);
}

/* WINEDEBUG as our ntdll reads it: from the environment block when a channel is first looked up
 * (Wine's own ntdll parses it once at start, so this runs on ours only). "all" items set the
 * default, a channel's own items override it. */
static void test_winedebug(void) {
  if (nt_is_wine()) return;
  unsigned char(__cdecl * get_flags)(struct wine_debug_channel*) =
      ntdll_export("__wine_dbg_get_channel_flags");
  int(__cdecl * header)(int, struct wine_debug_channel*, const char*) =
      ntdll_export("__wine_dbg_header");
  int(__cdecl * output)(const char*) = ntdll_export("__wine_dbg_output");
  void** env_slot = (void**)(*(char**)((char*)nt_peb() + 0x20) + 0x80); /* Environment */
  void* saved = *env_slot;
  static const WCHAR env[] = L"A=1\0winedebug=warn+chan1,+all,-chan2,trace-chan3,err-all\0Z=2\0";
  *env_slot = (void*)env;
  struct wine_debug_channel c1 = {0xFF, "chan1"}, c2 = {0xFF, "chan2"}, c3 = {0xFF, "chan3"},
                            c4 = {0xFF, "other"};
  CHECK_EQ(get_flags(&c1), 1 << 2);          /* warn */
  CHECK_EQ(get_flags(&c2), 0);               /* -chan2 after +all */
  CHECK_EQ(get_flags(&c3), 0xF & ~(1 << 3)); /* all but trace */
  CHECK_EQ(get_flags(&c4), 0xF & ~(1 << 1)); /* all but err */
  *env_slot = saved;

  ULONG tid;
  __asm__("movl %%gs:0x48, %0" : "=r"(tid));
  char want[64];
  const int len = nt_snprintf(want, sizeof(want), "%04x:trace:other:fn ", tid);
  CHECK_EQ(header(3, &c4, "fn"), len);
  static const char line[] = "a trace line from rtl_strings (expected)\n";
  CHECK_EQ(output(line), sizeof(line) - 1);
  CHECK_EQ(header(1, &c4, "fn"), -1);      /* err is off */
  CHECK_EQ(header(2, &c4, "fn"), len - 1); /* "warn" is one shorter than "trace" */
  CHECK_EQ(output("partial "), 8);
  CHECK_EQ(header(2, &c4, "fn"), 0); /* mid-line: no second header */
  CHECK_EQ(output("end\n"), 4);
}

/* ---- heap-allocated strings (last: they need the process heap) --------------------------- */

static void test_heap_strings(void) {
  UNICODE_STRING u, d;
  CHECK(RtlCreateUnicodeString(&u, L"created"));
  CHECK(ustr_is(&u, L"created") && u.MaximumLength == 16 && u.Buffer[7] == 0);
  CHECK_OK(RtlDuplicateUnicodeString(1, &u, &d));
  CHECK(ustr_is(&d, L"created") && d.MaximumLength == 16 && d.Buffer != u.Buffer);
  CHECK_EQ(d.Buffer[7], 0);
  RtlFreeUnicodeString(&d);
  CHECK(d.Buffer == 0 && d.Length == 0 && d.MaximumLength == 0);
  CHECK_OK(RtlDuplicateUnicodeString(0, &u, &d));
  CHECK(ustr_is(&d, L"created") && d.MaximumLength == 14);
  RtlFreeUnicodeString(&d);
  UNICODE_STRING empty = {0, 0, 0};
  CHECK_OK(RtlDuplicateUnicodeString(1, &empty, &d));
  CHECK(d.Length == 0 && d.MaximumLength == 0 && d.Buffer == 0);
  CHECK_OK(RtlDuplicateUnicodeString(3, &empty, &d)); /* allocate a terminated empty string */
  CHECK(d.Length == 0 && d.MaximumLength == 2 && d.Buffer && d.Buffer[0] == 0);
  RtlFreeUnicodeString(&d);
  CHECK_STATUS(RtlDuplicateUnicodeString(2, &u, &d), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlDuplicateUnicodeString(4, &u, &d), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlDuplicateUnicodeString(1, 0, &d), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlDuplicateUnicodeString(1, &u, 0), STATUS_INVALID_PARAMETER);
  UNICODE_STRING bad = {4, 2, u.Buffer}; /* Length > MaximumLength */
  CHECK_STATUS(RtlDuplicateUnicodeString(1, &bad, &d), STATUS_INVALID_PARAMETER);
  RtlFreeUnicodeString(&u);
  CHECK(u.Buffer == 0);

  CHECK(RtlCreateUnicodeStringFromAsciiz(&u, "ascii"));
  CHECK(ustr_is(&u, L"ascii") && u.MaximumLength == 12);
  RtlFreeUnicodeString(&u);

  GUID g = {0x01234567, 0x89AB, 0xCDEF, {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF}};
  CHECK_OK(RtlStringFromGUID(&g, &u));
  CHECK(ustr_is(&u, L"{01234567-89AB-CDEF-0123-456789ABCDEF}"));
  CHECK_EQ(u.MaximumLength, 78);
  GUID back;
  CHECK_OK(RtlGUIDFromString(&u, &back));
  CHECK(!memcmp(&back, &g, sizeof(g)));
  RtlFreeUnicodeString(&u);

  STRING a = {0, 0, 0};
  RtlFreeAnsiString(&a); /* no buffer: nothing to do */
  CHECK(a.Buffer == 0);
}

void test_main(void) {
  test_init();
  test_ansi_strings();
  test_compare();
  test_find_char();
  test_copy_append();
  test_integers();
  test_guid();
  test_memory();
  test_is_text_unicode();
  test_dos83();
  test_condition_mask();
  test_format_message();
  test_find_message();
  test_wine_debug();
  test_winedebug();
  test_heap_strings();
}
