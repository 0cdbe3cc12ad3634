/* End-to-end check of process start as Windows code sees it: imports of every kind (by name, by
 * ordinal, through forwarders to a name and to an ordinal), DLL initialisation and TLS callbacks
 * before the entry point, the TLS block, TEB, PEB, PEB.Ldr, process parameters and
 * KUSER_SHARED_DATA. Run as `loader_test.exe` with ldrtest_lib.dll and ldrtest_fwd.dll next to
 * it; prints one line per check and `N passed, N failed`. */
#include "nttest.h"
#include "tls_directory.h"

__declspec(dllimport) int lib_add(int a, int b);
__declspec(dllimport) int lib_secret(void);
__declspec(dllimport) int lib_forwarded(int x);
__declspec(dllimport) int lib_forwarded_ord(int x);
__declspec(dllimport) int lib_indirect(int i, int a, int b);
__declspec(dllimport) uint32_t lib_attach_reason(void);
__declspec(dllimport) uint32_t lib_attach_count(void);
__declspec(dllimport) void* lib_attach_handle(void);
__declspec(dllimport) void* lib_attach_reserved(void);

extern char __ImageBase; /* the linker's symbol for this image's base */

__attribute__((noreturn)) void nttest_start(PEB* peb);

/* ---- raw structure access (x64 offsets, as in ntcore/include/ireactor/win) ---------- */

#define AT(type, base, off) (*(type*)((char*)(base) + (off)))

static char* teb(void) {
  char* t;
  __asm__ volatile("movq %%gs:0x30, %0" : "=r"(t));
  return t;
}

static int ends_with_i(const UNICODE_STRING* us, const WCHAR* suffix) {
  size_t n = nt_wcslen(suffix), len = us->Length / 2;
  return us->Buffer && len >= n && nt_wcsnicmp(us->Buffer + len - n, suffix, n) == 0;
}

/* ---- what happened before the entry point ----------------------------------------------- */

static PEB* entry_peb;
static uint32_t callbacks_seen, callback_order[4], callback_reason;
static void* callback_handle;
static uint32_t dll_attached_before_callback;
static int tls_value_in_callback;

TLS_VAR int tls_counter = 1234;
TLS_VAR int tls_zero[4]; /* zero fill */

static void first_callback(void* h, uint32_t reason, void* reserved) {
  if (callbacks_seen < 4) callback_order[callbacks_seen] = 1;
  callbacks_seen++;
  callback_handle = h;
  callback_reason = reason;
  dll_attached_before_callback = lib_attach_count();
  tls_value_in_callback = TLS_REF(int, tls_counter);
  TLS_REF(int, tls_counter) = 5678;
}
static void second_callback(void* h, uint32_t reason, void* reserved) {
  if (callbacks_seen < 4) callback_order[callbacks_seen] = 2;
  callbacks_seen++;
}
TLS_CALLBACK(B, first_callback);
TLS_CALLBACK(C, second_callback);

/* The image entry point: Windows passes the PEB in rcx. */
__attribute__((noreturn)) void loader_test_entry(PEB* peb) {
  entry_peb = peb;
  nttest_start(peb);
}

/* ---- checks ----------------------------------------------------------------------------- */

static void test_imports(void) {
  CHECK_EQ(lib_add(2, 3), 5);
  CHECK_EQ(lib_secret(), 0x5EC2E7);
  CHECK_EQ(lib_forwarded(4), 13);
  CHECK_EQ(lib_forwarded_ord(105), 5);
  CHECK_EQ(lib_indirect(0, 7, 2), 9);
  CHECK_EQ(lib_indirect(1, 7, 2), 5);
}

static void test_initialisation(void) {
  CHECK_EQ(lib_attach_reason(), 1); /* DLL_PROCESS_ATTACH */
  CHECK_EQ(lib_attach_count(), 1);
  CHECK(lib_attach_reserved() != 0); /* non-NULL for a static import */
  CHECK_EQ(callbacks_seen, 2);
  CHECK_EQ(callback_order[0], 1);
  CHECK_EQ(callback_order[1], 2);
  CHECK_EQ(callback_reason, 1);
  CHECK(callback_handle == &__ImageBase);
  CHECK_EQ(dll_attached_before_callback, 1);
  CHECK(entry_peb == nt_peb());
}

static void test_tls(void) {
  CHECK(_tls_index != 0xDEAD);
  CHECK(AT(void*, teb(), 0x58) != 0);
  CHECK_EQ(tls_value_in_callback, 1234);
  CHECK_EQ(TLS_REF(int, tls_counter), 5678); /* the callback's write, same thread */
  CHECK_EQ(tls_counter, 1234);               /* the template is untouched */
  CHECK_EQ(TLS_REF(int, tls_zero[3]), 0);
}

static void test_teb(void) {
  char* t = teb();
  char local;
  uint64_t rsp = (uint64_t)&local;
  uint64_t stack_base = AT(uint64_t, t, 0x8), stack_limit = AT(uint64_t, t, 0x10);
  CHECK(AT(char*, t, 0x30) == t);
  CHECK(AT(PEB*, t, 0x60) == nt_peb());
  CHECK(stack_limit < rsp && rsp < stack_base);
  CHECK(stack_base - stack_limit >= 0x100000);
  CHECK(AT(uint64_t, t, 0x1478) <= stack_limit); /* DeallocationStack */
  CHECK(AT(uint64_t, t, 0x40) != 0);             /* ClientId.UniqueProcess */
  CHECK(AT(uint64_t, t, 0x48) != 0);             /* ClientId.UniqueThread */
}

static void test_peb(void) {
  PEB* peb = nt_peb();
  CHECK(peb->ImageBaseAddress == &__ImageBase);
  CHECK_EQ(peb->OSMajorVersion, 10);
  CHECK_EQ(peb->OSMinorVersion, 0);
  CHECK(peb->OSBuildNumber == 19045 || peb->OSBuildNumber == 22621);
  CHECK_EQ(peb->OSPlatformId, 2);
  CHECK(AT(ULONG, peb, 0xB8) >= 1);   /* NumberOfProcessors */
  CHECK_EQ(AT(ULONG, peb, 0x128), 3); /* ImageSubsystem: console */
}

static void test_process_parameters(void) {
  RTL_USER_PROCESS_PARAMETERS* pp = nt_peb()->ProcessParameters;
  CHECK(pp != 0);
  if (!pp) return;
  CHECK(pp->Flags & 1); /* normalized */
  CHECK(ends_with_i(&pp->ImagePathName, L"\\loader_test.exe"));
  CHECK(pp->CommandLine.Length > 0);
  const WCHAR* cwd = pp->CurrentDirectory.DosPath.Buffer;
  size_t cwd_len = pp->CurrentDirectory.DosPath.Length / 2;
  CHECK(cwd && cwd_len >= 3 && cwd[1] == ':' && cwd[2] == '\\' && cwd[cwd_len - 1] == '\\');
  CHECK(pp->StandardOutput != 0);
  /* The environment block ends with an empty string, and EnvironmentSize counts it all. */
  const WCHAR* env = pp->Environment;
  CHECK(env != 0);
  if (env) {
    size_t i = 0; /* to the NUL that ends the list: one right after a string's NUL */
    while (env[i] != 0 || (i > 0 && env[i - 1] != 0)) i++;
    if (i == 0)
      CHECK(AT(uint64_t, pp, 0x3F0) >= 2); /* an empty environment */
    else
      CHECK_EQ(AT(uint64_t, pp, 0x3F0), (i + 1) * 2);
  }
}

static int ldr_has(uint64_t head, uint32_t link_offset, const WCHAR* name, uint64_t* base) {
  for (uint64_t link = AT(uint64_t, head, 0); link != head; link = AT(uint64_t, link, 0)) {
    char* entry = (char*)link - link_offset;
    if (nt_ustr_ieq(AT(UNICODE_STRING, entry, 0x58).Buffer, AT(UNICODE_STRING, entry, 0x58).Length,
                    name)) {
      if (base) *base = AT(uint64_t, entry, 0x30);
      return 1;
    }
  }
  return 0;
}

static void test_ldr(void) {
  char* ldr = nt_peb()->Ldr;
  CHECK(ldr != 0);
  if (!ldr) return;
  CHECK_EQ(AT(ULONG, ldr, 0), 0x58);
  CHECK_EQ(AT(UCHAR, ldr, 4), 1);
  uint64_t load_head = (uint64_t)ldr + 0x10, init_head = (uint64_t)ldr + 0x30;
  char* first = (char*)AT(uint64_t, ldr, 0x10);
  CHECK(AT(void*, first, 0x30) == &__ImageBase); /* the executable comes first */
  CHECK(ends_with_i(&AT(UNICODE_STRING, first, 0x48), L"\\loader_test.exe"));
  uint64_t lib_base = 0;
  CHECK(ldr_has(load_head, 0, L"ntdll.dll", 0));
  CHECK(ldr_has(load_head, 0, L"ldrtest_lib.dll", &lib_base));
  CHECK(ldr_has(load_head, 0, L"ldrtest_fwd.dll", 0));
  CHECK(lib_base != 0 && (void*)lib_base == lib_attach_handle());
  CHECK(ldr_has(init_head, 0x20, L"ldrtest_lib.dll", 0));
  CHECK(!ldr_has(init_head, 0x20, L"loader_test.exe", 0));
}

static void test_shared_user_data(void) {
  CHECK_EQ(KUSD_READ(ULONG, KUSD_NT_MAJOR_VERSION), 10);
  CHECK_EQ(KUSD_READ(ULONG, KUSD_NT_MINOR_VERSION), 0);
  CHECK_EQ(KUSD_READ(ULONG, KUSD_NT_BUILD_NUMBER) & 0xFFFF, nt_peb()->OSBuildNumber);
  CHECK_EQ(KUSD_READ(USHORT, 0x2C), 0x8664); /* ImageNumberLow */
  CHECK(nt_wcsnicmp((const WCHAR*)(KUSER_SHARED_DATA_ADDRESS + KUSD_NT_SYSTEM_ROOT), L"C:\\Windows",
                    11) == 0);
  CHECK(kusd_read_time(KUSD_SYSTEM_TIME) > 132223104000000000LL); /* after 2020-01-01 */
  LONGLONG t0 = kusd_read_time(KUSD_INTERRUPT_TIME), t1 = t0;
  for (uint64_t spin = 0; t1 == t0 && spin < 2000000000ull; spin++) {
    __asm__ volatile("pause");
    t1 = kusd_read_time(KUSD_INTERRUPT_TIME);
  }
  CHECK(t1 > t0); /* live: the interrupt time moves */
  /* TickCount (0x320) * TickCountMultiplier (0x4) >> 24 is milliseconds of interrupt time. */
  uint64_t ticks = (uint64_t)kusd_read_time(0x320);
  uint64_t ms = (ticks * KUSD_READ(ULONG, 0x4)) >> 24;
  uint64_t interrupt_ms = (uint64_t)kusd_read_time(KUSD_INTERRUPT_TIME) / 10000;
  CHECK(ms <= interrupt_ms + 100 && interrupt_ms <= ms + 1000);
}

static void test_memory_records(void) {
  MEMORY_BASIC_INFORMATION mbi;
  SIZE_T got = 0;
  CHECK_OK(NtQueryVirtualMemory(NtCurrentProcess(), (PVOID)KUSER_SHARED_DATA_ADDRESS,
                                MemoryBasicInformation, &mbi, sizeof mbi, &got));
  CHECK_EQ(mbi.Protect, PAGE_READONLY);
  CHECK_EQ(mbi.State, MEM_COMMIT);
  /* The entry point's code: an image page, executable and read-only. */
  CHECK_OK(NtQueryVirtualMemory(NtCurrentProcess(), (PVOID)loader_test_entry,
                                MemoryBasicInformation, &mbi, sizeof mbi, &got));
  CHECK_EQ(mbi.Type, MEM_IMAGE);
  CHECK_EQ(mbi.Protect, PAGE_EXECUTE_READ);
  CHECK(mbi.AllocationBase == &__ImageBase);
  CHECK_OK(NtQueryVirtualMemory(NtCurrentProcess(), &__ImageBase, MemoryBasicInformation, &mbi,
                                sizeof mbi, &got));
  CHECK_EQ(mbi.Protect, PAGE_READONLY); /* the headers */
  char local;
  CHECK_OK(NtQueryVirtualMemory(NtCurrentProcess(), &local, MemoryBasicInformation, &mbi,
                                sizeof mbi, &got));
  CHECK_EQ(mbi.Type, MEM_PRIVATE);
  CHECK_EQ(mbi.Protect, PAGE_READWRITE);
}

void test_main(void) {
  test_imports();
  test_initialisation();
  test_tls();
  test_teb();
  test_peb();
  test_process_parameters();
  test_ldr();
  test_shared_user_data();
  test_memory_records();
}
