/* nttest on ntdll: the entry point, output through NtWriteFile to the standard output handle of
 * the process parameters, NT names under the test's directory, and file helpers. */
#include "nttest.h"

static NTSTATUS write_stdout(const char* buf, ULONG len) {
  PEB* peb = nt_peb();
  IO_STATUS_BLOCK iosb;
  if (!peb || !peb->ProcessParameters) return STATUS_INVALID_HANDLE;
  return NtWriteFile(peb->ProcessParameters->StandardOutput, 0, 0, 0, &iosb, buf, len, 0, 0);
}

static void terminate(NTSTATUS status) {
  NtTerminateProcess(NtCurrentProcess(), status);
}

/* The image entry point (the build passes -e nttest_start). Windows calls it with the PEB. */
__attribute__((noreturn)) void nttest_start(PEB* peb) {
  (void)peb;
  nt_output_hook = write_stdout;
  nt_exit_hook = terminate;
  test_main();
  nt_finish();
}

/* ---- names ------------------------------------------------------------------------------ */

void nt_init_ustr(UNICODE_STRING* us, const WCHAR* s) {
  size_t n = nt_wcslen(s) * 2;
  us->Buffer = (WCHAR*)s;
  us->Length = (USHORT)n;
  us->MaximumLength = (USHORT)(n + 2);
}

POBJECT_ATTRIBUTES nt_name(NT_NAME* n, const WCHAR* s, HANDLE root) {
  nt_init_ustr(&n->us, s);
  memset(&n->oa, 0, sizeof n->oa);
  n->oa.Length = sizeof n->oa;
  n->oa.RootDirectory = root;
  n->oa.ObjectName = &n->us;
  n->oa.Attributes = OBJ_CASE_INSENSITIVE;
  return &n->oa;
}

static WCHAR test_dir[128] = L"\\??\\C:\\nttest";

void nt_set_test_dir(const char* default_name) {
  const char* name = nt_arg_value("dir");
  if (!name) name = default_name;
  test_dir[0] = 0;
  nt_wcscat(test_dir, 128, L"\\??\\C:\\");
  nt_wcscat_a(test_dir, 128, name);
}

const WCHAR* nt_test_dir(void) {
  return test_dir;
}

const WCHAR* nt_test_path(const WCHAR* rel) {
  static WCHAR bufs[8][512];
  static int next;
  WCHAR* b = bufs[next++ % 8];
  b[0] = 0;
  nt_wcscat(b, 512, test_dir);
  if (rel && *rel) {
    nt_wcscat(b, 512, L"\\");
    nt_wcscat(b, 512, rel);
  }
  return b;
}

/* ---- files ------------------------------------------------------------------------------ */

NTSTATUS nt_create(HANDLE* h, const WCHAR* path, ACCESS_MASK access, ULONG disposition,
                   ULONG options, ULONG share, ULONG_PTR* information) {
  NT_NAME n;
  IO_STATUS_BLOCK iosb;
  memset(&iosb, 0, sizeof iosb);
  iosb.Information = 0xdeadbeef;
  *h = 0;
  NTSTATUS s =
      NtCreateFile(h, access | SYNCHRONIZE, nt_name(&n, path, 0), &iosb, 0, FILE_ATTRIBUTE_NORMAL,
                   share, disposition, options | FILE_SYNCHRONOUS_IO_NONALERT, 0, 0);
  if (information) *information = iosb.Information;
  return s;
}

NTSTATUS nt_mkdir(const WCHAR* path) {
  HANDLE h;
  NTSTATUS s =
      nt_create(&h, path, FILE_LIST_DIRECTORY, FILE_CREATE, FILE_DIRECTORY_FILE, FILE_SHARE_ALL, 0);
  if (NT_SUCCESS(s)) NtClose(h);
  return s;
}

NTSTATUS nt_write_whole_file(const WCHAR* path, const void* data, ULONG len) {
  HANDLE h;
  IO_STATUS_BLOCK iosb;
  NTSTATUS s = nt_create(&h, path, FILE_GENERIC_WRITE, FILE_OVERWRITE_IF, FILE_NON_DIRECTORY_FILE,
                         FILE_SHARE_ALL, 0);
  if (!NT_SUCCESS(s)) return s;
  if (len) s = NtWriteFile(h, 0, 0, 0, &iosb, data, len, 0, 0);
  NtClose(h);
  return s;
}

NTSTATUS nt_read_whole_file(const WCHAR* path, void* buf, ULONG cap, ULONG* len) {
  HANDLE h;
  IO_STATUS_BLOCK iosb;
  *len = 0;
  NTSTATUS s =
      nt_create(&h, path, FILE_GENERIC_READ, FILE_OPEN, FILE_NON_DIRECTORY_FILE, FILE_SHARE_ALL, 0);
  if (!NT_SUCCESS(s)) return s;
  ULONG total = 0;
  while (total < cap) {
    s = NtReadFile(h, 0, 0, 0, &iosb, (char*)buf + total, cap - total, 0, 0);
    if (s == STATUS_END_OF_FILE) {
      s = STATUS_SUCCESS;
      break;
    }
    if (!NT_SUCCESS(s) || iosb.Information == 0) break;
    total += (ULONG)iosb.Information;
  }
  *len = total;
  NtClose(h);
  return s;
}

int nt_exists(const WCHAR* path) {
  NT_NAME n;
  FILE_BASIC_INFORMATION info;
  return NT_SUCCESS(NtQueryAttributesFile(nt_name(&n, path, 0), &info));
}

/* Opens path for deletion without following a final symlink and marks it delete-on-close. */
static NTSTATUS delete_one(const WCHAR* path, int is_dir) {
  HANDLE h;
  NTSTATUS s = nt_create(&h, path, DELETE, FILE_OPEN,
                         FILE_OPEN_REPARSE_POINT | FILE_OPEN_FOR_BACKUP_INTENT |
                             (is_dir ? FILE_DIRECTORY_FILE : FILE_NON_DIRECTORY_FILE),
                         FILE_SHARE_ALL, 0);
  if (!NT_SUCCESS(s)) return s;
  IO_STATUS_BLOCK iosb;
  FILE_DISPOSITION_INFORMATION d = {1};
  s = NtSetInformationFile(h, &iosb, &d, sizeof d, FileDispositionInformation);
  NtClose(h);
  return s;
}

static NTSTATUS delete_tree_at(WCHAR* path, size_t cap, int depth) {
  FILE_BASIC_INFORMATION attrs;
  NT_NAME n;
  NTSTATUS s = NtQueryAttributesFile(nt_name(&n, path, 0), &attrs);
  if (s == STATUS_OBJECT_NAME_NOT_FOUND || s == STATUS_OBJECT_PATH_NOT_FOUND) return STATUS_SUCCESS;
  if (!NT_SUCCESS(s)) return s;
  if (!(attrs.FileAttributes & FILE_ATTRIBUTE_DIRECTORY) || depth > 64) return delete_one(path, 0);

  HANDLE dir;
  s = nt_create(&dir, path, FILE_LIST_DIRECTORY, FILE_OPEN,
                FILE_DIRECTORY_FILE | FILE_OPEN_REPARSE_POINT, FILE_SHARE_ALL, 0);
  if (!NT_SUCCESS(s)) return s;
  size_t base_len = nt_wcslen(path);
  /* Take one entry at a time from a restarted scan: deleting while enumerating stays simple. */
  for (int guard = 0; guard < 4096; guard++) {
    union {
      FILE_DIRECTORY_INFORMATION info;
      char raw[1024];
    } u;
    IO_STATUS_BLOCK iosb;
    const FILE_DIRECTORY_INFORMATION* e = 0;
    BOOLEAN restart = TRUE;
    for (;;) {
      s = NtQueryDirectoryFile(dir, 0, 0, 0, &iosb, &u, sizeof u, FileDirectoryInformation, TRUE, 0,
                               restart);
      restart = FALSE;
      if (!NT_SUCCESS(s)) break;
      if (nt_ustr_eq(u.info.FileName, u.info.FileNameLength, L".") ||
          nt_ustr_eq(u.info.FileName, u.info.FileNameLength, L".."))
        continue;
      e = &u.info;
      break;
    }
    if (!e) break;
    path[base_len] = 0;
    nt_wcscat(path, cap, L"\\");
    size_t at = nt_wcslen(path), nchars = e->FileNameLength / 2;
    if (at + nchars + 1 > cap) break;
    memcpy(path + at, e->FileName, e->FileNameLength);
    path[at + nchars] = 0;
    s = (e->FileAttributes & FILE_ATTRIBUTE_DIRECTORY) ? delete_tree_at(path, cap, depth + 1)
                                                       : delete_one(path, 0);
    path[base_len] = 0;
    if (!NT_SUCCESS(s)) {
      NtClose(dir);
      return s;
    }
  }
  NtClose(dir);
  return delete_one(path, 1);
}

NTSTATUS nt_delete_tree(const WCHAR* path) {
  static WCHAR buf[32768];
  buf[0] = 0;
  nt_wcscat(buf, 32768, path);
  return delete_tree_at(buf, 32768, 0);
}
