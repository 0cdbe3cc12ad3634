/* NT system calls issued with the `syscall` instruction from this image itself, without ntdll:
 * the image imports nothing. Numbers are those of the Windows build the process runs as (read
 * from KUSER_SHARED_DATA.NtBuildNumber), taken from the public x64 system call table
 * (ntcore/ntdll/syscalls/<build>.tsv). The output of this program travels the same way. */
#include "nttest.h"

/* mov r10, rcx; mov eax, <number>; syscall; ret -- the shape of an ntdll stub, with the number
 * from a variable so one stub serves every service. */
__asm__(
    ".text\n"
    ".globl raw_syscall\n"
    "raw_syscall:\n"
    "  movq %rcx, %r10\n"
    "  movl raw_number(%rip), %eax\n"
    "  syscall\n"
    "  ret\n");
extern char raw_syscall[];
ULONG raw_number;

typedef struct {
  const char* name;
  USHORT n19045, n22621;
} SyscallNumber;

/* From the public table (windows-syscalls, x64 nt.csv): Windows 10 22H2 and Windows 11 22H2. */
static const SyscallNumber table[] = {
    {"NtWriteFile", 0x0008, 0x0008},
    {"NtClose", 0x000f, 0x000f},
    {"NtSetEvent", 0x000e, 0x000e},
    {"NtWaitForSingleObject", 0x0004, 0x0004},
    {"NtAllocateVirtualMemory", 0x0018, 0x0018},
    {"NtFreeVirtualMemory", 0x001e, 0x001e},
    {"NtQueryVirtualMemory", 0x0023, 0x0023},
    {"NtTerminateProcess", 0x002c, 0x002c},
    {"NtQueryPerformanceCounter", 0x0031, 0x0031},
    {"NtCreateEvent", 0x0048, 0x0048},
    {"NtQuerySystemTime", 0x005a, 0x005a},
    {"NtResetEvent", 0x017a, 0x0185},
    {"NtQueryFullAttributesFile", 0x0147, 0x014f},
};

static ULONG build;

static ULONG number_of(const char* name) {
  for (unsigned i = 0; i < sizeof table / sizeof table[0]; i++)
    if (nt_strcmp(table[i].name, name) == 0)
      return build == 22621 ? table[i].n22621 : table[i].n19045;
  return 0xffff;
}

/* Typed views of the stub, one per signature. */
#define RAW(name, ret, params) ((ret(*) params)(void*)(raw_number = number_of(#name), raw_syscall))

static NTSTATUS raw_write_stdout(const char* buf, ULONG len) {
  IO_STATUS_BLOCK iosb;
  HANDLE out = nt_peb()->ProcessParameters->StandardOutput;
  return RAW(NtWriteFile, NTSTATUS,
             (HANDLE, HANDLE, PVOID, PVOID, PIO_STATUS_BLOCK, const void*, ULONG, PLARGE_INTEGER,
              PULONG))(out, 0, 0, 0, &iosb, buf, len, 0, 0);
}

static void raw_terminate(NTSTATUS status) {
  RAW(NtTerminateProcess, NTSTATUS, (HANDLE, NTSTATUS))(NtCurrentProcess(), status);
}

static void test_raw(void) {
  ULONG_PTR image = (ULONG_PTR)nt_peb()->ImageBaseAddress;
  nt_note("raw system calls for Windows build %u", build);
  if (build != 19045 && build != 22621)
    nt_note("build %u not in this program's table: using 10.0.19045 numbers", build);

  /* This image imports no DLL: nothing here goes through ntdll. */
  {
    const unsigned char* nt = (const unsigned char*)image + *(const LONG*)(image + 0x3c);
    ULONG rva = *(const ULONG*)(nt + 0x90); /* DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT] */
    /* ld writes an import directory holding only the terminating descriptor; its Name is 0. */
    ULONG first_name = rva ? *(const ULONG*)(image + rva + 12) : 0;
    CHECK_EQ(first_name, 0);
  }

  /* NtWriteFile: nine arguments, five of them on the stack. */
  {
    IO_STATUS_BLOCK iosb;
    static const char line[] = "# hello through a raw NtWriteFile\n";
    iosb.Information = 0;
    CHECK_OK(RAW(NtWriteFile, NTSTATUS,
                 (HANDLE, HANDLE, PVOID, PVOID, PIO_STATUS_BLOCK, const void*, ULONG,
                  PLARGE_INTEGER, PULONG))(nt_peb()->ProcessParameters->StandardOutput, 0, 0, 0,
                                           &iosb, line, sizeof line - 1, 0, 0));
    CHECK_EQ(iosb.Information, sizeof line - 1);
  }

  /* Time and the counter. */
  {
    LARGE_INTEGER t, c, f;
    t.QuadPart = 0;
    CHECK_OK(RAW(NtQuerySystemTime, NTSTATUS, (PLARGE_INTEGER))(&t));
    LONGLONG d = t.QuadPart - kusd_read_time(KUSD_SYSTEM_TIME);
    CHECK(d > -20000000LL && d < 20000000LL);
    CHECK(t.QuadPart > 132223104000000000LL);
    CHECK_OK(RAW(NtQueryPerformanceCounter, NTSTATUS, (PLARGE_INTEGER, PLARGE_INTEGER))(&c, &f));
    CHECK(f.QuadPart > 0 && c.QuadPart > 0);
    /* A bad pointer through the raw path is refused too, and we carry on. */
    CHECK_STATUS(
        RAW(NtQuerySystemTime, NTSTATUS, (PLARGE_INTEGER))((PLARGE_INTEGER)0xffff800000000000ull),
        STATUS_ACCESS_VIOLATION);
  }

  /* Events, including NtResetEvent whose number differs between the two builds. */
  {
    HANDLE e = 0;
    LONG prev = 9;
    LARGE_INTEGER zero;
    zero.QuadPart = 0;
    CHECK_OK(RAW(NtCreateEvent, NTSTATUS,
                 (PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, EVENT_TYPE, BOOLEAN))(
        &e, EVENT_ALL_ACCESS, 0, NotificationEvent, FALSE));
    CHECK_OK(RAW(NtSetEvent, NTSTATUS, (HANDLE, PLONG))(e, &prev));
    CHECK_EQ(prev, 0);
    CHECK_OK(RAW(NtResetEvent, NTSTATUS, (HANDLE, PLONG))(e, &prev));
    CHECK_EQ(prev, 1);
    CHECK_STATUS(
        RAW(NtWaitForSingleObject, NTSTATUS, (HANDLE, BOOLEAN, PLARGE_INTEGER))(e, FALSE, &zero),
        STATUS_TIMEOUT);
    CHECK_OK(RAW(NtClose, NTSTATUS, (HANDLE))(e));
    CHECK_STATUS(RAW(NtClose, NTSTATUS, (HANDLE))(e), STATUS_INVALID_HANDLE);
  }

  /* Memory: six arguments, two on the stack. */
  {
    PVOID p = 0;
    SIZE_T size = 0x10000;
    MEMORY_BASIC_INFORMATION mbi;
    CHECK_OK(
        RAW(NtAllocateVirtualMemory, NTSTATUS, (HANDLE, PVOID*, ULONG_PTR, PSIZE_T, ULONG, ULONG))(
            NtCurrentProcess(), &p, 0, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));
    CHECK(p != 0);
    if (p) {
      ((volatile char*)p)[0x1234] = 42;
      CHECK_EQ(((volatile char*)p)[0x1234], 42);
    }
    CHECK_OK(RAW(NtQueryVirtualMemory, NTSTATUS,
                 (HANDLE, PVOID, MEMORY_INFORMATION_CLASS, PVOID, SIZE_T, PSIZE_T))(
        NtCurrentProcess(), p, MemoryBasicInformation, &mbi, sizeof mbi, 0));
    CHECK_EQ(mbi.State, MEM_COMMIT);
    size = 0;
    CHECK_OK(RAW(NtFreeVirtualMemory, NTSTATUS, (HANDLE, PVOID*, PSIZE_T, ULONG))(
        NtCurrentProcess(), &p, &size, MEM_RELEASE));
    CHECK_EQ(size, 0x10000);
  }

  /* A file service whose number differs between the builds. */
  {
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa;
    FILE_NETWORK_OPEN_INFORMATION info;
    static const WCHAR root[] = L"\\??\\C:\\";
    us.Buffer = (WCHAR*)root;
    us.Length = sizeof root - 2;
    us.MaximumLength = sizeof root;
    memset(&oa, 0, sizeof oa);
    oa.Length = sizeof oa;
    oa.ObjectName = &us;
    oa.Attributes = OBJ_CASE_INSENSITIVE;
    CHECK_OK(RAW(NtQueryFullAttributesFile, NTSTATUS,
                 (POBJECT_ATTRIBUTES, FILE_NETWORK_OPEN_INFORMATION*))(&oa, &info));
    CHECK_EQ(info.FileAttributes & FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_DIRECTORY);
  }

  /* Numbers no build has. */
  {
    ULONG bogus[] = {0x0fff, 0x0800};
    for (unsigned i = 0; i < 2; i++) {
      raw_number = bogus[i];
      NTSTATUS s =
          ((NTSTATUS(*)(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR))(void*)raw_syscall)(1, 2, 3, 4);
      char label[64];
      nt_snprintf(label, sizeof label, "raw syscall 0x%x", bogus[i]);
      nt_check_status(__FILE__, __LINE__, label, s, STATUS_INVALID_SYSTEM_SERVICE);
    }
  }
}

/* The entry point (-e raw_start). */
__attribute__((noreturn)) void raw_start(PEB* peb) {
  (void)peb;
  build = KUSD_READ(ULONG, KUSD_NT_BUILD_NUMBER) & 0xffff;
  nt_output_hook = raw_write_stdout;
  nt_exit_hook = raw_terminate;
  test_raw();
  nt_finish();
}

void test_main(void) {}
