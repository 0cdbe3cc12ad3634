/* Escape attempts from the namespace's C: drive. Every attempt must fail, or succeed while
 * staying inside C: (a file read through it never holds the outside secret; a file created
 * through it lands inside). The ctest fixture (run_pe_test.py) plants in C:\
 *     abs_secret -> <outside>/secret.txt      (absolute symlink to a file outside the root)
 *     rel_secret -> ../../../../../outside/secret.txt   (relative, climbing out)
 *     abs_dir    -> <outside>                 (absolute symlink to a directory outside)
 *     rel_dir    -> ../../../../../outside    (relative directory symlink out)
 *     etc_link   -> /etc
 * plus a decoy C:\outside\secret.txt (where the relative links land when clamped at the root),
 * passes outside=<host path of the outside directory>, and afterwards checks that the secret is
 * untouched and nothing was created outside C:. The secret's content starts with SECRET_MARK. */
#include "nttest.h"

#define SECRET_MARK "IREACTOR-SECRET"
#define PASSWD_MARK "root:x:0:0:"

static char outside_path[512] = "/nonexistent-outside";

static int contains(const char* buf, ULONG len, const char* needle) {
  size_t n = nt_strlen(needle);
  for (ULONG i = 0; i + n <= len; i++)
    if (memcmp(buf + i, needle, n) == 0) return 1;
  return 0;
}

static char readbuf[8192];

/* Opens name (relative to root when given) for reading. Passes when the open fails, or when it
 * succeeds and the content holds neither the secret nor the host's passwd. */
static void check_read_stays_inside(const char* what, const WCHAR* name, HANDLE root) {
  NT_NAME nn;
  IO_STATUS_BLOCK iosb;
  HANDLE h = 0;
  NTSTATUS s =
      NtCreateFile(&h, FILE_GENERIC_READ, nt_name(&nn, name, root), &iosb, 0, 0, FILE_SHARE_ALL,
                   FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE, 0, 0);
  char label[200];
  if (!NT_SUCCESS(s)) {
    nt_snprintf(label, sizeof label, "read %s: refused (0x%08x)", what, (unsigned)s);
    nt_check_report(1, __FILE__, __LINE__, label, 0);
    return;
  }
  ULONG total = 0;
  for (;;) {
    s = NtReadFile(h, 0, 0, 0, &iosb, readbuf + total, sizeof readbuf - total, 0, 0);
    if (!NT_SUCCESS(s) || !iosb.Information) break;
    total += (ULONG)iosb.Information;
    if (total == sizeof readbuf) break;
  }
  NtClose(h);
  int leaked = contains(readbuf, total, SECRET_MARK) || contains(readbuf, total, PASSWD_MARK);
  if (leaked)
    nt_snprintf(label, sizeof label, "read %s: opened, %u bytes of OUTSIDE content", what, total);
  else
    nt_snprintf(label, sizeof label, "read %s: opened inside, %u bytes, no outside content", what,
                total);
  nt_check_report(!leaked, __FILE__, __LINE__, label, 0);
}

/* Creates (or overwrites) name and writes a marker. Passes when it fails; success is judged by
 * the fixture, which checks that nothing outside C: changed. */
static void try_create(const char* what, const WCHAR* name, HANDLE root, ULONG disposition) {
  NT_NAME nn;
  IO_STATUS_BLOCK iosb;
  HANDLE h = 0;
  NTSTATUS s =
      NtCreateFile(&h, FILE_GENERIC_WRITE, nt_name(&nn, name, root), &iosb, 0, 0, FILE_SHARE_ALL,
                   disposition, FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE, 0, 0);
  if (NT_SUCCESS(s)) {
    NtWriteFile(h, 0, 0, 0, &iosb, "pwned by escapes.exe\n", 21, 0, 0);
    NtClose(h);
  }
  nt_note("create %s: 0x%08x (%s)", what, (unsigned)s,
          NT_SUCCESS(s) ? "created - must be inside C:, the fixture checks" : "refused");
}

/* "\??\C:" + "\.." * depth + the host path with '/' turned into '\'. */
static const WCHAR* dotdot_path(int depth, const char* host_path, const WCHAR* tail) {
  static WCHAR buf[1024];
  buf[0] = 0;
  nt_wcscat(buf, 1024, L"\\??\\C:");
  for (int i = 0; i < depth; i++) nt_wcscat(buf, 1024, L"\\..");
  size_t at = nt_wcslen(buf);
  for (const char* p = host_path; *p && at < 900; p++) buf[at++] = *p == '/' ? '\\' : *p;
  buf[at] = 0;
  if (tail) nt_wcscat(buf, 1024, tail);
  return buf;
}

static WCHAR wide_outside[512];

static const WCHAR* outside_wide(const WCHAR* tail) {
  static WCHAR buf[1024];
  buf[0] = 0;
  nt_wcscat(buf, 1024, wide_outside);
  nt_wcscat(buf, 1024, tail);
  return buf;
}

static void test_dotdot(void) {
  nt_note("'..' components");
  check_read_stays_inside("\\??\\C:\\..\\..\\etc\\passwd", L"\\??\\C:\\..\\..\\etc\\passwd", 0);
  check_read_stays_inside("\\??\\C:\\..\\..\\..\\..\\..\\..\\..\\..\\etc\\passwd",
                          L"\\??\\C:\\..\\..\\..\\..\\..\\..\\..\\..\\etc\\passwd", 0);
  check_read_stays_inside("..\\ x 16 + outside/secret.txt",
                          dotdot_path(16, outside_path, L"\\secret.txt"), 0);
  check_read_stays_inside("testdir\\..\\..\\..\\etc\\passwd",
                          nt_test_path(L"..\\..\\..\\..\\etc\\passwd"), 0);
  check_read_stays_inside("C:\\.\\..\\.\\..\\etc\\passwd", L"\\??\\C:\\.\\..\\.\\..\\etc\\passwd",
                          0);
  check_read_stays_inside("forward slashes", L"\\??\\C:/../../../../etc/passwd", 0);
  check_read_stays_inside("mixed slashes", L"\\??\\C:\\../..\\../etc/passwd", 0);
  check_read_stays_inside("drive-relative C:..", L"\\??\\C:..\\..\\etc\\passwd", 0);
  check_read_stays_inside("\\GLOBAL??\\C:\\..\\..", L"\\GLOBAL??\\C:\\..\\..\\etc\\passwd", 0);
  check_read_stays_inside("\\DosDevices\\C:\\..\\..", L"\\DosDevices\\C:\\..\\..\\etc\\passwd", 0);
  check_read_stays_inside("C: + host path", dotdot_path(0, outside_path, L"\\secret.txt"), 0);

  /* Relative to a RootDirectory handle. */
  HANDLE dir = 0;
  if (NT_SUCCESS(nt_create(&dir, nt_test_dir(), FILE_LIST_DIRECTORY | FILE_TRAVERSE, FILE_OPEN,
                           FILE_DIRECTORY_FILE, FILE_SHARE_ALL, 0))) {
    check_read_stays_inside("root + ..\\..\\..\\..\\etc\\passwd",
                            L"..\\..\\..\\..\\..\\..\\etc\\passwd", dir);
    check_read_stays_inside("root + ../../../etc/passwd", L"../../../../../../etc/passwd", dir);
    static WCHAR rel[1024];
    rel[0] = 0;
    for (int i = 0; i < 16; i++) nt_wcscat(rel, 1024, L"..\\");
    size_t at = nt_wcslen(rel);
    for (const char* p = outside_path + 1; *p && at < 900; p++) rel[at++] = *p == '/' ? '\\' : *p;
    rel[at] = 0;
    nt_wcscat(rel, 1024, L"\\secret.txt");
    check_read_stays_inside("root + ..\\ x 16 + outside\\secret.txt", rel, dir);
    try_create("root + ..\\..\\..\\..\\tmp\\ireactor-escape-marker.txt",
               L"..\\..\\..\\..\\..\\..\\..\\..\\tmp\\ireactor-escape-marker.txt", dir,
               FILE_OPEN_IF);
    NtClose(dir);
  } else {
    CHECK(!"open the test directory");
  }

  try_create("\\??\\C:\\..\\ x 8 \\tmp\\ireactor-escape-marker.txt",
             L"\\??\\C:\\..\\..\\..\\..\\..\\..\\..\\..\\tmp\\ireactor-escape-marker.txt", 0,
             FILE_OPEN_IF);
  try_create("..\\ x 16 + outside\\created-by-escape.txt",
             dotdot_path(16, outside_path, L"\\created-by-escape.txt"), 0, FILE_CREATE);
  try_create("..\\ x 16 + outside\\secret.txt (overwrite)",
             dotdot_path(16, outside_path, L"\\secret.txt"), 0, FILE_OVERWRITE_IF);
}

static void test_symlinks(void) {
  nt_note("symlinks planted by the fixture");
  check_read_stays_inside("C:\\abs_secret", L"\\??\\C:\\abs_secret", 0);
  check_read_stays_inside("C:\\rel_secret", L"\\??\\C:\\rel_secret", 0);
  check_read_stays_inside("C:\\abs_dir\\secret.txt", L"\\??\\C:\\abs_dir\\secret.txt", 0);
  check_read_stays_inside("C:\\rel_dir\\secret.txt", L"\\??\\C:\\rel_dir\\secret.txt", 0);
  check_read_stays_inside("C:\\etc_link\\passwd", L"\\??\\C:\\etc_link\\passwd", 0);
  check_read_stays_inside("C:\\rel_dir\\..\\..\\secret.txt",
                          L"\\??\\C:\\rel_dir\\..\\..\\secret.txt", 0);
  check_read_stays_inside("C:\\abs_dir\\..\\secret.txt", L"\\??\\C:\\abs_dir\\..\\secret.txt", 0);

  /* Writing and creating through them. */
  try_create("C:\\abs_secret (overwrite)", L"\\??\\C:\\abs_secret", 0, FILE_OVERWRITE_IF);
  try_create("C:\\rel_secret (overwrite)", L"\\??\\C:\\rel_secret", 0, FILE_OVERWRITE_IF);
  try_create("C:\\abs_secret (supersede)", L"\\??\\C:\\abs_secret", 0, FILE_SUPERSEDE);
  try_create("C:\\abs_dir\\created-by-escape.txt", L"\\??\\C:\\abs_dir\\created-by-escape.txt", 0,
             FILE_CREATE);
  try_create("C:\\rel_dir\\created-by-escape.txt", L"\\??\\C:\\rel_dir\\created-by-escape.txt", 0,
             FILE_CREATE);
  try_create("C:\\etc_link\\created-by-escape.txt", L"\\??\\C:\\etc_link\\created-by-escape.txt", 0,
             FILE_CREATE);
  {
    HANDLE h = 0;
    if (NT_SUCCESS(nt_create(&h, L"\\??\\C:\\abs_dir\\newdir-by-escape", FILE_LIST_DIRECTORY,
                             FILE_CREATE, FILE_DIRECTORY_FILE, FILE_SHARE_ALL, 0)))
      NtClose(h);
  }

  /* Deleting, truncating, renaming through them. */
  NT_NAME nn;
  nt_note("NtDeleteFile C:\\abs_dir\\secret.txt: 0x%08x",
          (unsigned)NtDeleteFile(nt_name(&nn, L"\\??\\C:\\abs_dir\\secret.txt", 0)));
  nt_note("NtDeleteFile C:\\abs_secret: 0x%08x (removes the link at most)",
          (unsigned)NtDeleteFile(nt_name(&nn, L"\\??\\C:\\abs_secret", 0)));
  {
    HANDLE h = 0;
    IO_STATUS_BLOCK iosb;
    if (NT_SUCCESS(nt_create(&h, L"\\??\\C:\\rel_secret", FILE_GENERIC_WRITE, FILE_OPEN, 0,
                             FILE_SHARE_ALL, 0))) {
      FILE_END_OF_FILE_INFORMATION eof;
      eof.EndOfFile.QuadPart = 0;
      NtSetInformationFile(h, &iosb, &eof, sizeof eof, FileEndOfFileInformation);
      NtClose(h);
    }
    if (NT_SUCCESS(nt_create(&h, L"\\??\\C:\\abs_dir\\secret.txt", FILE_GENERIC_WRITE | DELETE,
                             FILE_OPEN, 0, FILE_SHARE_ALL, 0))) {
      FILE_DISPOSITION_INFORMATION d = {TRUE};
      NtSetInformationFile(h, &iosb, &d, sizeof d, FileDispositionInformation);
      NtClose(h);
    }
  }

  /* A directory handle through a link, then names relative to it. */
  HANDLE dir = 0;
  if (NT_SUCCESS(nt_create(&dir, L"\\??\\C:\\rel_dir", FILE_LIST_DIRECTORY | FILE_TRAVERSE,
                           FILE_OPEN, FILE_DIRECTORY_FILE, FILE_SHARE_ALL, 0))) {
    check_read_stays_inside("root(C:\\rel_dir) + secret.txt", L"secret.txt", dir);
    check_read_stays_inside("root(C:\\rel_dir) + ..\\..\\secret.txt", L"..\\..\\secret.txt", dir);
    NtClose(dir);
  }
  if (NT_SUCCESS(nt_create(&dir, L"\\??\\C:\\abs_dir", FILE_LIST_DIRECTORY | FILE_TRAVERSE,
                           FILE_OPEN, FILE_DIRECTORY_FILE, FILE_SHARE_ALL, 0))) {
    check_read_stays_inside("root(C:\\abs_dir) + secret.txt", L"secret.txt", dir);
    /* Listing it must not show the outside directory's secret.txt next to nothing else. */
    union {
      FILE_DIRECTORY_INFORMATION d;
      char raw[4096];
    } u;
    IO_STATUS_BLOCK iosb;
    UNICODE_STRING mask;
    nt_init_ustr(&mask, L"secret.txt");
    NTSTATUS s = NtQueryDirectoryFile(dir, 0, 0, 0, &iosb, &u, sizeof u, FileDirectoryInformation,
                                      TRUE, &mask, TRUE);
    CHECK(!NT_SUCCESS(s));
    NtClose(dir);
  } else {
    CHECK(1); /* refused outright */
  }
}

static void test_rename_out(void) {
  nt_note("renaming out");
  static union {
    FILE_RENAME_INFORMATION info;
    char raw[2048];
  } r;
  const WCHAR* targets[4];
  targets[0] = dotdot_path(16, outside_path, L"\\renamed-by-escape.txt");
  targets[1] = L"\\??\\C:\\abs_dir\\renamed-by-escape.txt";
  targets[2] = L"\\??\\C:\\..\\..\\..\\..\\..\\..\\tmp\\ireactor-escape-marker.txt";
  targets[3] = L"\\??\\C:\\etc_link\\renamed-by-escape.txt";
  for (int i = 0; i < 4; i++) {
    const WCHAR* src = nt_test_path(L"to-rename.txt");
    CHECK_OK(nt_write_whole_file(src, "rename me", 9));
    HANDLE h = 0;
    if (!NT_SUCCESS(nt_create(&h, src, DELETE, FILE_OPEN, 0, FILE_SHARE_ALL, 0))) continue;
    /* targets[0] lives in a static buffer that nt_test_path does not touch. */
    const WCHAR* t =
        i == 0 ? dotdot_path(16, outside_path, L"\\renamed-by-escape.txt") : targets[i];
    ULONG len = (ULONG)nt_wcslen(t) * 2;
    memset(&r, 0, sizeof r);
    r.info.ReplaceIfExists = TRUE;
    r.info.FileNameLength = len;
    memcpy(r.info.FileName, t, len);
    IO_STATUS_BLOCK iosb;
    NTSTATUS s = NtSetInformationFile(
        h, &iosb, &r, offsetof(FILE_RENAME_INFORMATION, FileName) + len, FileRenameInformation);
    nt_note("rename to %ls: 0x%08x", t, (unsigned)s);
    NtClose(h);
  }
  /* Relative to a RootDirectory that is the test directory. */
  HANDLE dir = 0, h = 0;
  if (NT_SUCCESS(nt_create(&dir, nt_test_dir(), FILE_LIST_DIRECTORY | FILE_TRAVERSE, FILE_OPEN,
                           FILE_DIRECTORY_FILE, FILE_SHARE_ALL, 0))) {
    CHECK_OK(nt_write_whole_file(nt_test_path(L"to-rename.txt"), "rename me", 9));
    if (NT_SUCCESS(nt_create(&h, nt_test_path(L"to-rename.txt"), DELETE, FILE_OPEN, 0,
                             FILE_SHARE_ALL, 0))) {
      const WCHAR* t = L"..\\..\\..\\..\\..\\..\\..\\tmp\\ireactor-escape-marker.txt";
      ULONG len = (ULONG)nt_wcslen(t) * 2;
      memset(&r, 0, sizeof r);
      r.info.RootDirectory = dir;
      r.info.FileNameLength = len;
      memcpy(r.info.FileName, t, len);
      IO_STATUS_BLOCK iosb;
      nt_note("rename relative ..\\..\\tmp: 0x%08x",
              (unsigned)NtSetInformationFile(h, &iosb, &r,
                                             offsetof(FILE_RENAME_INFORMATION, FileName) + len,
                                             FileRenameInformation));
      NtClose(h);
    }
    NtClose(dir);
  }
}

static void test_other_roots(void) {
  nt_note("other roots: UNC, devices, other drives");
  check_read_stays_inside("\\??\\UNC\\localhost\\c$\\etc\\passwd",
                          L"\\??\\UNC\\localhost\\c$\\etc\\passwd", 0);
  check_read_stays_inside("\\??\\UNC\\127.0.0.1\\root\\etc\\passwd",
                          L"\\??\\UNC\\127.0.0.1\\root\\etc\\passwd", 0);
  check_read_stays_inside("\\Device\\Mup\\localhost\\etc\\passwd",
                          L"\\Device\\Mup\\localhost\\etc\\passwd", 0);
  check_read_stays_inside("\\Device\\HarddiskVolume1\\etc\\passwd",
                          L"\\Device\\HarddiskVolume1\\etc\\passwd", 0);
  check_read_stays_inside("\\Device\\HarddiskVolume1\\..\\..\\etc\\passwd",
                          L"\\Device\\HarddiskVolume1\\..\\..\\etc\\passwd", 0);
  check_read_stays_inside("\\Device\\..\\etc\\passwd", L"\\Device\\..\\etc\\passwd", 0);
  check_read_stays_inside("\\??\\GLOBALROOT\\etc\\passwd", L"\\??\\GLOBALROOT\\etc\\passwd", 0);
  check_read_stays_inside("\\??\\Z:\\etc\\passwd", L"\\??\\Z:\\etc\\passwd", 0);
  check_read_stays_inside("\\??\\D:\\etc\\passwd", L"\\??\\D:\\etc\\passwd", 0);
  check_read_stays_inside("\\??\\/etc/passwd", L"\\??\\/etc/passwd", 0);
  check_read_stays_inside("\\etc\\passwd", L"\\etc\\passwd", 0);
  check_read_stays_inside("/etc/passwd", L"/etc/passwd", 0);
  check_read_stays_inside("\\??\\C:\\\\..\\\\..\\\\etc\\\\passwd",
                          L"\\??\\C:\\\\..\\\\..\\\\etc\\\\passwd", 0);
  {
    static WCHAR name[512];
    name[0] = 0;
    nt_wcscat(name, 512, L"\\??\\Z:");
    nt_wcscat(name, 512, wide_outside);
    nt_wcscat(name, 512, L"\\secret.txt");
    check_read_stays_inside("\\??\\Z: + outside\\secret.txt", name, 0);
  }
  try_create("\\??\\UNC\\localhost\\tmp\\ireactor-escape-marker.txt",
             L"\\??\\UNC\\localhost\\tmp\\ireactor-escape-marker.txt", 0, FILE_OPEN_IF);
  try_create("\\Device\\HarddiskVolume1\\tmp\\ireactor-escape-marker.txt",
             L"\\Device\\HarddiskVolume1\\tmp\\ireactor-escape-marker.txt", 0, FILE_OPEN_IF);
  (void)outside_wide;
}

/* Names with embedded NULs, odd lengths, lengths past the buffer. */
static void test_malformed_names(void) {
  NT_NAME nn;
  IO_STATUS_BLOCK iosb;
  HANDLE h = 0;
  nt_note("malformed names");
  {
    /* The host would stop at the NUL; Windows sees the whole counted string. */
    static const WCHAR name[] = L"\\??\\C:\\ok.txt\0/../../../etc/passwd";
    nt_name(&nn, name, 0);
    nn.us.Length = nn.us.MaximumLength = sizeof name - 2;
    NTSTATUS s = NtCreateFile(&h, FILE_GENERIC_READ, &nn.oa, &iosb, 0, 0, FILE_SHARE_ALL,
                              FILE_OPEN_IF, FILE_SYNCHRONOUS_IO_NONALERT, 0, 0);
    CHECK_FAILS(s);
    if (NT_SUCCESS(s)) NtClose(h);
  }
  {
    static const WCHAR name[] = L"\\??\\C:\\odd-length.txt";
    nt_name(&nn, name, 0);
    nn.us.Length = 13; /* not a whole number of WCHARs */
    NTSTATUS s = NtCreateFile(&h, FILE_GENERIC_WRITE, &nn.oa, &iosb, 0, 0, FILE_SHARE_ALL,
                              FILE_OPEN_IF, FILE_SYNCHRONOUS_IO_NONALERT, 0, 0);
    CHECK_FAILS(s);
    if (NT_SUCCESS(s)) NtClose(h);
  }
  {
    static const WCHAR name[] = L"\\??\\C:\\x";
    nt_name(&nn, name, 0);
    nn.us.Length = 64; /* past MaximumLength */
    nn.us.MaximumLength = 18;
    NTSTATUS s = NtCreateFile(&h, FILE_GENERIC_READ, &nn.oa, &iosb, 0, 0, FILE_SHARE_ALL, FILE_OPEN,
                              FILE_SYNCHRONOUS_IO_NONALERT, 0, 0);
    CHECK_FAILS(s);
    if (NT_SUCCESS(s)) NtClose(h);
  }
  {
    /* An OBJECT_ATTRIBUTES.Length that is not sizeof(OBJECT_ATTRIBUTES). */
    nt_name(&nn, nt_test_path(L"oa-length.txt"), 0);
    nn.oa.Length = 12;
    NTSTATUS s = NtCreateFile(&h, FILE_GENERIC_WRITE, &nn.oa, &iosb, 0, 0, FILE_SHARE_ALL,
                              FILE_OPEN_IF, FILE_SYNCHRONOUS_IO_NONALERT, 0, 0);
    CHECK_STATUS(s, STATUS_INVALID_PARAMETER);
    if (NT_SUCCESS(s)) NtClose(h);
  }
}

/* Long names: Windows allows 255 UTF-16 units per component and ~32767 in a path; a Linux name
 * is at most 255 bytes of UTF-8 and a path 4096 bytes. Whatever ireactor does with the gap, it
 * must refuse cleanly or round-trip exactly, never truncate or wander. */
static void test_long_names(void) {
  static WCHAR name[40000];
  static WCHAR comp[300];
  NT_NAME nn;
  FILE_BASIC_INFORMATION bi;
  HANDLE h;
  NTSTATUS s;

  nt_note("long names");
  /* 255 ASCII characters: valid everywhere. */
  for (int i = 0; i < 255; i++) comp[i] = 'a' + i % 26;
  comp[255] = 0;
  name[0] = 0;
  nt_wcscat(name, 40000, nt_test_dir());
  nt_wcscat(name, 40000, L"\\");
  nt_wcscat(name, 40000, comp);
  CHECK_OK(nt_write_whole_file(name, "255", 3));
  CHECK_OK(NtQueryAttributesFile(nt_name(&nn, name, 0), &bi));
  CHECK_OK(NtDeleteFile(nt_name(&nn, name, 0)));
  /* 256: too long for a component. */
  comp[255] = 'z';
  comp[256] = 0;
  name[0] = 0;
  nt_wcscat(name, 40000, nt_test_dir());
  nt_wcscat(name, 40000, L"\\");
  nt_wcscat(name, 40000, comp);
  s = nt_create(&h, name, FILE_GENERIC_WRITE, FILE_CREATE, 0, FILE_SHARE_ALL, 0);
  CHECK_STATUS(s, STATUS_OBJECT_NAME_INVALID);
  if (NT_SUCCESS(s)) NtClose(h);

  /* 200 x U+00E9: 200 UTF-16 units (valid on Windows), 400 bytes of UTF-8. */
  for (int i = 0; i < 200; i++) comp[i] = 0x00e9;
  comp[200] = 0;
  name[0] = 0;
  nt_wcscat(name, 40000, nt_test_dir());
  nt_wcscat(name, 40000, L"\\");
  nt_wcscat(name, 40000, comp);
  s = nt_create(&h, name, FILE_GENERIC_WRITE, FILE_CREATE, 0, FILE_SHARE_ALL, 0);
  nt_note("200 x U+00E9: 0x%08x", (unsigned)s);
  if (NT_SUCCESS(s)) {
    NtClose(h);
    CHECK_OK(NtQueryAttributesFile(nt_name(&nn, name, 0), &bi));
    /* A 199-character prefix is a different name. */
    name[nt_wcslen(name) - 1] = 0;
    CHECK_STATUS(NtQueryAttributesFile(nt_name(&nn, name, 0), &bi), STATUS_OBJECT_NAME_NOT_FOUND);
  } else {
    CHECK_FAILS(s);
  }

  /* A path of ~8000 characters (> PATH_MAX bytes) through 40 nested directories. */
  name[0] = 0;
  nt_wcscat(name, 40000, nt_test_dir());
  for (int i = 0; i < 200; i++) comp[i] = 'd';
  comp[200] = 0;
  int depth = 0;
  for (; depth < 40; depth++) {
    nt_wcscat(name, 40000, L"\\");
    nt_wcscat(name, 40000, comp);
    s = nt_mkdir(name);
    if (!NT_SUCCESS(s)) break;
  }
  nt_note("nested 200-character directories: %d created, last 0x%08x, path %u chars", depth,
          (unsigned)s, (unsigned)nt_wcslen(name));
  if (depth == 40) {
    nt_wcscat(name, 40000, L"\\deep.txt");
    s = nt_write_whole_file(name, "deep", 4);
    nt_note("deep file: 0x%08x", (unsigned)s);
    if (NT_SUCCESS(s)) {
      ULONG len = 0;
      char buf[8];
      CHECK_OK(nt_read_whole_file(name, buf, sizeof buf, &len));
      CHECK_EQ(len, 4);
    }
  } else {
    CHECK_FAILS(s);
  }
  /* Whatever could be created can be removed again, deepest first. */
  {
    int removed = 0, all = 1;
    name[0] = 0;
    nt_wcscat(name, 40000, nt_test_dir());
    for (int i = 0; i < depth; i++) {
      nt_wcscat(name, 40000, L"\\");
      nt_wcscat(name, 40000, comp);
    }
    for (int i = depth; i > 0; i--) {
      if (i == 40) {
        size_t len = nt_wcslen(name);
        nt_wcscat(name, 40000, L"\\deep.txt");
        NtDeleteFile(nt_name(&nn, name, 0));
        name[len] = 0;
      }
      NTSTATUS d = NtDeleteFile(nt_name(&nn, name, 0));
      if (!NT_SUCCESS(d)) {
        nt_note("deleting level %d: 0x%08x", i, (unsigned)d);
        all = 0;
        break;
      }
      removed++;
      WCHAR* slash = name + nt_wcslen(name);
      while (slash > name && *slash != '\\') slash--;
      *slash = 0;
    }
    nt_note("removed %d of %d nested directories", removed, depth);
    CHECK(all);
  }

  /* A name of 32760 characters in one component: never valid. */
  name[0] = 0;
  nt_wcscat(name, 40000, L"\\??\\C:\\");
  size_t at = nt_wcslen(name);
  for (int i = 0; i < 32750; i++) name[at++] = 'L';
  name[at] = 0;
  s = nt_create(&h, name, FILE_GENERIC_WRITE, FILE_OPEN_IF, 0, FILE_SHARE_ALL, 0);
  CHECK_FAILS(s);
  if (NT_SUCCESS(s)) NtClose(h);
}

void test_main(void) {
  const char* o = nt_arg_value("outside");
  if (o) {
    outside_path[0] = 0;
    size_t n = nt_strlen(o);
    if (n < sizeof outside_path) memcpy(outside_path, o, n + 1);
  }
  {
    size_t at = 0;
    for (const char* p = outside_path; *p && at < 500; p++)
      wide_outside[at++] = *p == '/' ? '\\' : *p;
    wide_outside[at] = 0;
  }
  nt_note("outside directory: %s", outside_path);
  nt_set_test_dir("nttest-escapes");
  CHECK_OK(nt_delete_tree(nt_test_dir()));
  CHECK_OK(nt_mkdir(nt_test_dir()));

  test_dotdot();
  test_symlinks();
  test_rename_out();
  test_other_roots();
  test_malformed_names();
  test_long_names();

  CHECK_OK(nt_delete_tree(nt_test_dir()));
}
