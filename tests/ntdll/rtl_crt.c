/* The C library functions ntdll exports: character classes, narrow and wide strings, number
 * conversions and the sprintf family (msvcrt's format language and _vsnprintf's -1 when the
 * text does not fit). mingw's import library lacks them, so the test finds them in ntdll's
 * export directory. */
#include "nttest.h"

extern void* __imp_RtlInitUnicodeString; /* any ntdll import: it points into ntdll */
void NTAPI RtlInitUnicodeString(UNICODE_STRING* s, const WCHAR* src);

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
  nt_note("ntdll does not export %s", name);
  return 0;
}

/* Every function under test, as a pointer loaded from the export table. */
typedef int(__cdecl* compare_fn)(const void*, const void*);
// clang-format off
#define FUNCTIONS(X) \
  X(int, isalpha, (int)) \
  X(int, isalnum, (int)) \
  X(int, islower, (int)) \
  X(int, isupper, (int)) \
  X(int, isdigit, (int)) \
  X(int, isxdigit, (int)) \
  X(int, isspace, (int)) \
  X(int, isprint, (int)) \
  X(int, tolower, (int)) \
  X(int, toupper, (int)) \
  X(WCHAR, towupper, (WCHAR)) \
  X(WCHAR, towlower, (WCHAR)) \
  X(size_t, strlen, (const char*)) \
  X(char*, strcpy, (char*, const char*)) \
  X(char*, strcat, (char*, const char*)) \
  X(char*, strncpy, (char*, const char*, size_t)) \
  X(int, strcmp, (const char*, const char*)) \
  X(int, strncmp, (const char*, const char*, size_t)) \
  X(int, _strnicmp, (const char*, const char*, size_t)) \
  X(char*, strchr, (const char*, int)) \
  X(char*, strrchr, (const char*, int)) \
  X(char*, strpbrk, (const char*, const char*)) \
  X(char*, strstr, (const char*, const char*)) \
  X(long, strtol, (const char*, char**, int)) \
  X(int, atoi, (const char*)) \
  X(size_t, wcslen, (const WCHAR*)) \
  X(size_t, wcsnlen, (const WCHAR*, size_t)) \
  X(WCHAR*, wcscpy, (WCHAR*, const WCHAR*)) \
  X(WCHAR*, wcsncpy, (WCHAR*, const WCHAR*, size_t)) \
  X(WCHAR*, wcscat, (WCHAR*, const WCHAR*)) \
  X(int, wcscmp, (const WCHAR*, const WCHAR*)) \
  X(int, wcsncmp, (const WCHAR*, const WCHAR*, size_t)) \
  X(int, _wcsicmp, (const WCHAR*, const WCHAR*)) \
  X(int, _wcsnicmp, (const WCHAR*, const WCHAR*, size_t)) \
  X(WCHAR*, wcschr, (const WCHAR*, WCHAR)) \
  X(WCHAR*, wcsrchr, (const WCHAR*, WCHAR)) \
  X(size_t, wcsspn, (const WCHAR*, const WCHAR*)) \
  X(size_t, wcscspn, (const WCHAR*, const WCHAR*)) \
  X(WCHAR*, wcspbrk, (const WCHAR*, const WCHAR*)) \
  X(WCHAR*, wcsstr, (const WCHAR*, const WCHAR*)) \
  X(long, wcstol, (const WCHAR*, WCHAR**, int)) \
  X(unsigned long, wcstoul, (const WCHAR*, WCHAR**, int)) \
  X(char*, _itoa, (int, char*, int)) \
  X(char*, _ultoa, (unsigned long, char*, int)) \
  X(char*, _i64toa, (LONGLONG, char*, int)) \
  X(char*, _ui64toa, (ULONGLONG, char*, int)) \
  X(WCHAR*, _itow, (int, WCHAR*, int)) \
  X(WCHAR*, _ui64tow, (ULONGLONG, WCHAR*, int)) \
  X(int, _vsnprintf, (char*, size_t, const char*, va_list)) \
  X(int, _vsnwprintf, (WCHAR*, size_t, const WCHAR*, va_list)) \
  X(int, sprintf, (char*, const char*, ...)) \
  X(int, swprintf, (WCHAR*, const WCHAR*, ...)) \
  X(int, _snprintf, (char*, size_t, const char*, ...)) \
  X(int, _snwprintf, (WCHAR*, size_t, const WCHAR*, ...)) \
  X(int, __isascii, (int)) \
  X(int, __iscsym, (int)) \
  X(int, __iscsymf, (int)) \
  X(int, __toascii, (int)) \
  X(int, abs, (int)) \
  X(long, labs, (long)) \
  X(void, qsort, (void*, size_t, size_t, compare_fn)) \
  X(void*, bsearch, (const void*, const void*, size_t, size_t, compare_fn)) \
  X(void*, _lfind, (const void*, const void*, unsigned*, unsigned, compare_fn)) \
  X(size_t, mbstowcs, (WCHAR*, const char*, size_t)) \
  X(size_t, wcstombs, (char*, const WCHAR*, size_t)) \
  X(LONGLONG, _wcstoi64, (const WCHAR*, WCHAR**, int)) \
  X(ULONGLONG, _wcstoui64, (const WCHAR*, WCHAR**, int)) \
  X(int, strcpy_s, (char*, size_t, const char*)) \
  X(int, strncpy_s, (char*, size_t, const char*, size_t)) \
  X(int, strcat_s, (char*, size_t, const char*)) \
  X(int, strncat_s, (char*, size_t, const char*, size_t)) \
  X(int, wcscpy_s, (WCHAR*, size_t, const WCHAR*)) \
  X(int, wcscat_s, (WCHAR*, size_t, const WCHAR*)) \
  X(int, wcsncpy_s, (WCHAR*, size_t, const WCHAR*, size_t)) \
  X(int, memcpy_s, (void*, size_t, const void*, size_t)) \
  X(int, memmove_s, (void*, size_t, const void*, size_t)) \
  X(int, _snprintf_s, (char*, size_t, size_t, const char*, ...)) \
  X(int, _snwprintf_s, (WCHAR*, size_t, size_t, const WCHAR*, ...)) \
  X(int, sprintf_s, (char*, size_t, const char*, ...)) \
  X(int, swprintf_s, (WCHAR*, size_t, const WCHAR*, ...)) \
  X(size_t, strspn, (const char*, const char*)) \
  X(size_t, strcspn, (const char*, const char*)) \
  X(void*, memchr, (const void*, int, size_t)) \
  X(size_t, strnlen, (const char*, size_t)) \
  X(char*, strncat, (char*, const char*, size_t)) \
  X(WCHAR*, wcsncat, (WCHAR*, const WCHAR*, size_t)) \
  X(int, _stricmp, (const char*, const char*)) \
  X(int, _memicmp, (const void*, const void*, size_t)) \
  X(char*, _strlwr, (char*)) \
  X(char*, _strupr, (char*)) \
  X(WCHAR*, _wcslwr, (WCHAR*)) \
  X(WCHAR*, _wcsupr, (WCHAR*)) \
  X(long, atol, (const char*)) \
  X(LONGLONG, _atoi64, (const char*)) \
  X(int, _wtoi, (const WCHAR*)) \
  X(LONGLONG, _wtoi64, (const WCHAR*)) \
  X(char*, _ltoa, (long, char*, int)) \
  X(WCHAR*, _i64tow, (LONGLONG, WCHAR*, int)) \
  X(WCHAR*, _ultow, (unsigned long, WCHAR*, int)) \
  X(unsigned long, strtoul, (const char*, char**, int)) \
  X(int, iscntrl, (int)) \
  X(int, ispunct, (int)) \
  X(int, isgraph, (int)) \
  X(int, vsprintf, (char*, const char*, va_list)) \
  X(int, _vscprintf, (const char*, va_list)) \
  X(int, _vscwprintf, (const WCHAR*, va_list)) \
  X(int, _swprintf, (WCHAR*, const WCHAR*, ...)) \
  X(int, sscanf, (const char*, const char*, ...)) \
  X(int, _tolower, (int)) \
  X(int, _toupper, (int)) \
  X(int, iswascii, (WCHAR)) \
  X(void*, _memccpy, (void*, const void*, int, size_t)) \
  X(char*, strtok_s, (char*, const char*, char**)) \
  X(WCHAR*, wcstok_s, (WCHAR*, const WCHAR*, WCHAR**)) \
  X(int, _itoa_s, (int, char*, size_t, int)) \
  X(int, _ui64toa_s, (ULONGLONG, char*, size_t, int)) \
  X(int, _i64tow_s, (LONGLONG, WCHAR*, size_t, int))
// clang-format on

#define DECLARE(ret, name, args) static ret(__cdecl* p_##name) args;
FUNCTIONS(DECLARE)

static int load_functions(void) {
  int ok = 1;
#define LOAD(ret, name, args)     \
  p_##name = ntdll_export(#name); \
  ok &= p_##name != 0;
  FUNCTIONS(LOAD)
  return ok;
}

/* ---- character classes ------------------------------------------------------------------ */

static void test_ctype(void) {
  CHECK(p_isalpha('a') && p_isalpha('Z') && !p_isalpha('1') && !p_isalpha('_'));
  CHECK(p_isalnum('a') && p_isalnum('5') && !p_isalnum('-'));
  CHECK(p_islower('q') && !p_islower('Q') && !p_islower('1'));
  CHECK(p_isupper('Q') && !p_isupper('q'));
  CHECK(p_isdigit('0') && p_isdigit('9') && !p_isdigit('a'));
  CHECK(p_isxdigit('f') && p_isxdigit('F') && p_isxdigit('7') && !p_isxdigit('g'));
  CHECK(p_isspace(' ') && p_isspace('\t') && p_isspace('\n') && p_isspace('\v') &&
        p_isspace('\f') && p_isspace('\r') && !p_isspace('x'));
  CHECK(p_isprint(' ') && p_isprint('~') && !p_isprint('\t') && !p_isprint(0x7F));
  /* msvcrt's _ctype masks: _UPPER 1, _LOWER 2, _DIGIT 4, _SPACE 8, _HEX 0x80 */
  CHECK_EQ(p_isupper('A'), 1);
  CHECK_EQ(p_islower('a'), 2);
  CHECK_EQ(p_isdigit('3'), 4);
  CHECK_EQ(p_isspace(' '), 8);
  CHECK(p_isalpha(-1) == 0 && p_isdigit(-1) == 0); /* EOF */
  CHECK(!p_isalpha(0xE9) && !p_isupper(0xC9));     /* "C" locale: only ASCII has classes */
  CHECK_EQ(p_tolower('A'), 'a');
  CHECK_EQ(p_tolower('a'), 'a');
  CHECK_EQ(p_tolower('['), '[');
  CHECK_EQ(p_toupper('z'), 'Z');
  CHECK_EQ(p_toupper('{'), '{');
  /* toupper maps the low byte through the ANSI code page (1252); tolower is ASCII only */
  CHECK_EQ(p_toupper(0xE9), 0xC9);
  CHECK_EQ(p_toupper(0x9A), 0x8A); /* s caron */
  CHECK_EQ(p_toupper(-23), 0xC9);  /* (char)0xE9 */
  CHECK_EQ(p_toupper(0x161), 'A'); /* the low byte */
  CHECK_EQ(p_tolower(0xC9), 0xC9);
  CHECK(p_tolower(-55) == -55);
  CHECK_EQ(p_towupper('a'), 'A');
  CHECK_EQ(p_towlower('A'), 'a');
  CHECK_EQ(p_towupper(0xE9), 0xC9);     /* e acute */
  CHECK_EQ(p_towupper(0x3B1), 0x391);   /* Greek alpha: towupper knows all of Unicode */
  CHECK_EQ(p_towupper(0x436), 0x416);   /* Cyrillic zhe */
  CHECK_EQ(p_towupper(0xFF41), 0xFF21); /* fullwidth a */
  CHECK_EQ(p_towupper('1'), '1');
  CHECK_EQ(p_towlower(0xC9), 0xE9); /* towlower: Latin-1 only */
  CHECK_EQ(p_towlower(0x391), 0x391);
  CHECK_EQ(p_towlower(0x416), 0x416);
}

/* ---- narrow strings --------------------------------------------------------------------- */

static void test_narrow_strings(void) {
  char buf[32];
  CHECK_EQ(p_strlen(""), 0);
  CHECK_EQ(p_strlen("hello"), 5);
  CHECK(p_strcpy(buf, "abc") == buf && !nt_strcmp(buf, "abc"));
  CHECK(p_strcat(buf, "def") == buf && !nt_strcmp(buf, "abcdef"));
  memset(buf, 'x', sizeof(buf));
  p_strncpy(buf, "ab", 5); /* pads with NULs */
  CHECK(!memcmp(buf, "ab\0\0\0x", 6));
  p_strncpy(buf, "abcdef", 3);                  /* no terminator */
  CHECK(!memcmp(buf, "abc", 3) && buf[3] == 0); /* the pad from before is still there */
  CHECK(p_strcmp("abc", "abc") == 0);
  CHECK(p_strcmp("abc", "abd") < 0);
  CHECK(p_strcmp("b", "abc") > 0);
  CHECK(p_strcmp("ab", "abc") < 0);
  CHECK(p_strcmp("\xE9", "a") > 0); /* unsigned chars */
  CHECK(p_strncmp("abcX", "abcY", 3) == 0);
  CHECK(p_strncmp("abcX", "abcY", 4) < 0);
  CHECK(p_strncmp("x", "y", 0) == 0);
  CHECK(p_strncmp("ab", "abc", 5) < 0);
  CHECK(p__strnicmp("HeLLo", "hello", 5) == 0);
  CHECK(p__strnicmp("HeLLo!", "hello?", 5) == 0);
  CHECK(p__strnicmp("abc", "ABD", 3) < 0);
  CHECK(p__strnicmp("[", "a", 1) < 0); /* folds to lower case: '[' < 'a' */
  CHECK(p__strnicmp("ab", "abc", 10) < 0);
  CHECK(p__strnicmp("x", "y", 0) == 0);
  const char* s = "hello world";
  CHECK(p_strchr(s, 'o') == s + 4);
  CHECK(p_strchr(s, 'z') == 0);
  CHECK(p_strchr(s, 0) == s + 11);
  CHECK(p_strrchr(s, 'o') == s + 7);
  CHECK(p_strrchr(s, 'z') == 0);
  CHECK(p_strrchr(s, 0) == s + 11);
  CHECK(p_strpbrk(s, "wd") == s + 6);
  CHECK(p_strpbrk(s, "xyz") == 0);
  CHECK(p_strstr(s, "wor") == s + 6);
  CHECK(p_strstr(s, "word") == 0);
  CHECK(p_strstr(s, "") == s);
}

/* ---- wide strings ----------------------------------------------------------------------- */

static void test_wide_strings(void) {
  WCHAR buf[32];
  CHECK_EQ(p_wcslen(L"hello"), 5);
  CHECK_EQ(p_wcsnlen(L"hello", 3), 3);
  CHECK_EQ(p_wcsnlen(L"hi", 10), 2);
  CHECK(p_wcscpy(buf, L"abc") == buf && !nt_wcscmp(buf, L"abc"));
  CHECK(p_wcscat(buf, L"\x00e9") == buf && !nt_wcscmp(buf, L"abc\x00e9"));
  for (int i = 0; i < 8; i++) buf[i] = 'x';
  p_wcsncpy(buf, L"ab", 4);
  CHECK(buf[0] == 'a' && buf[1] == 'b' && buf[2] == 0 && buf[3] == 0);
  /* Wine 8's wcsncpy pads one unit too many (past n); C and Windows stop at n */
  if (!nt_is_wine()) CHECK_EQ(buf[4], 'x');
  CHECK(p_wcscmp(L"abc", L"abc") == 0);
  CHECK(p_wcscmp(L"abc", L"abd") < 0);
  CHECK(p_wcscmp(L"\x4e00", L"a") > 0); /* unsigned units */
  CHECK(p_wcsncmp(L"abcX", L"abcY", 3) == 0);
  CHECK(p_wcsncmp(L"abcX", L"abcY", 4) < 0);
  CHECK(p__wcsicmp(L"HeLLo", L"hello") == 0);
  CHECK(p__wcsicmp(L"abc", L"ABD") < 0);
  CHECK(p__wcsicmp(L"abcd", L"ABC") > 0);
  CHECK(p__wcsicmp(L"[", L"a") < 0); /* folds to lower case */
  /* ntdll's _wcsicmp folds ASCII only (RtlCompareUnicodeString is the Unicode-aware one) */
  CHECK(p__wcsicmp(L"\x00c9", L"\x00e9") < 0);
  CHECK(p__wcsicmp(L"\x0391", L"\x03b1") < 0);
  CHECK(p__wcsnicmp(L"ABCdef", L"abcXYZ", 3) == 0);
  CHECK(p__wcsnicmp(L"ABCdef", L"abcXYZ", 4) < 0);
  const WCHAR* s = L"hello world";
  CHECK(p_wcschr(s, 'o') == s + 4);
  CHECK(p_wcschr(s, 'z') == 0);
  CHECK(p_wcschr(s, 0) == s + 11);
  CHECK(p_wcsrchr(s, 'o') == s + 7);
  CHECK(p_wcsrchr(s, 'q') == 0);
  CHECK_EQ(p_wcsspn(s, L"ehl"), 4);
  CHECK_EQ(p_wcsspn(s, L"xyz"), 0);
  CHECK_EQ(p_wcscspn(s, L" "), 5);
  CHECK_EQ(p_wcscspn(s, L"xyz"), 11);
  CHECK(p_wcspbrk(s, L"wd") == s + 6);
  CHECK(p_wcspbrk(s, L"xyz") == 0);
  CHECK(p_wcsstr(s, L"world") == s + 6);
  CHECK(p_wcsstr(s, L"worlds") == 0);
  CHECK(p_wcsstr(s, L"") == s);
}

/* ---- numbers ---------------------------------------------------------------------------- */

static void test_numbers(void) {
  char* end;
  const char* t = "  -123xyz";
  CHECK(p_strtol(t, &end, 10) == -123);
  CHECK(end == t + 6);
  t = "0x1fg";
  CHECK_EQ(p_strtol(t, &end, 0), 0x1F);
  CHECK(end == t + 4);
  t = "0x1f";
  CHECK_EQ(p_strtol(t, &end, 16), 0x1F);
  t = "0755";
  CHECK_EQ(p_strtol(t, &end, 0), 0755);
  t = "z";
  CHECK_EQ(p_strtol(t, &end, 10), 0);
  CHECK(end == t); /* no digits: *end is the start */
  t = "  +";
  CHECK_EQ(p_strtol(t, &end, 10), 0);
  CHECK(end == t);
  CHECK_EQ(p_strtol("2147483647", 0, 10), 0x7FFFFFFF);
  CHECK_EQ(p_strtol("2147483648", 0, 10), 0x7FFFFFFF); /* saturates */
  CHECK(p_strtol("-2147483648", 0, 10) == -2147483647 - 1);
  CHECK(p_strtol("-99999999999", 0, 10) == -2147483647 - 1);
  CHECK_EQ(p_strtol("zz", 0, 36), 35 * 36 + 35);
  CHECK_EQ(p_atoi("  42abc"), 42);
  CHECK(p_atoi("-7") == -7);
  CHECK_EQ(p_atoi("x"), 0);

  WCHAR* wend;
  const WCHAR* w = L"\t-0x10 ";
  CHECK(p_wcstol(w, &wend, 0) == -16);
  CHECK(wend == w + 6);
  CHECK_EQ(p_wcstol(L"99999999999", 0, 10), 0x7FFFFFFF);
  CHECK_EQ(p_wcstoul(L"4294967295", 0, 10), 0xFFFFFFFF);
  CHECK_EQ(p_wcstoul(L"4294967296", 0, 10), 0xFFFFFFFF);
  CHECK_EQ(p_wcstoul(L"-1", 0, 10), 0xFFFFFFFF); /* negated as unsigned */
  w = L"12ab";
  CHECK_EQ(p_wcstoul(w, &wend, 16), 0x12AB);
  CHECK(wend == w + 4);
  w = L"\xff11\xff12"; /* fullwidth digits */
  CHECK_EQ(p_wcstol(w, &wend, 10), 12);
  CHECK(wend == w + 2);

  char buf[80];
  CHECK(!nt_strcmp(p__itoa(-123, buf, 10), "-123"));
  CHECK(!nt_strcmp(p__itoa(-1, buf, 16), "ffffffff")); /* no sign outside base 10 */
  CHECK(!nt_strcmp(p__itoa(255, buf, 2), "11111111"));
  CHECK(!nt_strcmp(p__ultoa(0xFFFFFFFF, buf, 10), "4294967295"));
  CHECK(!nt_strcmp(p__i64toa(-9223372036854775807LL - 1, buf, 10), "-9223372036854775808"));
  CHECK(!nt_strcmp(p__ui64toa(0xFFFFFFFFFFFFFFFFULL, buf, 16), "ffffffffffffffff"));
  CHECK(!nt_strcmp(p__ui64toa(35, buf, 36), "z"));
  CHECK(!nt_strcmp(p__ui64toa(0, buf, 10), "0"));
  WCHAR wbuf[80];
  CHECK(!nt_wcscmp(p__itow(-45, wbuf, 10), L"-45"));
  CHECK(!nt_wcscmp(p__ui64tow(1234567890123ULL, wbuf, 10), L"1234567890123"));
}

/* ---- the sprintf family ------------------------------------------------------------------ */

static char out[512];

/* sprintf into out, compared with want. */
#define FMT(want, ...)                                    \
  do {                                                    \
    memset(out, 0x55, sizeof(out));                       \
    const int n_ = p_sprintf(out, __VA_ARGS__);           \
    CHECK(!nt_strcmp(out, want));                         \
    if (nt_strcmp(out, want)) nt_note("got \"%s\"", out); \
    CHECK_EQ(n_, nt_strlen(want));                        \
  } while (0)

static int vsn(char* buf, size_t count, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = p__vsnprintf(buf, count, fmt, ap);
  va_end(ap);
  return n;
}

static int vsnw(WCHAR* buf, size_t count, const WCHAR* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = p__vsnwprintf(buf, count, fmt, ap);
  va_end(ap);
  return n;
}

static void test_printf_integers(void) {
  FMT("plain", "plain");
  FMT("100%", "100%%");
  FMT("42 -42 42", "%d %i %u", 42, -42, 42);
  FMT("4294967295", "%u", -1);
  FMT("ff FF 377", "%x %X %o", 255, 255, 255);
  FMT("0xff 0XFF 0377 0", "%#x %#X %#o %#x", 255, 255, 255, 0);
  FMT("[   42] [42   ] [00042] [+42] [ 42]", "[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
  FMT("[-0042] [  -42] [ 0042]", "[%05d] [%5d] [%5.4d]", -42, -42, 42);
  FMT("[] [1]", "[%.0d] [%.0d]", 0, 1); /* precision 0: no digits for 0 */
  FMT("[   42]", "[%*d]", 5, 42);
  FMT("[42   ]", "[%*d]", -5, 42);
  FMT("[  042]", "[%*.*d]", 5, 3, 42);
  FMT("-1 18446744073709551615", "%I64d %I64u", -1LL, 0xFFFFFFFFFFFFFFFFULL);
  FMT("123456789abcdef0", "%I64x", 0x123456789ABCDEF0ULL);
  FMT("-1 ffffffffffffffff", "%lld %llx", -1LL, 0xFFFFFFFFFFFFFFFFULL);
  FMT("-5 4294967295", "%Id %I32u", (LONGLONG)-5, 0xFFFFFFFF);
  FMT("-1 65535 -1", "%hd %hu %ld", 0xFFFF, 0xFFFF, -1);
  FMT("000000000012ABCD 0X0000000000001234", "%p %#p", (void*)0x12ABCD, (void*)0x1234);
  FMT("5|6|7|8|511", "%zd|%zu|%jd|%td|%hhd", (size_t)5, (size_t)6, (LONGLONG)7, (LONGLONG)8,
      0x1FF);               /* hh is h: short */
  FMT("Z|q|y", "%Z|%q|%y"); /* unknown types print themselves and take no argument */
  FMT("[a    ] [000ab] [q]", "[%-5c] [%05s] [%.3c]", 'a', "ab", 'q');
}

static void test_printf_text(void) {
  FMT("[abc] [  abc] [abc  ] [ab]", "[%s] [%5s] [%-5s] [%.2s]", "abc", "abc", "abc", "abc");
  FMT("[(null)]", "[%s]", (char*)0);
  FMT("[wide] [wide] [wide]", "[%S] [%ls] [%ws]", L"wide", L"wide", L"wide");
  FMT("[narrow]", "[%hs]", "narrow");
  FMT("[x] [  y]", "[%c] [%3c]", 'x', 'y');
  /* wide characters in narrow output go through the ANSI code page (Wine 8's ntdll prints '?'
   * for every one of them, even ASCII: a Wine deficiency) */
  if (!nt_is_wine()) {
    FMT("[W] [A] [B] [\xe9]", "[%C] [%lc] [%wc] [%S]", L'W', L'A', L'B', L"\x00e9");
    FMT("[?]", "[%C]", 0x4E00); /* not in code page 1252 */
  }

  WCHAR w[64];
  CHECK_EQ(p_swprintf(w, L"%s|%S|%hs|%ls|%c|%C", L"ws", "ns", "hs", L"ls", L'c', 'C'), 15);
  CHECK(!nt_wcscmp(w, L"ws|ns|hs|ls|c|C"));
  CHECK_EQ(p_swprintf(w, L"%d-%x-%5.1s", -3, 0xAB, L"xyz"), 11);
  CHECK(!nt_wcscmp(w, L"-3-ab-    x"));
  CHECK_EQ(p_swprintf(w, L"%S", "\xe9"), 1); /* ANSI code page 1252 */
  CHECK_EQ(w[0], 0xE9);
}

/* Floating point as msvcrt prints it. Wine 8's ntdll has no floating point in its sprintf (it
 * prints the type letter and takes no argument); the brief for our ntdll is msvcrt's format
 * language, so these run on ours only. */
static void test_printf_floats(void) {
  if (nt_is_wine()) return;
  FMT("3.141593 3.14 3 3.", "%f %.2f %.0f %#.0f", 3.14159265, 3.14159265, 3.14159265, 3.0);
  FMT("-0.500000 +1.000000  2.000000", "%f %+f % f", -0.5, 1.0, 2.0);
  FMT("0.000000 -0.000000", "%f %f", 0.0, -0.0);
  FMT("1e+300 ok", "%.0e ok", 1e300);
  FMT("1.234568e+003 1.234568E-005", "%e %E", 1234.5678, 0.000012345678);
  FMT("0.000000e+000", "%e", 0.0);
  FMT("100000 1e+006 1.5e-005 0.0001 123.457", "%g %g %g %g %g", 100000.0, 1000000.0, 1.5e-5,
      0.0001, 123.4567);
  FMT("1.50000 1.5 0.1", "%#g %g %g", 1.5, 1.5, 0.1);
  FMT("[  1.50] [1.50  ] [001.50]", "[%6.2f] [%-6.2f] [%06.2f]", 1.5, 1.5, 1.5);
  FMT("0.1000000000000000055511151231257827", "%.34f", 0.1); /* the exact binary value */
  FMT("9007199254740994.000000", "%f", 9007199254740994.0);  /* beyond 2^53: exact */
  FMT("0.9 1.9", "%.1f %.1f", 0.95, 1.95);                   /* really 0.94999..., 1.94999... */
  FMT("0.3 0.13 3 -3", "%.1f %.2f %.0f %.0f", 0.25, 0.125, 2.5, -2.5); /* ties: away from 0 */
  FMT("1.#INF00 -1.#INF00", "%f %f", 1e308 * 10, -1e308 * 10);
  FMT("123456789012345683968.000", "%.3f", 123456789012345678901.0); /* exact, not 17 digits */
  FMT("4.940656e-324", "%e", 4.9406564584124654e-324);               /* the smallest denormal */
  FMT("1.797693e+308", "%e", 1.7976931348623157e308);
  FMT("99999 1e+005 1.2346e+005", "%.5g %.5g %.5g", 99999.0, 99999.5, 123456.0);
  FMT("1e+308", "%g", 1e308);
}

static void test_printf_limits(void) {
  char b[8];
  memset(b, 'x', sizeof(b));
  CHECK_EQ(vsn(b, sizeof(b), "%s", "abc"), 3);
  CHECK(!nt_strcmp(b, "abc"));
  memset(b, 'x', sizeof(b));
  CHECK_EQ(vsn(b, 5, "%s", "hello"), 5); /* exactly fits: no terminator */
  CHECK(!memcmp(b, "hellox", 6));
  memset(b, 'x', sizeof(b));
  CHECK_EQ(vsn(b, 5, "%s", "hello!"), -1); /* too long: -1, the first 5 characters */
  CHECK(!memcmp(b, "hellox", 6));
  CHECK_EQ(vsn(b, 0, "abc"), -1);
  CHECK_EQ(vsn(0, 0, "abc%d", 12), 5); /* no buffer: the length it would take (documented) */
  CHECK_EQ(p__snprintf(b, 4, "%d", 123), 3);
  CHECK(!nt_strcmp(b, "123"));
  CHECK_EQ(p__snprintf(b, 2, "%d", 123), -1);

  WCHAR w[8];
  for (int i = 0; i < 8; i++) w[i] = 'x';
  CHECK_EQ(vsnw(w, 3, L"%s", L"abc"), 3);
  CHECK(w[0] == 'a' && w[2] == 'c' && w[3] == 'x');
  CHECK_EQ(vsnw(w, 3, L"%d", 1234), -1);
  CHECK_EQ(p__snwprintf(w, 8, L"%x", 0xBEEF), 4);
  CHECK(!nt_wcscmp(w, L"beef"));
}

/* ---- the rest: ASCII helpers, sorting and searching, multibyte -------------------------- */

static int __cdecl compare_ints(const void* a, const void* b) {
  const int x = *(const int*)a, y = *(const int*)b;
  return x < y ? -1 : x > y;
}

static void test_misc(void) {
  CHECK(p___isascii('a') && p___isascii(0x7F) && !p___isascii(0x80) && !p___isascii(-1));
  CHECK(p___iscsym('_') && p___iscsym('a') && p___iscsym('5') && !p___iscsym('-'));
  CHECK(p___iscsymf('_') && p___iscsymf('Z') && !p___iscsymf('5'));
  CHECK_EQ(p___toascii(0xE9), 0x69);
  CHECK_EQ(p_abs(-5), 5);
  CHECK_EQ(p_labs(7), 7);

  int v[64];
  for (int i = 0; i < 64; i++) v[i] = (i * 37 + 11) % 64 - 20; /* a permutation, some negative */
  p_qsort(v, 64, sizeof(int), compare_ints);
  int sorted = 1;
  for (int i = 0; i < 64; i++) sorted &= v[i] == i - 20;
  CHECK(sorted);
  int dup[] = {3, 1, 3, 2, 1};
  p_qsort(dup, 5, sizeof(int), compare_ints);
  CHECK(dup[0] == 1 && dup[1] == 1 && dup[2] == 2 && dup[3] == 3 && dup[4] == 3);
  p_qsort(dup, 0, sizeof(int), compare_ints);
  const int key = 17, missing = 99;
  CHECK(p_bsearch(&key, v, 64, sizeof(int), compare_ints) == &v[37]);
  CHECK(p_bsearch(&missing, v, 64, sizeof(int), compare_ints) == 0);
  CHECK(p_bsearch(&key, v, 0, sizeof(int), compare_ints) == 0);
  unsigned count = 5;
  const int two = 2;
  CHECK(p__lfind(&two, dup, &count, sizeof(int), compare_ints) == &dup[2]);
  CHECK(p__lfind(&missing, dup, &count, sizeof(int), compare_ints) == 0);

  WCHAR w[8];
  CHECK_EQ(p_mbstowcs(0, "abc\xe9", 0), 4);
  for (int i = 0; i < 8; i++) w[i] = 'x';
  CHECK_EQ(p_mbstowcs(w, "abc\xe9", 8), 4);
  CHECK(w[0] == 'a' && w[3] == 0xE9 && w[4] == 0);
  for (int i = 0; i < 8; i++) w[i] = 'x';
  CHECK_EQ(p_mbstowcs(w, "abcdef", 3), 3); /* no room: unterminated */
  CHECK(w[2] == 'c' && w[3] == 'x');
  char b[8];
  CHECK_EQ(p_wcstombs(0, L"ab\x00e9", 0), 3);
  CHECK_EQ(p_wcstombs(b, L"ab\x00e9", sizeof(b)), 3);
  CHECK(!nt_strcmp(b, "ab\xe9"));

  WCHAR* end;
  const WCHAR* t = L" -9223372036854775808!";
  CHECK(p__wcstoi64(t, &end, 10) == -9223372036854775807LL - 1 && end == t + 21);
  CHECK(p__wcstoi64(L"99999999999999999999", 0, 10) == 9223372036854775807LL);
  CHECK(p__wcstoui64(L"0xFFFFFFFFFFFFFFFF", 0, 0) == ~0ULL);
  CHECK(p__wcstoui64(L"18446744073709551616", 0, 10) == ~0ULL);
}

/* ---- the bounds-checked ("_s") functions ------------------------------------------------ */

#define EINVAL_ 22
#define ERANGE_ 34
#define STRUNCATE_ 80
#define TRUNCATE_ ((size_t)-1)

static void test_secure(void) {
  char b[6];
  CHECK_EQ(p_strcpy_s(b, sizeof(b), "hello"), 0);
  CHECK(!nt_strcmp(b, "hello"));
  CHECK_EQ(p_strcpy_s(b, sizeof(b), "hello!"), ERANGE_);
  CHECK_EQ(b[0], 0);
  CHECK_EQ(p_strcpy_s(b, sizeof(b), 0), EINVAL_);
  CHECK_EQ(b[0], 0);
  CHECK_EQ(p_strcpy_s(0, 6, "x"), EINVAL_);
  CHECK_EQ(p_strcpy_s(b, 0, "x"), EINVAL_);
  CHECK_EQ(p_strncpy_s(b, sizeof(b), "abcdefgh", 3), 0);
  CHECK(!nt_strcmp(b, "abc"));
  CHECK_EQ(p_strncpy_s(b, sizeof(b), "abcdefgh", TRUNCATE_), STRUNCATE_);
  CHECK(!nt_strcmp(b, "abcde"));
  CHECK_EQ(p_strncpy_s(b, sizeof(b), "abcdefgh", 6), ERANGE_);
  CHECK_EQ(b[0], 0);
  CHECK_EQ(p_strncpy_s(0, 0, 0, 0), 0);
  p_strcpy_s(b, sizeof(b), "ab");
  CHECK_EQ(p_strcat_s(b, sizeof(b), "cde"), 0);
  CHECK(!nt_strcmp(b, "abcde"));
  CHECK_EQ(p_strcat_s(b, sizeof(b), "f"), ERANGE_);
  CHECK_EQ(b[0], 0);
  p_strcpy_s(b, sizeof(b), "ab");
  CHECK_EQ(p_strncat_s(b, sizeof(b), "cdefg", 2), 0);
  CHECK(!nt_strcmp(b, "abcd"));
  CHECK_EQ(p_strncat_s(b, sizeof(b), "xyz", TRUNCATE_), STRUNCATE_);
  CHECK(!nt_strcmp(b, "abcdx"));
  memset(b, 'z', sizeof(b)); /* not terminated within its size: EINVAL (MS's CRT; Wine: ERANGE) */
  CHECK_EQ(p_strcat_s(b, sizeof(b), "a"), nt_is_wine() ? ERANGE_ : EINVAL_);
  CHECK_EQ(b[0], 0);

  WCHAR w[4];
  CHECK_EQ(p_wcscpy_s(w, 4, L"abc"), 0);
  CHECK(!nt_wcscmp(w, L"abc"));
  CHECK_EQ(p_wcscpy_s(w, 4, L"abcd"), ERANGE_);
  CHECK_EQ(w[0], 0);
  p_wcscpy_s(w, 4, L"a");
  CHECK_EQ(p_wcscat_s(w, 4, L"bc"), 0);
  CHECK(!nt_wcscmp(w, L"abc"));
  CHECK_EQ(p_wcsncpy_s(w, 4, L"xyzw", TRUNCATE_), STRUNCATE_);
  CHECK(!nt_wcscmp(w, L"xyz"));

  char m[4] = "abc";
  CHECK_EQ(p_memcpy_s(m, sizeof(m), "xy", 2), 0);
  CHECK(!memcmp(m, "xyc", 3));
  CHECK_EQ(p_memcpy_s(m, 2, "xyz", 3), ERANGE_);
  CHECK(m[0] == 0 && m[1] == 0 && m[2] == 'c'); /* the destination's size is cleared */
  CHECK_EQ(p_memcpy_s(m, sizeof(m), 0, 1), EINVAL_);
  CHECK_EQ(p_memcpy_s(0, 0, 0, 0), 0);
  memcpy(m, "abc", 4);
  CHECK_EQ(p_memmove_s(m + 1, 3, m, 2), 0);
  CHECK(!memcmp(m, "aab", 3));
  CHECK_EQ(p_memmove_s(m, 1, "xy", 2), ERANGE_);
  CHECK_EQ(p_memmove_s(m, 4, 0, 2), EINVAL_);

  char f[8];
  CHECK_EQ(p_sprintf_s(f, sizeof(f), "%d", 1234567), 7);
  CHECK(!nt_strcmp(f, "1234567"));
  CHECK_EQ(p_sprintf_s(f, sizeof(f), "%d", 12345678), -1); /* does not fit: "" */
  CHECK_EQ(f[0], 0);
  CHECK_EQ(p__snprintf_s(f, sizeof(f), 3, "%s", "abcdef"), -1); /* count: cut, terminated */
  CHECK(!nt_strcmp(f, "abc"));
  CHECK_EQ(p__snprintf_s(f, sizeof(f), TRUNCATE_, "%s", "abcdefghij"), -1);
  /* documented: with _TRUNCATE, as much as fits and a terminator (Wine 8's ntdll leaves "") */
  if (!nt_is_wine()) CHECK(!nt_strcmp(f, "abcdefg"));
  CHECK_EQ(p__snprintf_s(f, sizeof(f), TRUNCATE_, "%s", "abc"), 3);
  CHECK(!nt_strcmp(f, "abc"));
  CHECK_EQ(p__snprintf_s(f, sizeof(f), 10, "%s", "abcdefghij"), -1); /* past the buffer */
  CHECK_EQ(f[0], 0);
  WCHAR wf[8];
  CHECK_EQ(p_swprintf_s(wf, 8, L"%d-%s", 42, L"ok"), 5);
  CHECK(!nt_wcscmp(wf, L"42-ok"));
  CHECK_EQ(p__snwprintf_s(wf, 8, TRUNCATE_, L"%s", L"0123456789"), -1);
  if (!nt_is_wine()) CHECK(!nt_wcscmp(wf, L"0123456"));
}

/* ---- the remaining exports ----------------------------------------------------------- */

static int count_chars(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = p__vscprintf(fmt, ap);
  va_end(ap);
  return n;
}

static int count_wchars(const WCHAR* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = p__vscwprintf(fmt, ap);
  va_end(ap);
  return n;
}

static int vsp(char* buf, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = p_vsprintf(buf, fmt, ap);
  va_end(ap);
  return n;
}

static void test_more(void) {
  CHECK_EQ(p_strspn("aabbc", "ab"), 4);
  CHECK_EQ(p_strcspn("abc,d", ",;"), 3);
  CHECK_EQ(p_strcspn("abc", ",;"), 3);
  const char* m = "hello";
  CHECK(p_memchr(m, 'l', 5) == m + 2);
  CHECK(p_memchr(m, 'l', 2) == 0);
  CHECK_EQ(p_strnlen("hello", 3), 3);
  CHECK_EQ(p_strnlen("hi", 8), 2);
  char b[16] = "ab";
  CHECK(p_strncat(b, "cdef", 2) == b && !nt_strcmp(b, "abcd"));
  WCHAR w[16] = L"ab";
  CHECK(p_wcsncat(w, L"cdef", 3) == w && !nt_wcscmp(w, L"abcde"));
  CHECK(p__stricmp("MiXeD", "mixed") == 0 && p__stricmp("a", "B") < 0);
  CHECK(p__memicmp("AbC\0x", "aBc\0y", 4) == 0 && p__memicmp("AbC\0x", "aBc\0y", 5) < 0);
  p_strcpy(b, "MiXeD 1\xc9");
  CHECK(!nt_strcmp(p__strlwr(b), "mixed 1\xc9")); /* ASCII only */
  p__strupr(b);
  if (!nt_is_wine()) CHECK(!nt_strcmp(b, "MIXED 1\xc9")); /* Wine 8's _strupr garbles ASCII */
  p_wcscpy(w, L"MiX\x00c9");
  CHECK(!nt_wcscmp(p__wcslwr(w), L"mix\x00c9")); /* ASCII only, like _wcsicmp */
  p_wcscpy(w, L"mix\x00e9");
  CHECK(!nt_wcscmp(p__wcsupr(w), L"MIX\x00e9"));
  CHECK(p_atol("-12") == -12);
  CHECK(p__atoi64("  -9000000000x") == -9000000000LL);
  CHECK(p__wtoi(L"77") == 77);
  CHECK(p__wtoi64(L"123456789012") == 123456789012LL);
  CHECK(!nt_strcmp(p__ltoa(-255, b, 16), "ffffff01"));
  CHECK(!nt_wcscmp(p__i64tow(-5, w, 10), L"-5"));
  CHECK(!nt_wcscmp(p__ultow(255, w, 8), L"377"));
  char* end;
  CHECK_EQ(p_strtoul("-1", &end, 10), 0xFFFFFFFF);
  CHECK_EQ(p_strtoul("99999999999", &end, 10), 0xFFFFFFFF);
  CHECK_EQ(p_strtoul(" 0x7f", &end, 16), 0x7F);
  CHECK(p_iscntrl('\n') && !p_iscntrl('a'));
  CHECK(p_ispunct('!') && !p_ispunct('a') && !p_ispunct(' '));
  CHECK(p_isgraph('a') && !p_isgraph(' '));
  if (!nt_is_wine()) { /* Wine 8's _vscprintf/_vscwprintf write through NULL */
    CHECK_EQ(count_chars("%d-%s", 1234, "abc"), 8);
    CHECK_EQ(count_wchars(L"%5d", 1), 5);
  }
  CHECK_EQ(vsp(b, "%x|%c", 255, 'q'), 4);
  CHECK(!nt_strcmp(b, "ff|q"));
  CHECK_EQ(p__swprintf(w, L"%d", -9), 2);
  CHECK(!nt_wcscmp(w, L"-9"));
}

/* ---- sscanf ---------------------------------------------------------------------------- */

static void test_sscanf(void) {
  int a = 0, b = 0, n = 0;
  unsigned u = 0;
  char word[16], rest[16];
  CHECK_EQ(p_sscanf("12 34", "%d %d", &a, &b), 2);
  CHECK(a == 12 && b == 34);
  CHECK_EQ(p_sscanf("  -7,x1f", "%d,x%x", &a, &u), 2);
  CHECK(a == -7 && u == 0x1F);
  CHECK_EQ(p_sscanf("0x10 010 10", "%i %i %i", &a, &b, &n), 3);
  CHECK(a == 16 && b == 8 && n == 10);
  CHECK_EQ(p_sscanf("hello world", "%s %s", word, rest), 2);
  CHECK(!nt_strcmp(word, "hello") && !nt_strcmp(rest, "world"));
  CHECK_EQ(p_sscanf("abcdef", "%3s%s", word, rest), 2);
  CHECK(!nt_strcmp(word, "abc") && !nt_strcmp(rest, "def"));
  CHECK_EQ(p_sscanf("key=value;", "%[a-z]=%[^;]", word, rest), 2);
  CHECK(!nt_strcmp(word, "key") && !nt_strcmp(rest, "value"));
  CHECK_EQ(p_sscanf("12345", "%2d%n", &a, &n), 1);
  CHECK(a == 12 && n == 2);
  CHECK_EQ(p_sscanf("1 2", "%*d %d", &a), 1);
  CHECK_EQ(a, 2);
  char c[3] = {0, 0, 'z'};
  CHECK_EQ(p_sscanf("xy", "%2c", c), 1);
  CHECK(c[0] == 'x' && c[1] == 'y' && c[2] == 'z'); /* %c does not terminate */
  LONGLONG big = 0;
  CHECK_EQ(p_sscanf("-9000000000", "%I64d", &big), 1);
  CHECK(big == -9000000000LL);
  CHECK_EQ(p_sscanf("12345678901", "%lld", &big), 1);
  CHECK(big == 12345678901LL);
  short h = 0;
  CHECK_EQ(p_sscanf("70000", "%hd", &h), 1);
  CHECK_EQ((unsigned short)h, 70000 & 0xFFFF);
  CHECK_EQ(p_sscanf("abc", "%d", &a), 0); /* a matching failure */
  CHECK_EQ(p_sscanf("", "%d", &a), -1);   /* EOF before the first conversion */
  /* documented: EOF when the string ends before the first conversion (Wine 8 returns 0) */
  if (!nt_is_wine()) CHECK_EQ(p_sscanf("   ", "%d", &a), -1);
  CHECK_EQ(p_sscanf("5", "%d %d", &a, &b), 1);
  CHECK_EQ(p_sscanf("100%", "%d%%", &a), 1);
  WCHAR w[8];
  CHECK_EQ(p_sscanf("wide", "%ls", w), 1);
  CHECK(!nt_wcscmp(w, L"wide"));
}

static void test_tokens_and_more(void) {
  CHECK_EQ(p__tolower('A'), 'a');
  CHECK_EQ(p__toupper('q'), 'Q');
  CHECK(p_iswascii('a') && !p_iswascii(0xE9));
  char d[8];
  memset(d, 'x', sizeof(d));
  CHECK(p__memccpy(d, "ab;cd", ';', 5) == d + 3);
  CHECK(!memcmp(d, "ab;x", 4));
  CHECK(p__memccpy(d, "abc", ';', 3) == 0);

  char text[] = " a, b,,c ";
  char* ctx = 0;
  char* t = p_strtok_s(text, ", ", &ctx);
  CHECK(t && !nt_strcmp(t, "a"));
  t = p_strtok_s(0, ", ", &ctx);
  CHECK(t && !nt_strcmp(t, "b"));
  t = p_strtok_s(0, ", ", &ctx);
  CHECK(t && !nt_strcmp(t, "c"));
  CHECK(p_strtok_s(0, ", ", &ctx) == 0);
  WCHAR wtext[] = L"x|y";
  WCHAR* wctx = 0;
  WCHAR* wt = p_wcstok_s(wtext, L"|", &wctx);
  CHECK(wt && !nt_wcscmp(wt, L"x"));
  wt = p_wcstok_s(0, L"|", &wctx);
  CHECK(wt && !nt_wcscmp(wt, L"y"));
  CHECK(p_wcstok_s(0, L"|", &wctx) == 0);

  char n[8];
  CHECK_EQ(p__itoa_s(-123, n, sizeof(n), 10), 0);
  CHECK(!nt_strcmp(n, "-123"));
  CHECK_EQ(p__itoa_s(1234567, n, 7, 10), 34); /* ERANGE: 7 digits and the NUL need 8 */
  CHECK_EQ(n[0], 0);
  CHECK_EQ(p__itoa_s(1, n, sizeof(n), 1), 22); /* EINVAL: radix */
  CHECK_EQ(p__itoa_s(1, 0, 8, 10), 22);
  CHECK_EQ(p__ui64toa_s(0xFFFF, n, sizeof(n), 16), 0);
  CHECK(!nt_strcmp(n, "ffff"));
  WCHAR wn[8];
  CHECK_EQ(p__i64tow_s(-42, wn, 8, 10), 0);
  CHECK(!nt_wcscmp(wn, L"-42"));
}

void test_main(void) {
  const int loaded = load_functions();
  CHECK(loaded);
  if (!loaded) return;
  test_ctype();
  test_narrow_strings();
  test_wide_strings();
  test_numbers();
  test_printf_integers();
  test_printf_text();
  test_printf_floats();
  test_printf_limits();
  test_misc();
  test_secure();
  test_more();
  test_sscanf();
  test_tokens_and_more();
}
