/* hello.exe: the demo Windows program bundled with ireactor. A plain Windows x64 executable that
 * imports only ntdll.dll; under `ireactor run` its NT system calls are served by ireactor.
 * It greets, says which Windows it believes it runs on (PEB and KUSER_SHARED_DATA), echoes its
 * command line, tells the time, and lists C:\. */
#include "nttest.h"

static NTSTATUS write_stdout(const char* buf, ULONG len) {
  IO_STATUS_BLOCK iosb;
  return NtWriteFile(nt_peb()->ProcessParameters->StandardOutput, 0, 0, 0, &iosb, buf, len, 0, 0);
}

/* 100 ns intervals since 1601-01-01 UTC to a calendar date and time. */
static void print_time(const char* label, LONGLONG t) {
  LONGLONG secs = t / 10000000LL - 11644473600LL; /* Unix time */
  LONGLONG days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  LONGLONG rem = secs - days * 86400;
  /* Civil date from days since 1970-01-01 (proleptic Gregorian). */
  LONGLONG z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
  LONGLONG doe = z - era * 146097;
  LONGLONG yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  LONGLONG y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  LONGLONG mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
  LONGLONG m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) y++;
  nt_printf("%s%04lld-%02lld-%02lld %02lld:%02lld:%02lld UTC\n", label, y, m, d, rem / 3600,
            rem / 60 % 60, rem % 60);
}

typedef struct {
  WCHAR name[128];
  int is_dir;
  LONGLONG size;
} Entry;

static Entry entries[256];
static union {
  FILE_DIRECTORY_INFORMATION d;
  char raw[8192];
} dirbuf;

static int entry_before(const Entry* a, const Entry* b) {
  if (a->is_dir != b->is_dir) return a->is_dir; /* directories first */
  return nt_wcsnicmp(a->name, b->name, 128) < 0;
}

static void list_drive_c(void) {
  HANDLE dir = 0;
  NTSTATUS s = nt_create(&dir, L"\\??\\C:\\", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE,
                         FILE_SHARE_ALL, 0);
  if (!NT_SUCCESS(s)) {
    nt_printf("Cannot open C:\\ (status 0x%08x)\n", (unsigned)s);
    return;
  }
  int count = 0;
  IO_STATUS_BLOCK iosb;
  for (BOOLEAN restart = TRUE;; restart = FALSE) {
    s = NtQueryDirectoryFile(dir, 0, 0, 0, &iosb, &dirbuf, sizeof dirbuf, FileDirectoryInformation,
                             FALSE, 0, restart);
    if (!NT_SUCCESS(s)) break;
    for (const char* p = dirbuf.raw;;) {
      const FILE_DIRECTORY_INFORMATION* e = (const FILE_DIRECTORY_INFORMATION*)p;
      size_t n = e->FileNameLength / 2;
      int dots = nt_ustr_eq(e->FileName, e->FileNameLength, L".") ||
                 nt_ustr_eq(e->FileName, e->FileNameLength, L"..");
      if (!dots && count < 256 && n < 128) {
        Entry* out = &entries[count++];
        memcpy(out->name, e->FileName, n * 2);
        out->name[n] = 0;
        out->is_dir = (e->FileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
        out->size = e->EndOfFile.QuadPart;
      }
      if (!e->NextEntryOffset) break;
      p += e->NextEntryOffset;
    }
  }
  NtClose(dir);
  if (s != STATUS_NO_MORE_FILES && s != STATUS_NO_SUCH_FILE)
    nt_printf("(listing stopped with status 0x%08x)\n", (unsigned)s);

  for (int i = 1; i < count; i++) /* insertion sort: a few dozen entries */
    for (int j = i; j > 0 && entry_before(&entries[j], &entries[j - 1]); j--) {
      Entry t = entries[j];
      entries[j] = entries[j - 1];
      entries[j - 1] = t;
    }
  int dirs = 0, files = 0;
  LONGLONG bytes = 0;
  nt_printf("Directory of C:\\\n");
  for (int i = 0; i < count; i++) {
    if (entries[i].is_dir) {
      dirs++;
      nt_printf("  %14s  %ls\n", "<DIR>", entries[i].name);
    } else {
      files++;
      bytes += entries[i].size;
      nt_printf("  %14lld  %ls\n", entries[i].size, entries[i].name);
    }
  }
  nt_printf("  %d file(s), %lld bytes; %d dir(s)\n", files, bytes, dirs);
}

/* The entry point (-e hello_start). */
__attribute__((noreturn)) void hello_start(PEB* peb_arg) {
  (void)peb_arg;
  nt_output_hook = write_stdout;
  PEB* peb = nt_peb();
  const RTL_USER_PROCESS_PARAMETERS* pp = peb->ProcessParameters;

  nt_printf("Hello from Windows x64 code, running natively on ireactor!\n");
  nt_printf("\n");
  nt_printf("Windows version (PEB):               %u.%u.%u\n", peb->OSMajorVersion,
            peb->OSMinorVersion, peb->OSBuildNumber);
  nt_printf("Windows version (KUSER_SHARED_DATA): %u.%u.%u\n",
            KUSD_READ(ULONG, KUSD_NT_MAJOR_VERSION), KUSD_READ(ULONG, KUSD_NT_MINOR_VERSION),
            KUSD_READ(ULONG, KUSD_NT_BUILD_NUMBER) & 0xffff);
  nt_printf("System root:                         %ls\n",
            (const WCHAR*)(KUSER_SHARED_DATA_ADDRESS + KUSD_NT_SYSTEM_ROOT));
  nt_printf("Image:                               %.*ls\n", (int)(pp->ImagePathName.Length / 2),
            pp->ImagePathName.Buffer);
  nt_printf("Command line:                        %.*ls\n", (int)(pp->CommandLine.Length / 2),
            pp->CommandLine.Buffer);
  for (int i = 0; i < nt_argc(); i++) nt_printf("  argument %d: %s\n", i + 1, nt_argv(i));

  PROCESS_BASIC_INFORMATION pbi;
  if (NT_SUCCESS(NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, &pbi,
                                           sizeof pbi, 0)))
    nt_printf("Process id:                          %llu\n", (ULONGLONG)pbi.UniqueProcessId);
  SYSTEM_BASIC_INFORMATION sbi;
  if (NT_SUCCESS(NtQuerySystemInformation(SystemBasicInformation, &sbi, sizeof sbi, 0)))
    nt_printf("Processors:                          %d\n", sbi.NumberOfProcessors);

  LARGE_INTEGER now;
  NtQuerySystemTime(&now);
  print_time("Current time:                        ", now.QuadPart);
  nt_printf("\n");
  list_drive_c();
  nt_printf("\nGoodbye!\n");
  NtTerminateProcess(NtCurrentProcess(), 0);
  for (;;) __asm__ volatile("ud2");
}

void test_main(void) {}
