/* The "env" family's DOS paths: path types, DOS device names, full paths ("." and ".." folded,
 * trailing dots and spaces, drive-relative paths through "=X:"), NT paths for the object
 * manager, the current directory and searching directories. Works in C:\rtl_paths. */
#include "nttest.h"

typedef enum RTL_PATH_TYPE {
  RtlPathTypeUnknown,
  RtlPathTypeUncAbsolute,
  RtlPathTypeDriveAbsolute,
  RtlPathTypeDriveRelative,
  RtlPathTypeRooted,
  RtlPathTypeRelative,
  RtlPathTypeLocalDevice,
  RtlPathTypeRootLocalDevice
} RTL_PATH_TYPE;

typedef struct RTL_RELATIVE_NAME_U {
  UNICODE_STRING RelativeName;
  HANDLE ContainingDirectory;
  void* CurDirRef;
} RTL_RELATIVE_NAME_U;

RTL_PATH_TYPE NTAPI RtlDetermineDosPathNameType_U(const WCHAR* path);
ULONG NTAPI RtlIsDosDeviceName_U(const WCHAR* path);
ULONG NTAPI RtlGetFullPathName_U(const WCHAR* name, ULONG size, WCHAR* buffer, WCHAR** file_part);
NTSTATUS NTAPI RtlGetFullPathName_UEx(const WCHAR* name, ULONG size, WCHAR* buffer,
                                      WCHAR** file_part, ULONG* needed);
BOOLEAN NTAPI RtlDosPathNameToNtPathName_U(const WCHAR* dos, UNICODE_STRING* nt, WCHAR** file_part,
                                           RTL_RELATIVE_NAME_U* relative);
NTSTATUS NTAPI RtlDosPathNameToNtPathName_U_WithStatus(const WCHAR* dos, UNICODE_STRING* nt,
                                                       WCHAR** file_part,
                                                       RTL_RELATIVE_NAME_U* relative);
BOOLEAN NTAPI RtlDosPathNameToRelativeNtPathName_U(const WCHAR* dos, UNICODE_STRING* nt,
                                                   WCHAR** file_part,
                                                   RTL_RELATIVE_NAME_U* relative);
NTSTATUS NTAPI RtlDosPathNameToRelativeNtPathName_U_WithStatus(const WCHAR* dos, UNICODE_STRING* nt,
                                                               WCHAR** file_part,
                                                               RTL_RELATIVE_NAME_U* relative);
void NTAPI RtlReleaseRelativeName(RTL_RELATIVE_NAME_U* relative);
void NTAPI RtlFreeUnicodeString(UNICODE_STRING* s);
ULONG NTAPI RtlGetCurrentDirectory_U(ULONG size, WCHAR* buffer);
NTSTATUS NTAPI RtlSetCurrentDirectory_U(UNICODE_STRING* directory);
BOOLEAN NTAPI RtlDoesFileExists_U(const WCHAR* name);
ULONG NTAPI RtlDosSearchPath_U(const WCHAR* path, const WCHAR* name, const WCHAR* extension,
                               ULONG size, WCHAR* buffer, WCHAR** file_part);
NTSTATUS NTAPI RtlGetSearchPath(WCHAR** path);
void NTAPI RtlReleasePath(WCHAR* path);
NTSTATUS NTAPI RtlGetExePath(const WCHAR* name, WCHAR** path);
NTSTATUS NTAPI RtlSetSearchPathMode(ULONG flags);
NTSTATUS NTAPI RtlSetEnvironmentVariable(WCHAR** environment, UNICODE_STRING* name,
                                         UNICODE_STRING* value);

static const WCHAR* wstr_or_null(const WCHAR* s) {
  return s ? s : L"(null)";
}

static void test_path_types(void) {
  static const struct {
    const WCHAR* path;
    RTL_PATH_TYPE type;
  } cases[] = {
      {L"\\\\server\\share", RtlPathTypeUncAbsolute},
      {L"//server/share", RtlPathTypeUncAbsolute},
      {L"\\/server", RtlPathTypeUncAbsolute},
      {L"\\\\.x", RtlPathTypeUncAbsolute},
      {L"\\\\?x", RtlPathTypeUncAbsolute},
      {L"C:\\dir", RtlPathTypeDriveAbsolute},
      {L"c:/dir", RtlPathTypeDriveAbsolute},
      {L"C:dir", RtlPathTypeDriveRelative},
      {L"C:", RtlPathTypeDriveRelative},
      {L"\\dir", RtlPathTypeRooted},
      {L"/dir", RtlPathTypeRooted},
      {L"dir\\file", RtlPathTypeRelative},
      {L"", RtlPathTypeRelative},
      {L".", RtlPathTypeRelative},
      {L"\\\\.\\pipe\\x", RtlPathTypeLocalDevice},
      {L"//./x", RtlPathTypeLocalDevice},
      {L"\\\\?\\C:\\x", RtlPathTypeLocalDevice},
      {L"\\\\.", RtlPathTypeRootLocalDevice},
      {L"\\\\?", RtlPathTypeRootLocalDevice},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const RTL_PATH_TYPE got = RtlDetermineDosPathNameType_U(cases[i].path);
    if (got != cases[i].type) nt_note("path \"%ls\"", cases[i].path);
    CHECK_EQ(got, cases[i].type);
  }
}

/* Offset (bytes) << 16 | length (bytes) of the device name, 0 for none. */
static void test_dos_device_names(void) {
  static const struct {
    const WCHAR* path;
    ULONG result;
  } cases[] = {
      {L"con", 0x00000006},
      {L"CON", 0x00000006},
      {L"nul", 0x00000006},
      {L"aux", 0x00000006},
      {L"PRN", 0x00000006},
      {L"com1", 0x00000008},
      {L"LPT9", 0x00000008},
      {L"conin$", 0x0000000C},
      {L"CONOUT$", 0x0000000E},
      {L"con.txt", 0x00000006},
      {L"con:", 0x00000006},
      {L"con  ", 0x00000006},
      {L"con .txt", 0x00000006},
      {L"c:\\dir\\con", 0x000E0006},
      {L"c:\\dir\\nul.txt", 0x000E0006},
      {L"c:/dir/com2.a.b", 0x000E0008},
      {L"c:con", 0x00040006},
      {L"\\\\.\\con", 0x00080006},
      {L"\\\\.\\pipe\\con", 0},
      {L"\\\\server\\share\\con", 0},
      {L"conx", 0},
      {L"com0", 0},
      {L"com10", 0},
      {L"xcon", 0},
      {L"c:\\con\\file", 0},
      {L"", 0},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const ULONG got = RtlIsDosDeviceName_U(cases[i].path);
    if (got != cases[i].result) nt_note("path \"%ls\"", cases[i].path);
    CHECK_EQ(got, cases[i].result);
  }
}

static void set_variable(const WCHAR* name, const WCHAR* value) {
  UNICODE_STRING n, v;
  nt_init_ustr(&n, name);
  nt_init_ustr(&v, value);
  CHECK_OK(RtlSetEnvironmentVariable(NULL, &n, &v));
}

/* Full paths with the current directory C:\rtl_paths and D:'s at D:\ddir ("=D:"). */
static void test_full_paths(void) {
  static const struct {
    const WCHAR* name;
    const WCHAR* full;
    const WCHAR* file_part; /* NULL: none */
  } cases[] = {
      {L"c:\\foo\\bar", L"c:\\foo\\bar", L"bar"},
      {L"C:/foo//bar/", L"C:\\foo\\bar\\", NULL},
      {L"c:\\foo\\.\\bar\\..\\baz", L"c:\\foo\\baz", L"baz"},
      {L"c:\\foo.\\bar", L"c:\\foo\\bar", L"bar"},
      {L"c:\\foo. \\bar. .", L"c:\\foo. \\bar", L"bar"},
      {L"c:\\foo\\...", L"c:\\foo\\", NULL},
      {L"c:\\foo\\..\\..\\..", L"c:\\", NULL},
      {L"c:\\a\\b\\.\\", L"c:\\a\\b\\", NULL},
      {L"c:\\a\\b\\..\\", L"c:\\a\\", NULL},
      {L"c:\\", L"c:\\", NULL},
      {L"\\\\server\\share\\a\\..\\..\\b", L"\\\\server\\share\\b", L"b"},
      {L"\\\\server\\share", L"\\\\server\\share", L"share"},
      {L"\\\\server\\share\\..", L"\\\\server\\share\\", NULL},
      {L"\\\\.\\C:\\a\\..\\..\\b", L"\\\\.\\b", L"b"},
      {L"\\\\?\\C:\\a\\..\\b", L"\\\\?\\C:\\b", L"b"},
      {L"//./x/", L"\\\\.\\x\\", NULL},
      {L"\\\\.", L"\\\\.\\", NULL},
      {L"\\\\?", L"\\\\.\\", NULL},
      {L"con", L"\\\\.\\con", NULL},
      {L"c:\\dir\\con.txt", L"\\\\.\\con", NULL},
      {L"nul:", L"\\\\.\\nul", NULL},
      {L"COM1", L"\\\\.\\COM1", NULL},
      {L"\\\\.\\con", L"\\\\.\\con", NULL},
      {L"c:foo", L"C:\\rtl_paths\\foo", L"foo"},
      {L"d:foo", L"D:\\ddir\\foo", L"foo"},
      {L"\\root\\x", L"C:\\root\\x", L"x"},
      {L"rel\\x.", L"C:\\rtl_paths\\rel\\x", L"x"},
      {L"foo  ", L"C:\\rtl_paths\\foo", L"foo"},
      {L"..", L"C:\\", NULL},
      {L".", L"C:\\rtl_paths", L"rtl_paths"},
      {L"c:", L"C:\\rtl_paths\\", NULL},
  };
  WCHAR buffer[128];
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    WCHAR* file_part = (WCHAR*)1;
    memset(buffer, 0, sizeof(buffer));
    const ULONG bytes = RtlGetFullPathName_U(cases[i].name, sizeof(buffer), buffer, &file_part);
    const int ok = bytes == nt_wcslen(cases[i].full) * 2 && !nt_wcscmp(buffer, cases[i].full);
    const int part_ok = cases[i].file_part ? file_part && !nt_wcscmp(file_part, cases[i].file_part)
                                           : file_part == NULL;
    if (!ok || !part_ok)
      nt_note("\"%ls\" -> \"%ls\" (%u bytes), file part \"%ls\"", cases[i].name, buffer, bytes,
              wstr_or_null(file_part));
    CHECK(ok);
    CHECK(part_ok);
  }
  /* Too small a buffer: the bytes needed with the NUL, nothing written. */
  buffer[0] = 'x';
  WCHAR* file_part = NULL;
  CHECK_EQ(RtlGetFullPathName_U(L"c:\\foo", 12, buffer, &file_part), 14);
  CHECK_EQ(buffer[0], 'x');
  CHECK_EQ(RtlGetFullPathName_U(L"c:\\foo", 14, buffer, &file_part), 12);
  CHECK(!nt_wcscmp(buffer, L"c:\\foo"));
  CHECK_EQ(RtlGetFullPathName_U(L"", sizeof(buffer), buffer, &file_part), 0);
  CHECK_EQ(RtlGetFullPathName_U(L"x", sizeof(buffer), buffer, NULL), 28); /* C:\rtl_paths\x */

  if (!nt_is_wine()) { /* Wine 8 lacks RtlGetFullPathName_UEx */
    ULONG needed = 0;
    CHECK_OK(RtlGetFullPathName_UEx(L"c:\\foo", sizeof(buffer), buffer, &file_part, &needed));
    CHECK_EQ(needed, 12);
    CHECK_STATUS(RtlGetFullPathName_UEx(L"c:\\foo", 12, buffer, &file_part, &needed),
                 STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(needed, 14);
    CHECK_STATUS(RtlGetFullPathName_UEx(L"", 12, buffer, &file_part, &needed),
                 STATUS_OBJECT_NAME_INVALID);
  }
}

static int ustr_is(const UNICODE_STRING* s, const WCHAR* want);

/* Paths longer than the stack buffers the functions start with (a few hundred characters). */
static void test_long_paths(void) {
  static WCHAR name[2048], want[2048], buffer[2048];
  name[0] = want[0] = 0;
  nt_wcscat(name, 2048, L"C:\\");
  for (int i = 0; i < 150; i++) nt_wcscat(name, 2048, L"dir01234\\");
  for (int i = 0; i < 149; i++) nt_wcscat(name, 2048, L"..\\");
  nt_wcscat(name, 2048, L"file.txt");
  WCHAR* file_part = NULL;
  CHECK_EQ(RtlGetFullPathName_U(name, sizeof(buffer), buffer, &file_part), 40);
  CHECK(!nt_wcscmp(buffer, L"C:\\dir01234\\file.txt"));
  CHECK(file_part && !nt_wcscmp(file_part, L"file.txt"));

  /* A relative name of 1200 characters under the current directory. */
  name[0] = 0;
  nt_wcscat(want, 2048, L"\\??\\C:\\rtl_paths");
  for (int i = 0; i < 150; i++) {
    nt_wcscat(name, 2048, L"dir01234\\");
    nt_wcscat(want, 2048, L"\\dir01234");
  }
  nt_wcscat(name, 2048, L"x");
  nt_wcscat(want, 2048, L"\\x");
  CHECK_EQ(RtlGetFullPathName_U(name, sizeof(buffer), buffer, &file_part),
           (nt_wcslen(want) - 4) * 2);
  CHECK(!nt_wcscmp(buffer, want + 4));
  CHECK_EQ(RtlGetFullPathName_U(name, 100, buffer, &file_part), (nt_wcslen(want) - 4) * 2 + 2);
  UNICODE_STRING nt = {0, 0, NULL};
  CHECK(RtlDosPathNameToNtPathName_U(name, &nt, &file_part, NULL));
  CHECK(nt.Buffer && ustr_is(&nt, want));
  CHECK(file_part && !nt_wcscmp(file_part, L"x"));
  RtlFreeUnicodeString(&nt);
  CHECK(!RtlDoesFileExists_U(name));
}

static int ustr_is(const UNICODE_STRING* s, const WCHAR* want) {
  return s->Length == nt_wcslen(want) * 2 && !memcmp(s->Buffer, want, s->Length) &&
         s->MaximumLength >= s->Length + 2 && s->Buffer[s->Length / 2] == 0;
}

static void test_nt_paths(HANDLE cwd_handle) {
  static const struct {
    const WCHAR* dos;
    const WCHAR* nt;
    const WCHAR* file_part;
  } cases[] = {
      {L"C:\\a\\b", L"\\??\\C:\\a\\b", L"b"},
      {L"c:/a/./b/../c/", L"\\??\\c:\\a\\c\\", NULL},
      {L"\\\\server\\share\\x", L"\\??\\UNC\\server\\share\\x", L"x"},
      {L"\\\\.\\pipe\\x", L"\\??\\pipe\\x", L"x"},
      {L"\\\\?\\C:\\a\\..\\b", L"\\??\\C:\\a\\..\\b", L"b"}, /* passed through as is */
      {L"rel\\f.txt", L"\\??\\C:\\rtl_paths\\rel\\f.txt", L"f.txt"},
      {L"con", L"\\??\\con", NULL},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    UNICODE_STRING nt = {0, 0, NULL};
    WCHAR* file_part = (WCHAR*)1;
    RTL_RELATIVE_NAME_U relative;
    memset(&relative, 0xCC, sizeof(relative));
    CHECK(RtlDosPathNameToNtPathName_U(cases[i].dos, &nt, &file_part, &relative));
    const int ok = nt.Buffer && ustr_is(&nt, cases[i].nt);
    const int part_ok = cases[i].file_part ? file_part && !nt_wcscmp(file_part, cases[i].file_part)
                                           : file_part == NULL;
    if (!ok || !part_ok)
      nt_note("\"%ls\" -> \"%ls\", file part \"%ls\"", cases[i].dos, wstr_or_null(nt.Buffer),
              wstr_or_null(file_part));
    CHECK(ok);
    CHECK(part_ok);
    CHECK(relative.ContainingDirectory == NULL); /* only the Relative variants fill it */
    CHECK_EQ(relative.RelativeName.Length, 0);
    RtlFreeUnicodeString(&nt);
  }

  UNICODE_STRING nt = {0, 0, NULL};
  CHECK(!RtlDosPathNameToNtPathName_U(L"", &nt, NULL, NULL));
  CHECK_STATUS(RtlDosPathNameToNtPathName_U_WithStatus(L"", &nt, NULL, NULL),
               STATUS_OBJECT_NAME_INVALID);
  CHECK_OK(RtlDosPathNameToNtPathName_U_WithStatus(L"C:\\x", &nt, NULL, NULL));
  CHECK(ustr_is(&nt, L"\\??\\C:\\x"));
  RtlFreeUnicodeString(&nt);

  /* A relative name under the current directory: the rest, and the directory's handle. */
  RTL_RELATIVE_NAME_U relative;
  WCHAR* file_part = NULL;
  CHECK(RtlDosPathNameToRelativeNtPathName_U(L"sub\\file.txt", &nt, &file_part, &relative));
  CHECK(ustr_is(&nt, L"\\??\\C:\\rtl_paths\\sub\\file.txt"));
  if (!nt_is_wine()) { /* Wine 8 gives no relative name */
    CHECK(relative.RelativeName.Length == 24 &&
          !memcmp(relative.RelativeName.Buffer, L"sub\\file.txt", 24));
    CHECK(relative.ContainingDirectory == cwd_handle);
  }
  RtlReleaseRelativeName(&relative);
  RtlFreeUnicodeString(&nt);
  CHECK_OK(
      RtlDosPathNameToRelativeNtPathName_U_WithStatus(L"C:\\rtl_paths\\sub", &nt, NULL, &relative));
  CHECK(relative.ContainingDirectory == NULL); /* an absolute path */
  CHECK_EQ(relative.RelativeName.Length, 0);
  RtlFreeUnicodeString(&nt);
}

static void test_exists_and_search(void) {
  CHECK(RtlDoesFileExists_U(L"sub\\file.txt"));
  CHECK(RtlDoesFileExists_U(L"C:\\rtl_paths\\SUB"));
  CHECK(RtlDoesFileExists_U(L"C:\\rtl_paths\\sub\\"));
  CHECK(!RtlDoesFileExists_U(L"sub\\nope.txt"));
  CHECK(!RtlDoesFileExists_U(L"C:\\rtl_paths_nope\\x"));

  WCHAR buffer[128];
  WCHAR* file_part = NULL;
  const WCHAR* path = L"C:\\nope;;C:\\rtl_paths\\sub\\;C:\\rtl_paths";
  ULONG bytes = RtlDosSearchPath_U(path, L"file", L".txt", sizeof(buffer), buffer, &file_part);
  CHECK_EQ(bytes, nt_wcslen(L"C:\\rtl_paths\\sub\\file.txt") * 2);
  CHECK(!nt_wcscmp(buffer, L"C:\\rtl_paths\\sub\\file.txt"));
  CHECK(file_part && !nt_wcscmp(file_part, L"file.txt"));
  bytes = RtlDosSearchPath_U(path, L"file.txt", L".exe", sizeof(buffer), buffer, &file_part);
  CHECK(!nt_wcscmp(buffer, L"C:\\rtl_paths\\sub\\file.txt")); /* has an extension: kept */
  CHECK_EQ(RtlDosSearchPath_U(path, L"file.txt", NULL, 10, buffer, &file_part),
           nt_wcslen(L"C:\\rtl_paths\\sub\\file.txt") * 2 + 2);
  CHECK_EQ(RtlDosSearchPath_U(path, L"file", NULL, sizeof(buffer), buffer, &file_part), 0);
  CHECK_EQ(RtlDosSearchPath_U(path, L"sub\\file.txt", NULL, sizeof(buffer), buffer, &file_part),
           nt_wcslen(L"C:\\rtl_paths\\sub\\file.txt") * 2);
  /* Not relative: only whether it exists. */
  CHECK_EQ(RtlDosSearchPath_U(L"C:\\nope", L"C:\\rtl_paths\\sub\\file.txt", NULL, sizeof(buffer),
                              buffer, &file_part),
           nt_wcslen(L"C:\\rtl_paths\\sub\\file.txt") * 2);
  CHECK_EQ(RtlDosSearchPath_U(L"C:\\rtl_paths", L"\\nope\\file.txt", NULL, sizeof(buffer), buffer,
                              &file_part),
           0);
}

/* Whether the ';'-separated list has the entry (ignoring case). */
static int has_entry(const WCHAR* list, const WCHAR* entry) {
  const size_t n = nt_wcslen(entry);
  for (const WCHAR* p = list; *p;) {
    const WCHAR* end = p;
    while (*end && *end != ';') end++;
    if ((size_t)(end - p) == n && !nt_wcsnicmp(p, entry, n)) return 1;
    p = *end ? end + 1 : end;
  }
  return 0;
}

/* The default search paths and the safe search mode that moves "." after the system
 * directories (once made permanent, no change is allowed). */
static void test_search_path(void) {
  WCHAR* path = NULL;
  CHECK_OK(RtlGetSearchPath(&path));
  CHECK(path != NULL);
  if (!path) return;
  nt_note("search path: %ls", path);
  const WCHAR* system = L";.;C:\\windows\\system32;C:\\windows\\system;C:\\windows";
  int found = 0;
  for (const WCHAR* p = path; *p && !found; p++) found = !nt_wcsnicmp(p, system, nt_wcslen(system));
  CHECK(found);
  RtlReleasePath(path);

  CHECK_STATUS(RtlSetSearchPathMode(0), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlSetSearchPathMode(0x10001), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlSetSearchPathMode(0x18000), STATUS_INVALID_PARAMETER); /* disable|permanent */
  CHECK_STATUS(RtlSetSearchPathMode(0x8000), STATUS_INVALID_PARAMETER);
  CHECK_OK(RtlSetSearchPathMode(1)); /* BASE_SEARCH_PATH_ENABLE_SAFE_SEARCHMODE */
  CHECK_OK(RtlGetSearchPath(&path));
  const WCHAR* safe = L"C:\\windows\\system32;C:\\windows\\system;C:\\windows;.";
  found = 0;
  for (const WCHAR* p = path; *p && !found; p++) found = !nt_wcsnicmp(p, safe, nt_wcslen(safe));
  CHECK(found);
  RtlReleasePath(path);
  CHECK_OK(RtlSetSearchPathMode(0x10000));
  CHECK_OK(RtlSetSearchPathMode(0x8001)); /* enabled for good */
  CHECK_STATUS(RtlSetSearchPathMode(0x10000), STATUS_ACCESS_DENIED);
  CHECK_STATUS(RtlSetSearchPathMode(1), STATUS_ACCESS_DENIED);

  /* CreateProcess's search: "." unless NoDefaultCurrentDirectoryInExePath is set and the name
   * has no directory. */
  CHECK_OK(RtlGetExePath(L"child.exe", &path));
  CHECK(path && has_entry(path, L"."));
  RtlReleasePath(path);
  set_variable(L"NoDefaultCurrentDirectoryInExePath", L"1");
  CHECK_OK(RtlGetExePath(L"child.exe", &path));
  CHECK(path && !has_entry(path, L"."));
  CHECK(path && has_entry(path, L"C:\\windows\\system32"));
  RtlReleasePath(path);
  CHECK_OK(RtlGetExePath(L"sub\\child.exe", &path));
  CHECK(path && has_entry(path, L"."));
  RtlReleasePath(path);
}

static void set_directory(const WCHAR* dir, NTSTATUS want) {
  UNICODE_STRING s;
  nt_init_ustr(&s, dir);
  const NTSTATUS got = RtlSetCurrentDirectory_U(&s);
  if (got != want) nt_note("RtlSetCurrentDirectory_U(\"%ls\")", dir);
  CHECK_STATUS(got, want);
}

void test_main(void) {
  test_path_types();
  test_dos_device_names();

  nt_delete_tree(L"\\??\\C:\\rtl_paths");
  CHECK_OK(nt_mkdir(L"\\??\\C:\\rtl_paths"));
  CHECK_OK(nt_mkdir(L"\\??\\C:\\rtl_paths\\sub"));
  CHECK_OK(nt_write_whole_file(L"\\??\\C:\\rtl_paths\\sub\\file.txt", "x", 1));

  RTL_USER_PROCESS_PARAMETERS* params = nt_peb()->ProcessParameters;
  WCHAR original[300];
  CHECK(RtlGetCurrentDirectory_U(sizeof(original), original) < sizeof(original));

  set_directory(L"C:\\rtl_paths", STATUS_SUCCESS);
  CHECK(ustr_is(&params->CurrentDirectory.DosPath, L"C:\\rtl_paths\\"));
  CHECK(params->CurrentDirectory.Handle != NULL);
  WCHAR buffer[64];
  CHECK_EQ(RtlGetCurrentDirectory_U(sizeof(buffer), buffer), 24); /* no trailing '\' */
  CHECK(!nt_wcscmp(buffer, L"C:\\rtl_paths"));
  CHECK_EQ(RtlGetCurrentDirectory_U(24, buffer), 26); /* no room for the NUL */
  set_directory(L"sub", STATUS_SUCCESS);
  CHECK(ustr_is(&params->CurrentDirectory.DosPath, L"C:\\rtl_paths\\sub\\"));
  set_directory(L"..\\.", STATUS_SUCCESS);
  CHECK(ustr_is(&params->CurrentDirectory.DosPath, L"C:\\rtl_paths\\"));
  set_directory(L"nope", STATUS_OBJECT_NAME_NOT_FOUND);
  set_directory(L"sub\\file.txt", STATUS_NOT_A_DIRECTORY);
  set_directory(L"nope\\deeper", STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(ustr_is(&params->CurrentDirectory.DosPath, L"C:\\rtl_paths\\"));

  set_variable(L"=D:", L"D:\\ddir");
  test_full_paths();
  test_nt_paths(params->CurrentDirectory.Handle);
  test_long_paths();
  test_exists_and_search();
  test_search_path();

  set_directory(original, STATUS_SUCCESS);
  CHECK_OK(nt_delete_tree(L"\\??\\C:\\rtl_paths"));
}
