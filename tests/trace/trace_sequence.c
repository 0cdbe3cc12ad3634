/* The program whose NT calls tests/trace decodes: a fixed sequence of file, event, wait and
 * memory calls, some failing on purpose, then one line of output. Nothing else is issued in
 * between (no checks printed per call), so the tracer's lines are exactly these.
 * With the argument `wait` it first blocks reading standard input: the tracer attaches to the
 * running program meanwhile and must see every call after the read. */
#include "nttest.h"

static NTSTATUS results[11];

static union {
  FILE_RENAME_INFORMATION info;
  char raw[256];
} rename_buf;

void test_main(void) {
  IO_STATUS_BLOCK iosb;
  if (nt_has_arg("wait")) {
    char line[16];
    NtReadFile(nt_peb()->ProcessParameters->StandardInput, 0, 0, 0, &iosb, line, sizeof line, 0, 0);
  }
  static const WCHAR path[] = L"\\??\\C:\\trace-seq.txt";
  static const WCHAR renamed[] = L"\\??\\C:\\trace-seq2.txt";
  static const WCHAR missing[] = L"\\??\\C:\\no-such-file.txt";
  NT_NAME name;
  HANDLE h = 0, ev = 0;
  results[0] = NtCreateFile(&h, GENERIC_WRITE | DELETE | SYNCHRONIZE, nt_name(&name, path, 0),
                            &iosb, 0, FILE_ATTRIBUTE_NORMAL, 0, FILE_OVERWRITE_IF,
                            FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE, 0, 0);
  static const char hello[] = "hello";
  results[1] = NtWriteFile(h, 0, 0, 0, &iosb, (void*)hello, 5, 0, 0);
  FILE_POSITION_INFORMATION pos;
  results[2] = NtQueryInformationFile(h, &iosb, &pos, sizeof pos, FilePositionInformation);
  ULONG len = (ULONG)nt_wcslen(renamed) * 2;
  rename_buf.info.FileNameLength = len;
  memcpy(rename_buf.info.FileName, renamed, len);
  results[10] = NtSetInformationFile(h, &iosb, &rename_buf,
                                     (ULONG)offsetof(FILE_RENAME_INFORMATION, FileName) + len,
                                     FileRenameInformation);
  results[3] = NtClose(h);
  results[4] = NtOpenFile(&h, GENERIC_READ | SYNCHRONIZE, nt_name(&name, missing, 0), &iosb,
                          FILE_SHARE_READ, FILE_SYNCHRONOUS_IO_NONALERT);
  results[5] = NtCreateEvent(&ev, EVENT_ALL_ACCESS, 0, NotificationEvent, FALSE);
  LARGE_INTEGER timeout;
  timeout.QuadPart = -10000; /* 1 ms */
  results[6] = NtWaitForSingleObject(ev, FALSE, &timeout);
  results[7] = NtClose(ev);
  results[8] = NtClose((HANDLE)0x7777); /* not a handle */
  results[9] = NtDeleteFile(nt_name(&name, renamed, 0));
  nt_printf("trace_sequence: %x %x %x %x %x %x %x %x %x %x %x\n", results[0], results[1],
            results[2], results[10], results[3], results[4], results[5], results[6], results[7],
            results[8], results[9]);
}
