/* Wild pointers into every service: NULL where a pointer is required, 0x1, an unmapped address,
 * a kernel-range address and, for outputs, a read-only page. Windows answers each with
 * STATUS_ACCESS_VIOLATION (0x1 may instead give STATUS_DATATYPE_MISALIGNMENT: Windows checks a
 * probe's alignment before its range), refuses before acting, and the process carries on. After
 * each group the services are used normally again to show the runtime's state is intact. */
#include "nttest.h"

enum { W_ONE, W_UNMAPPED, W_KERNEL, W_READONLY, W_NULL, W_COUNT };
static PVOID wild[W_COUNT];
static const char* wild_name[W_COUNT] = {"0x1", "unmapped", "kernel", "read-only", "NULL"};

/* Which wild values an argument gets. */
#define IN_REQ ((1 << W_ONE) | (1 << W_UNMAPPED) | (1 << W_KERNEL) | (1 << W_NULL))
#define IN_OPT ((1 << W_ONE) | (1 << W_UNMAPPED) | (1 << W_KERNEL))
#define OUT_REQ (IN_REQ | (1 << W_READONLY))
#define OUT_OPT (IN_OPT | (1 << W_READONLY))

/* extra: one more status Windows may give for this argument (0: none). */
static void check_wild(const char* file, int line, const char* expr, int w, NTSTATUS got,
                       NTSTATUS extra) {
  char label[300], detail[96];
  int ok = got == STATUS_ACCESS_VIOLATION || (w == W_ONE && got == STATUS_DATATYPE_MISALIGNMENT) ||
           (extra && got == extra);
  nt_snprintf(label, sizeof label, "%s [%s] -> 0x%08x", expr, wild_name[w], (unsigned)got);
  nt_snprintf(detail, sizeof detail, "(want 0x%08x STATUS_ACCESS_VIOLATION)",
              (unsigned)STATUS_ACCESS_VIOLATION);
  nt_check_report(ok, file, line, label, ok ? 0 : detail);
}

/* Runs stmt (which assigns s) once per wild value in mask, with W bound to the value. */
#define WILD(mask, extra, expr)                                 \
  for (int w_ = 0; w_ < W_COUNT; w_++) {                        \
    if (!((mask) & (1 << w_))) continue;                        \
    void* W = wild[w_];                                         \
    (void)W;                                                    \
    check_wild(__FILE__, __LINE__, #expr, w_, (expr), (extra)); \
  }

static const WCHAR* P(const WCHAR* rel) {
  return nt_test_path(rel);
}

static void setup_wild(void) {
  PVOID p = 0, hole = 0;
  SIZE_T size = 0x400000;
  wild[W_ONE] = (PVOID)1;
  /* The middle of a released 4 MiB range: the few small allocations that follow take one end
   * of such a hole (the low end on Windows, the high end with a top-down mmap), never its
   * middle. */
  NtAllocateVirtualMemory(NtCurrentProcess(), &hole, 0, &size, MEM_RESERVE, PAGE_NOACCESS);
  wild[W_UNMAPPED] = (char*)hole + 0x200100;
  size = 0;
  NtFreeVirtualMemory(NtCurrentProcess(), &hole, &size, MEM_RELEASE);
  size = 0x1000;
  NtAllocateVirtualMemory(NtCurrentProcess(), &p, 0, &size, MEM_RESERVE | MEM_COMMIT,
                          PAGE_READONLY);
  wild[W_READONLY] = p;
  wild[W_KERNEL] = (PVOID)0xffff800000000000ull;
  wild[W_NULL] = 0;
  nt_note("unmapped %p, read-only %p", wild[W_UNMAPPED], wild[W_READONLY]);
}

static int runtime_alive(void) {
  LARGE_INTEGER t;
  HANDLE e = 0;
  LONG prev = 5;
  int ok = NT_SUCCESS(NtQuerySystemTime(&t)) && t.QuadPart > 0;
  ok &= NT_SUCCESS(NtCreateEvent(&e, EVENT_ALL_ACCESS, 0, NotificationEvent, FALSE));
  ok &= NT_SUCCESS(NtSetEvent(e, &prev)) && prev == 0;
  ok &= NT_SUCCESS(NtClose(e));
  return ok;
}

static void test_files(void) {
  NT_NAME nn;
  IO_STATUS_BLOCK iosb;
  HANDLE h = 0;
  char buf[64];

  nt_note("file services");
  /* NtCreateFile: handle, attributes, the name inside them, the IO_STATUS_BLOCK. The file must
   * not be created when the call is refused. */
  WILD(OUT_REQ, 0,
       NtCreateFile(W, FILE_GENERIC_WRITE, nt_name(&nn, P(L"never.txt"), 0), &iosb, 0, 0, 0,
                    FILE_CREATE, FILE_SYNCHRONOUS_IO_NONALERT, 0, 0));
  CHECK(!nt_exists(P(L"never.txt")));
  WILD(IN_OPT, 0,
       NtCreateFile(&h, FILE_GENERIC_WRITE, W, &iosb, 0, 0, 0, FILE_CREATE,
                    FILE_SYNCHRONOUS_IO_NONALERT, 0, 0));
  /* No OBJECT_ATTRIBUTES at all is a parameter error (ObOpenObjectByName checks it first). */
  CHECK_STATUS(NtCreateFile(&h, FILE_GENERIC_WRITE, 0, &iosb, 0, 0, 0, FILE_CREATE,
                            FILE_SYNCHRONOUS_IO_NONALERT, 0, 0),
               STATUS_INVALID_PARAMETER);
  /* OBJECT_ATTRIBUTES without a name and without a root: a syntax error. */
  {
    OBJECT_ATTRIBUTES oa = *nt_name(&nn, P(L"never.txt"), 0);
    oa.ObjectName = 0;
    CHECK_STATUS(NtCreateFile(&h, FILE_GENERIC_WRITE, &oa, &iosb, 0, 0, 0, FILE_CREATE,
                              FILE_SYNCHRONOUS_IO_NONALERT, 0, 0),
                 STATUS_OBJECT_PATH_SYNTAX_BAD);
  }
  WILD(OUT_REQ, 0,
       NtCreateFile(&h, FILE_GENERIC_WRITE, nt_name(&nn, P(L"never.txt"), 0), W, 0, 0, 0,
                    FILE_CREATE, FILE_SYNCHRONOUS_IO_NONALERT, 0, 0));
  CHECK(!nt_exists(P(L"never.txt")));
  WILD(IN_OPT, 0,
       NtCreateFile(&h, FILE_GENERIC_WRITE, nt_name(&nn, P(L"never.txt"), 0), &iosb, W, 0, 0,
                    FILE_CREATE, FILE_SYNCHRONOUS_IO_NONALERT, 0, 0));
  CHECK(!nt_exists(P(L"never.txt")));
  {
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING us;
    WILD(IN_OPT, 0,
         (nt_name(&nn, P(L"never.txt"), 0), oa = nn.oa, oa.ObjectName = W,
          NtCreateFile(&h, FILE_GENERIC_WRITE, &oa, &iosb, 0, 0, 0, FILE_CREATE,
                       FILE_SYNCHRONOUS_IO_NONALERT, 0, 0)));
    WILD(IN_OPT, 0,
         (nt_name(&nn, P(L"never.txt"), 0), us = nn.us, us.Buffer = W, oa = nn.oa,
          oa.ObjectName = &us,
          NtCreateFile(&h, FILE_GENERIC_WRITE, &oa, &iosb, 0, 0, 0, FILE_CREATE,
                       FILE_SYNCHRONOUS_IO_NONALERT, 0, 0)));
  }
  WILD(OUT_REQ, 0,
       NtOpenFile(W, FILE_GENERIC_READ, nt_name(&nn, nt_test_dir(), 0), &iosb, FILE_SHARE_ALL,
                  FILE_SYNCHRONOUS_IO_NONALERT));
  WILD(IN_REQ, 0, NtQueryAttributesFile(W, (FILE_BASIC_INFORMATION*)buf));
  WILD(OUT_REQ, 0, NtQueryAttributesFile(nt_name(&nn, nt_test_dir(), 0), W));
  WILD(IN_REQ, 0, NtQueryFullAttributesFile(W, (FILE_NETWORK_OPEN_INFORMATION*)buf));
  WILD(OUT_REQ, 0, NtQueryFullAttributesFile(nt_name(&nn, nt_test_dir(), 0), W));
  WILD(IN_REQ, 0, NtDeleteFile(W));

  /* Read, write and the rest on a real file. */
  CHECK_OK(nt_write_whole_file(P(L"data.txt"), "0123456789", 10));
  CHECK_OK(nt_create(&h, P(L"data.txt"), FILE_GENERIC_READ | FILE_GENERIC_WRITE | DELETE, FILE_OPEN,
                     0, FILE_SHARE_ALL, 0));
  LARGE_INTEGER off;
  off.QuadPart = 0;
  /* The data buffer of a read: the file system's own copy may report the fault as
   * STATUS_INVALID_USER_BUFFER. */
  WILD(OUT_REQ & ~(1 << W_NULL), STATUS_INVALID_USER_BUFFER,
       NtReadFile(h, 0, 0, 0, &iosb, W, 10, &off, 0));
  WILD(OUT_REQ, 0, NtReadFile(h, 0, 0, 0, W, buf, 10, &off, 0));
  WILD(IN_OPT, 0, NtReadFile(h, 0, 0, 0, &iosb, buf, 10, W, 0));
  WILD(IN_REQ & ~(1 << W_NULL), STATUS_INVALID_USER_BUFFER,
       NtWriteFile(h, 0, 0, 0, &iosb, W, 10, &off, 0));
  WILD(OUT_REQ, 0, NtWriteFile(h, 0, 0, 0, W, "abc", 3, &off, 0));
  WILD(IN_OPT, 0, NtWriteFile(h, 0, 0, 0, &iosb, "abc", 3, W, 0));
  {
    ULONG len = 0;
    CHECK_OK(nt_read_whole_file(P(L"data.txt"), buf, sizeof buf, &len));
    CHECK_EQ(len, 10);
    CHECK(memcmp(buf, "0123456789", 10) == 0); /* no refused write changed it */
  }
  WILD(OUT_REQ, 0, NtQueryInformationFile(h, W, buf, sizeof buf, FileStandardInformation));
  WILD(OUT_REQ, 0,
       NtQueryInformationFile(h, &iosb, W, sizeof(FILE_STANDARD_INFORMATION),
                              FileStandardInformation));
  WILD(OUT_REQ, 0,
       NtSetInformationFile(h, W, buf, sizeof(FILE_POSITION_INFORMATION), FilePositionInformation));
  WILD(IN_REQ, 0,
       NtSetInformationFile(h, &iosb, W, sizeof(FILE_END_OF_FILE_INFORMATION),
                            FileEndOfFileInformation));
  WILD(IN_REQ, 0,
       NtSetInformationFile(h, &iosb, W, sizeof(FILE_DISPOSITION_INFORMATION),
                            FileDispositionInformation));
  WILD(IN_REQ, 0, NtSetInformationFile(h, &iosb, W, 64, FileRenameInformation));
  CHECK(nt_exists(P(L"data.txt")));
  WILD(OUT_REQ, 0, NtFlushBuffersFile(h, W));
  WILD(OUT_REQ, 0,
       NtQueryVolumeInformationFile(h, W, buf, sizeof(FILE_FS_SIZE_INFORMATION),
                                    FileFsSizeInformation));
  WILD(OUT_REQ, 0,
       NtQueryVolumeInformationFile(h, &iosb, W, sizeof(FILE_FS_SIZE_INFORMATION),
                                    FileFsSizeInformation));
  {
    FILE_STANDARD_INFORMATION st;
    CHECK_OK(NtQueryInformationFile(h, &iosb, &st, sizeof st, FileStandardInformation));
    CHECK_EQ(st.EndOfFile.QuadPart, 10);
    CHECK_EQ(st.DeletePending, 0);
  }
  NtClose(h);

  /* Directory queries: the buffer, the IO_STATUS_BLOCK, the mask and the mask's characters. */
  CHECK_OK(nt_create(&h, nt_test_dir(), FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE,
                     FILE_SHARE_ALL, 0));
  static char dirbuf[1024];
  if (nt_is_wine()) {
    /* Wine 8 hangs on the next directory query after one into a bad buffer. */
    nt_note("skipped on Wine: wild directory-query buffers");
  } else {
    WILD(OUT_REQ, 0,
         NtQueryDirectoryFile(h, 0, 0, 0, &iosb, W, sizeof dirbuf, FileDirectoryInformation, FALSE,
                              0, TRUE));
    WILD(OUT_REQ, 0,
         NtQueryDirectoryFile(h, 0, 0, 0, W, dirbuf, sizeof dirbuf, FileDirectoryInformation, FALSE,
                              0, TRUE));
    WILD(IN_OPT, 0,
         NtQueryDirectoryFile(h, 0, 0, 0, &iosb, dirbuf, sizeof dirbuf, FileDirectoryInformation,
                              FALSE, W, TRUE));
    {
      UNICODE_STRING mask;
      WILD(IN_OPT, 0,
           (mask.Length = mask.MaximumLength = 8, mask.Buffer = W,
            NtQueryDirectoryFile(h, 0, 0, 0, &iosb, dirbuf, sizeof dirbuf, FileDirectoryInformation,
                                 FALSE, &mask, TRUE)));
    }
  }
  /* The directory handle still lists. */
  CHECK_OK(NtQueryDirectoryFile(h, 0, 0, 0, &iosb, dirbuf, sizeof dirbuf, FileDirectoryInformation,
                                FALSE, 0, TRUE));
  NtClose(h);
  CHECK(runtime_alive());
}

static void test_memory(void) {
  PVOID base = 0, p;
  SIZE_T size = 0x10000, ret;
  ULONG old;
  MEMORY_BASIC_INFORMATION mbi;

  nt_note("memory services");
  CHECK_OK(NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_RESERVE | MEM_COMMIT,
                                   PAGE_READWRITE));
  size = 0x1000;
  WILD(OUT_REQ, 0,
       NtAllocateVirtualMemory(NtCurrentProcess(), W, 0, &size, MEM_RESERVE | MEM_COMMIT,
                               PAGE_READWRITE));
  p = 0;
  WILD(OUT_REQ, 0,
       NtAllocateVirtualMemory(NtCurrentProcess(), &p, 0, W, MEM_RESERVE | MEM_COMMIT,
                               PAGE_READWRITE));
  CHECK(p == 0);
  size = 0;
  WILD(OUT_REQ, 0, NtFreeVirtualMemory(NtCurrentProcess(), W, &size, MEM_RELEASE));
  p = base;
  WILD(OUT_REQ, 0, NtFreeVirtualMemory(NtCurrentProcess(), &p, W, MEM_RELEASE));
  p = base;
  size = 0x1000;
  WILD(OUT_REQ, 0, NtProtectVirtualMemory(NtCurrentProcess(), W, &size, PAGE_READONLY, &old));
  WILD(OUT_REQ, 0, NtProtectVirtualMemory(NtCurrentProcess(), &p, W, PAGE_READONLY, &old));
  WILD(OUT_REQ, 0, NtProtectVirtualMemory(NtCurrentProcess(), &p, &size, PAGE_READONLY, W));
  WILD(OUT_REQ, 0,
       NtQueryVirtualMemory(NtCurrentProcess(), base, MemoryBasicInformation, W, sizeof mbi, &ret));
  WILD(OUT_OPT, 0,
       NtQueryVirtualMemory(NtCurrentProcess(), base, MemoryBasicInformation, &mbi, sizeof mbi, W));
  /* None of that freed or re-protected the region. */
  CHECK_OK(
      NtQueryVirtualMemory(NtCurrentProcess(), base, MemoryBasicInformation, &mbi, sizeof mbi, 0));
  CHECK_EQ(mbi.State, MEM_COMMIT);
  CHECK_EQ(mbi.Protect, PAGE_READWRITE);
  CHECK_EQ(mbi.RegionSize, 0x10000);
  if (mbi.Protect == PAGE_READWRITE) *(volatile int*)base = 1; /* else it would fault */
  p = base;
  size = 0;
  CHECK_OK(NtFreeVirtualMemory(NtCurrentProcess(), &p, &size, MEM_RELEASE));
  CHECK(runtime_alive());
}

static void test_sync(void) {
  HANDLE e = 0, hs[2];
  LARGE_INTEGER zero;
  LONG prev;
  zero.QuadPart = 0;

  nt_note("sync services");
  WILD(OUT_REQ, 0, NtCreateEvent(W, EVENT_ALL_ACCESS, 0, NotificationEvent, FALSE));
  WILD(IN_OPT, 0, NtCreateEvent(&e, EVENT_ALL_ACCESS, W, NotificationEvent, FALSE));
  CHECK_OK(NtCreateEvent(&e, EVENT_ALL_ACCESS, 0, NotificationEvent, FALSE));
  /* A refused NtSetEvent leaves the event alone. */
  WILD(OUT_OPT, 0, NtSetEvent(e, W));
  CHECK_STATUS(NtWaitForSingleObject(e, FALSE, &zero), STATUS_TIMEOUT);
  NtSetEvent(e, &prev);
  WILD(OUT_OPT, 0, NtResetEvent(e, W));
  CHECK_STATUS(NtWaitForSingleObject(e, FALSE, &zero), STATUS_WAIT_0);
  WILD(IN_OPT, 0, NtWaitForSingleObject(e, FALSE, W));
  hs[0] = e;
  hs[1] = e;
  WILD(IN_REQ, 0, NtWaitForMultipleObjects(1, W, WaitAny, FALSE, &zero));
  WILD(IN_OPT, 0, NtWaitForMultipleObjects(1, hs, WaitAny, FALSE, W));
  /* Wine takes a NULL interval as "forever"; Windows faults on it. */
  WILD(nt_is_wine() ? IN_OPT : IN_REQ, 0, NtDelayExecution(FALSE, W));
  CHECK_OK(NtClose(e));
  CHECK(runtime_alive());
}

static void test_system(void) {
  LARGE_INTEGER c;
  ULONG ret;
  char buf[128];

  nt_note("system and process services");
  WILD(OUT_REQ, 0, NtQuerySystemTime(W));
  WILD(OUT_REQ, 0, NtQueryPerformanceCounter(W, 0));
  WILD(OUT_OPT, 0, NtQueryPerformanceCounter(&c, W));
  WILD(OUT_REQ, 0,
       NtQuerySystemInformation(SystemBasicInformation, W, sizeof(SYSTEM_BASIC_INFORMATION), &ret));
  WILD(OUT_OPT, 0,
       NtQuerySystemInformation(SystemBasicInformation, buf, sizeof(SYSTEM_BASIC_INFORMATION), W));
  WILD(OUT_REQ, 0,
       NtQuerySystemInformation(SystemTimeOfDayInformation, W, sizeof(SYSTEM_TIMEOFDAY_INFORMATION),
                                &ret));
  WILD(OUT_REQ, 0,
       NtQuerySystemInformation(SystemProcessorInformation, W, sizeof(SYSTEM_PROCESSOR_INFORMATION),
                                &ret));
  WILD(OUT_REQ, 0,
       NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, W,
                                 sizeof(PROCESS_BASIC_INFORMATION), &ret));
  WILD(OUT_OPT, 0,
       NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, buf,
                                 sizeof(PROCESS_BASIC_INFORMATION), W));
  WILD(OUT_REQ, 0,
       NtQueryInformationProcess(NtCurrentProcess(), ProcessImageFileName, W, 1024, &ret));
  CHECK(runtime_alive());
}

void test_main(void) {
  nt_set_test_dir("nttest-badptr");
  CHECK_OK(nt_delete_tree(nt_test_dir()));
  CHECK_OK(nt_mkdir(nt_test_dir()));
  setup_wild();
  test_files();
  test_memory();
  test_sync();
  test_system();
  CHECK_OK(nt_delete_tree(nt_test_dir()));
}
