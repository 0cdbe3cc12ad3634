/* System, process and time services: the performance counter, system time (against the host's
 * time passed as unix_time=SECONDS), NtQuerySystemInformation (basic, processor, time of day),
 * NtQueryInformationProcess (basic, image file name), the PEB and KUSER_SHARED_DATA version
 * fields (against build=NNNNN), NtClose errors, and an unknown system call number issued with a
 * raw `syscall` instruction. */
#include "nttest.h"

#define TICKS_PER_SEC 10000000LL
#define UNIX_EPOCH_AS_FILETIME 116444736000000000LL /* 1970-01-01 in 100 ns since 1601 */

static void test_counter(void) {
  LARGE_INTEGER c1, c2, f, f2;
  nt_note("NtQueryPerformanceCounter");
  f.QuadPart = 0;
  CHECK_OK(NtQueryPerformanceCounter(&c1, &f));
  CHECK(f.QuadPart > 0);
  nt_note("frequency %lld", f.QuadPart);
  CHECK_OK(NtQueryPerformanceCounter(&c2, 0)); /* the frequency is optional */
  CHECK(c2.QuadPart >= c1.QuadPart);
  int monotonic = 1;
  LARGE_INTEGER prev = c2, cur;
  for (int i = 0; i < 10000; i++) {
    NtQueryPerformanceCounter(&cur, 0);
    monotonic &= cur.QuadPart >= prev.QuadPart;
    prev = cur;
  }
  CHECK(monotonic);
  CHECK_OK(NtQueryPerformanceCounter(&c1, &f2));
  CHECK_EQ(f2.QuadPart, f.QuadPart);
  LARGE_INTEGER delay;
  delay.QuadPart = -50 * 10000LL;
  NtDelayExecution(FALSE, &delay);
  NtQueryPerformanceCounter(&c2, 0);
  LONGLONG ms = (c2.QuadPart - c1.QuadPart) * 1000 / f.QuadPart;
  nt_note("50 ms delay measured as %lld ms", ms);
  CHECK(ms >= 49 && ms < 2000);
}

static void test_time(void) {
  LARGE_INTEGER t1, t2;
  nt_note("NtQuerySystemTime");
  CHECK_OK(NtQuerySystemTime(&t1));
  CHECK(t1.QuadPart > 132223104000000000LL); /* after 2020-01-01 */
  const char* unix_arg = nt_arg_value("unix_time");
  if (unix_arg) {
    LONGLONG want = nt_atoll(unix_arg) * TICKS_PER_SEC + UNIX_EPOCH_AS_FILETIME;
    LONGLONG diff = t1.QuadPart - want;
    nt_note("system time - host time = %lld ms", diff / 10000);
    CHECK(diff > -120 * TICKS_PER_SEC && diff < 120 * TICKS_PER_SEC);
  } else {
    nt_note("no unix_time= argument: host time not compared");
  }
  /* KUSER_SHARED_DATA carries the same clock. */
  LONGLONG shared = kusd_read_time(KUSD_SYSTEM_TIME);
  LONGLONG d = shared - t1.QuadPart;
  nt_note("KUSER_SHARED_DATA.SystemTime - NtQuerySystemTime = %lld ms", d / 10000);
  CHECK(d > -2 * TICKS_PER_SEC && d < 2 * TICKS_PER_SEC);
  LARGE_INTEGER delay;
  delay.QuadPart = -20 * 10000LL;
  LONGLONG it1 = kusd_read_time(KUSD_INTERRUPT_TIME);
  NtDelayExecution(FALSE, &delay);
  CHECK_OK(NtQuerySystemTime(&t2));
  LONGLONG it2 = kusd_read_time(KUSD_INTERRUPT_TIME);
  CHECK(t2.QuadPart - t1.QuadPart >= 15 * 10000LL);
  CHECK(it2 > it1);
  CHECK(it1 > 0);
}

static void test_system_information(void) {
  SYSTEM_BASIC_INFORMATION sbi;
  SYSTEM_PROCESSOR_INFORMATION spi;
  SYSTEM_TIMEOFDAY_INFORMATION tod;
  ULONG ret = 0;
  char big[256];

  nt_note("NtQuerySystemInformation");
  memset(&sbi, 0xcc, sizeof sbi);
  CHECK_OK(NtQuerySystemInformation(SystemBasicInformation, &sbi, sizeof sbi, &ret));
  CHECK_EQ(ret, sizeof sbi);
  CHECK_EQ(sbi.Reserved, 0);
  CHECK_EQ(sbi.PageSize, 4096);
  CHECK_EQ(sbi.AllocationGranularity, 65536);
  CHECK_EQ(sbi.MinimumUserModeAddress, 0x10000);
  CHECK_EQ(sbi.MaximumUserModeAddress, 0x7ffffffeffffull);
  CHECK(sbi.NumberOfPhysicalPages > 0);
  CHECK(sbi.TimerResolution > 0);
  CHECK(sbi.NumberOfProcessors >= 1);
  {
    int bits = 0;
    for (ULONG_PTR m = sbi.ActiveProcessorsAffinityMask; m; m &= m - 1) bits++;
    CHECK_EQ(bits, sbi.NumberOfProcessors);
  }
  nt_note("%d processors, %u physical pages, timer resolution %u", sbi.NumberOfProcessors,
          sbi.NumberOfPhysicalPages, sbi.TimerResolution);
  CHECK_STATUS(NtQuerySystemInformation(SystemBasicInformation, &sbi, 32, &ret),
               STATUS_INFO_LENGTH_MISMATCH);
  CHECK_STATUS(NtQuerySystemInformation(SystemBasicInformation, big, sizeof big, &ret),
               STATUS_INFO_LENGTH_MISMATCH);
  CHECK_OK(NtQuerySystemInformation(SystemBasicInformation, &sbi, sizeof sbi, 0));

  memset(&spi, 0xcc, sizeof spi);
  CHECK_OK(NtQuerySystemInformation(SystemProcessorInformation, &spi, sizeof spi, &ret));
  CHECK_EQ(ret, sizeof spi);
  CHECK_EQ(spi.ProcessorArchitecture, PROCESSOR_ARCHITECTURE_AMD64);
  CHECK(spi.ProcessorLevel > 0);
  nt_note("processor level %u revision 0x%x features 0x%x", spi.ProcessorLevel,
          spi.ProcessorRevision, spi.ProcessorFeatureBits);
  CHECK_STATUS(NtQuerySystemInformation(SystemProcessorInformation, &spi, 4, &ret),
               STATUS_INFO_LENGTH_MISMATCH);

  LARGE_INTEGER now;
  memset(&tod, 0xcc, sizeof tod);
  CHECK_OK(NtQuerySystemInformation(SystemTimeOfDayInformation, &tod, sizeof tod, &ret));
  NtQuerySystemTime(&now);
  CHECK_EQ(ret, sizeof tod);
  CHECK(now.QuadPart - tod.CurrentTime.QuadPart >= 0 &&
        now.QuadPart - tod.CurrentTime.QuadPart < 2 * TICKS_PER_SEC);
  CHECK(tod.BootTime.QuadPart > 0 && tod.BootTime.QuadPart < tod.CurrentTime.QuadPart);
  /* Boot time + interrupt time (time since boot) is about now. */
  {
    LONGLONG since_boot = kusd_read_time(KUSD_INTERRUPT_TIME);
    LONGLONG d = tod.BootTime.QuadPart + since_boot - now.QuadPart;
    nt_note("boot time + interrupt time - now = %lld ms", d / 10000);
    CHECK(d > -60 * TICKS_PER_SEC && d < 60 * TICKS_PER_SEC);
  }
  CHECK_STATUS(NtQuerySystemInformation(SystemTimeOfDayInformation, big, sizeof big, &ret),
               STATUS_INFO_LENGTH_MISMATCH);

  CHECK_STATUS(NtQuerySystemInformation((SYSTEM_INFORMATION_CLASS)0x7fff, big, sizeof big, &ret),
               STATUS_INVALID_INFO_CLASS);
}

static void test_process_information(void) {
  PROCESS_BASIC_INFORMATION pbi;
  ULONG ret = 0;
  static union {
    UNICODE_STRING us;
    char raw[2048];
  } name;

  nt_note("NtQueryInformationProcess");
  memset(&pbi, 0xcc, sizeof pbi);
  CHECK_OK(NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, &pbi, sizeof pbi,
                                     &ret));
  CHECK_EQ(ret, sizeof pbi);
  CHECK_EQ(pbi.PebBaseAddress, nt_peb());
  CHECK_STATUS(pbi.ExitStatus, STATUS_PENDING);
  CHECK(pbi.UniqueProcessId != 0);
  CHECK(pbi.AffinityMask != 0);
  nt_note("pid %llu, parent %llu, priority %d", (ULONGLONG)pbi.UniqueProcessId,
          (ULONGLONG)pbi.InheritedFromUniqueProcessId, pbi.BasePriority);
  CHECK_STATUS(
      NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, &pbi, 40, &ret),
      STATUS_INFO_LENGTH_MISMATCH);
  CHECK_OK(
      NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, &pbi, sizeof pbi, 0));

  /* Image file name: too small reports the size needed. */
  ret = 0;
  CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessImageFileName, &name, 8, &ret),
               STATUS_INFO_LENGTH_MISMATCH);
  CHECK(ret > sizeof(UNICODE_STRING));
  ULONG needed = ret;
  memset(&name, 0xcc, sizeof name);
  CHECK_OK(NtQueryInformationProcess(NtCurrentProcess(), ProcessImageFileName, &name, sizeof name,
                                     &ret));
  CHECK_EQ(ret, needed);
  CHECK((char*)name.us.Buffer >= name.raw && (char*)name.us.Buffer < name.raw + sizeof name);
  nt_note("image file name: %.*ls", (int)(name.us.Length / 2), name.us.Buffer);
  /* It names the running image: the same last component as ImagePathName. */
  {
    const UNICODE_STRING* img = &nt_peb()->ProcessParameters->ImagePathName;
    size_t a = name.us.Length / 2, b = img->Length / 2, i = a, j = b;
    while (i > 0 && name.us.Buffer[i - 1] != '\\') i--;
    while (j > 0 && img->Buffer[j - 1] != '\\') j--;
    CHECK(a - i == b - j && a > i && nt_wcsnicmp(name.us.Buffer + i, img->Buffer + j, a - i) == 0);
    CHECK(name.us.Buffer[0] == '\\');
  }
  CHECK_STATUS(
      NtQueryInformationProcess((HANDLE)0x7ff0, ProcessBasicInformation, &pbi, sizeof pbi, &ret),
      STATUS_INVALID_HANDLE);
  CHECK_STATUS(
      NtQueryInformationProcess(NtCurrentProcess(), (PROCESSINFOCLASS)9999, &pbi, sizeof pbi, &ret),
      STATUS_INVALID_INFO_CLASS);
}

static void test_peb_and_shared_data(void) {
  PEB* peb = nt_peb();
  nt_note("PEB and KUSER_SHARED_DATA");
  CHECK(peb != 0);
  CHECK(peb->ProcessParameters != 0);
  CHECK(peb->ImageBaseAddress != 0);
  CHECK_EQ(*(USHORT*)peb->ImageBaseAddress, 0x5a4d); /* "MZ" */
  const RTL_USER_PROCESS_PARAMETERS* pp = peb->ProcessParameters;
  CHECK(pp->CommandLine.Length > 0 && pp->CommandLine.Buffer != 0);
  CHECK(pp->ImagePathName.Length > 8);
  CHECK(nt_wcsnicmp(pp->ImagePathName.Buffer + pp->ImagePathName.Length / 2 - 4, L".exe", 4) == 0);
  nt_note("image path: %.*ls", (int)(pp->ImagePathName.Length / 2), pp->ImagePathName.Buffer);
  nt_note("command line: %.*ls", (int)(pp->CommandLine.Length / 2), pp->CommandLine.Buffer);
  CHECK(pp->StandardOutput != 0);

  ULONG kbuild = KUSD_READ(ULONG, KUSD_NT_BUILD_NUMBER) & 0xffff;
  CHECK_EQ(peb->OSMajorVersion, 10);
  CHECK_EQ(peb->OSMinorVersion, 0);
  CHECK_EQ(KUSD_READ(ULONG, KUSD_NT_MAJOR_VERSION), 10);
  CHECK_EQ(KUSD_READ(ULONG, KUSD_NT_MINOR_VERSION), 0);
  CHECK_EQ(peb->OSBuildNumber, kbuild);
  CHECK_EQ(peb->OSPlatformId, 2); /* VER_PLATFORM_WIN32_NT */
  nt_note("Windows %u.%u.%u", peb->OSMajorVersion, peb->OSMinorVersion, peb->OSBuildNumber);
  const char* build = nt_arg_value("build");
  if (build) CHECK_EQ(peb->OSBuildNumber, nt_atoll(build));
  /* NtSystemRoot */
  const WCHAR* root = (const WCHAR*)(KUSER_SHARED_DATA_ADDRESS + KUSD_NT_SYSTEM_ROOT);
  CHECK(nt_wcsnicmp(root, L"C:\\Windows", 10) == 0);
}

static void test_close(void) {
  nt_note("NtClose");
  CHECK_STATUS(NtClose((HANDLE)0x7ff0), STATUS_INVALID_HANDLE);
  CHECK_STATUS(NtClose(0), STATUS_INVALID_HANDLE);
  CHECK_STATUS(NtClose((HANDLE)0x12345678), STATUS_INVALID_HANDLE);
  HANDLE e = 0;
  CHECK_OK(NtCreateEvent(&e, EVENT_ALL_ACCESS, 0, NotificationEvent, FALSE));
  CHECK_OK(NtClose(e));
  CHECK_STATUS(NtClose(e), STATUS_INVALID_HANDLE);
  /* Handles are multiples of 4 and the low bits are ignored by the lookup. */
  CHECK_OK(NtCreateEvent(&e, EVENT_ALL_ACCESS, 0, NotificationEvent, FALSE));
  CHECK_EQ((ULONG_PTR)e & 3, 0);
  CHECK_OK(NtSetEvent((HANDLE)((ULONG_PTR)e | 3), 0));
  CHECK_OK(NtClose(e));
}

/* An NT system call by number through a bare `syscall`, the way ntdll's stubs do it. */
__asm__(
    ".text\n"
    ".globl nt_raw_syscall\n"
    "nt_raw_syscall:\n"
    "  movq %rcx, %r10\n"
    "  movl nt_raw_number(%rip), %eax\n"
    "  syscall\n"
    "  ret\n");
extern NTSTATUS nt_raw_syscall(ULONG_PTR a1, ULONG_PTR a2, ULONG_PTR a3, ULONG_PTR a4);
ULONG nt_raw_number;

static void test_unknown_service(void) {
  nt_note("unknown system call numbers");
  if (nt_is_wine()) {
    nt_note("skipped: on Wine a raw syscall goes to the Linux kernel");
    return;
  }
  ULONG numbers[] = {0x0fff, 0x0800, 0x0bad};
  for (unsigned i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
    nt_raw_number = numbers[i];
    NTSTATUS s = nt_raw_syscall(0, 0, 0, 0);
    char label[64];
    nt_snprintf(label, sizeof label, "raw syscall 0x%x", numbers[i]);
    nt_check_status(__FILE__, __LINE__, label, s, STATUS_INVALID_SYSTEM_SERVICE);
  }
  /* The process carries on. */
  LARGE_INTEGER t;
  CHECK_OK(NtQuerySystemTime(&t));
}

void test_main(void) {
  test_counter();
  test_time();
  test_system_information();
  test_process_information();
  test_peb_and_shared_data();
  test_close();
  test_unknown_service();
}
