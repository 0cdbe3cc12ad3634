/* A read-only drive through the NT services: every way of changing it fails with
 * STATUS_MEDIA_WRITE_PROTECTED (what Windows returns for a write-protected volume), reading
 * works, and the writable C: stays writable (the Landlock ruleset that keeps the read-only
 * drive read-only in the kernel must not take C: with it).
 *
 * Arguments: ro=D (the read-only drive's letter; it holds existing.txt with "read-only\n"). */
#include "nttest.h"

#define STATUS_MEDIA_WRITE_PROTECTED ((NTSTATUS)0xC00000A2)
#define MAXIMUM_ALLOWED 0x02000000

static WCHAR ro_root[8] = L"\\??\\D:\\";

static const WCHAR* ro_path(const WCHAR* name) {
  static WCHAR buf[2][64];
  static int next;
  WCHAR* b = buf[next++ & 1];
  b[0] = 0;
  nt_wcscat(b, 64, ro_root);
  return nt_wcscat(b, 64, name);
}

static void refuses_changes(void) {
  HANDLE h;
  CHECK_STATUS(
      nt_create(&h, ro_path(L"existing.txt"), GENERIC_WRITE, FILE_OPEN, 0, FILE_SHARE_ALL, 0),
      STATUS_MEDIA_WRITE_PROTECTED);
  CHECK_STATUS(nt_create(&h, ro_path(L"existing.txt"), DELETE, FILE_OPEN, 0, FILE_SHARE_ALL, 0),
               STATUS_MEDIA_WRITE_PROTECTED);
  CHECK_STATUS(nt_create(&h, ro_path(L"existing.txt"), GENERIC_READ, FILE_OVERWRITE_IF, 0,
                         FILE_SHARE_ALL, 0),
               STATUS_MEDIA_WRITE_PROTECTED);
  CHECK_STATUS(nt_create(&h, ro_path(L"new.txt"), GENERIC_WRITE, FILE_CREATE, 0, FILE_SHARE_ALL, 0),
               STATUS_MEDIA_WRITE_PROTECTED);
  CHECK_STATUS(nt_mkdir(ro_path(L"newdir")), STATUS_MEDIA_WRITE_PROTECTED);
  NT_NAME n;
  CHECK_STATUS(NtDeleteFile(nt_name(&n, ro_path(L"existing.txt"), 0)),
               STATUS_MEDIA_WRITE_PROTECTED);
}

static void reads_and_keeps_handles_read_only(void) {
  char buf[64];
  ULONG len = 0;
  CHECK_OK(nt_read_whole_file(ro_path(L"existing.txt"), buf, sizeof buf, &len));
  CHECK_EQ(len, 10);
  CHECK(memcmp(buf, "read-only\n", 10) == 0);

  /* MAXIMUM_ALLOWED gets a handle without write rights; changes through it are refused. */
  HANDLE h;
  IO_STATUS_BLOCK iosb;
  CHECK_OK(
      nt_create(&h, ro_path(L"existing.txt"), MAXIMUM_ALLOWED, FILE_OPEN, 0, FILE_SHARE_ALL, 0));
  FILE_END_OF_FILE_INFORMATION eof;
  eof.EndOfFile.QuadPart = 0;
  CHECK_STATUS(NtSetInformationFile(h, &iosb, &eof, sizeof eof, FileEndOfFileInformation),
               STATUS_ACCESS_DENIED);
  FILE_DISPOSITION_INFORMATION d = {TRUE};
  CHECK_STATUS(NtSetInformationFile(h, &iosb, &d, sizeof d, FileDispositionInformation),
               STATUS_ACCESS_DENIED);
  NtClose(h);
  CHECK(nt_exists(ro_path(L"existing.txt")));
}

static void c_stays_writable(void) {
  static const char data[] = "written on C:\n";
  CHECK_OK(nt_write_whole_file(L"\\??\\C:\\readonly-test.txt", data, sizeof data - 1));
  CHECK_OK(nt_mkdir(L"\\??\\C:\\readonly-test-dir"));
  CHECK_OK(nt_delete_tree(L"\\??\\C:\\readonly-test-dir"));
  CHECK_OK(nt_delete_tree(L"\\??\\C:\\readonly-test.txt"));
}

void test_main(void) {
  const char* ro = nt_arg_value("ro");
  if (ro && ro[0]) ro_root[4] = (WCHAR)ro[0];
  refuses_changes();
  reads_and_keeps_handles_read_only();
  c_stays_writable();
}
