/* Virtual memory services: reserve, commit, decommit, release, protect and query, with the
 * statuses Windows gives for each misuse. */
#include "nttest.h"

#define PAGE 0x1000ull
#define GRANULE 0x10000ull

static NTSTATUS alloc(PVOID* base, SIZE_T* size, ULONG type, ULONG protect) {
  return NtAllocateVirtualMemory(NtCurrentProcess(), base, 0, size, type, protect);
}

static NTSTATUS release(PVOID base) {
  SIZE_T size = 0;
  return NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, MEM_RELEASE);
}

static NTSTATUS query(PVOID addr, MEMORY_BASIC_INFORMATION* mbi) {
  SIZE_T ret = 0;
  memset(mbi, 0xcc, sizeof *mbi);
  NTSTATUS s = NtQueryVirtualMemory(NtCurrentProcess(), addr, MemoryBasicInformation, mbi,
                                    sizeof *mbi, &ret);
  if (NT_SUCCESS(s) && ret != sizeof *mbi) return STATUS_UNSUCCESSFUL;
  return s;
}

static void test_commit_and_query(void) {
  MEMORY_BASIC_INFORMATION mbi;
  PVOID base = 0;
  SIZE_T size = 0x10000;

  nt_note("reserve + commit, write, query");
  CHECK_OK(alloc(&base, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));
  CHECK(base != 0);
  CHECK_EQ((ULONG_PTR)base % GRANULE, 0);
  CHECK_EQ(size, 0x10000);
  {
    volatile unsigned char* p = base;
    int zero = 1;
    for (SIZE_T i = 0; i < size; i += 512) zero &= p[i] == 0;
    CHECK(zero); /* fresh commits read as zero */
    for (SIZE_T i = 0; i < size; i++) p[i] = (unsigned char)i;
    int same = 1;
    for (SIZE_T i = 0; i < size; i++) same &= p[i] == (unsigned char)i;
    CHECK(same);
  }
  CHECK_OK(query((char*)base + 0x1234, &mbi));
  CHECK_EQ(mbi.BaseAddress, (char*)base + 0x1000);
  CHECK_EQ(mbi.AllocationBase, base);
  CHECK_EQ(mbi.AllocationProtect, PAGE_READWRITE);
  CHECK_EQ(mbi.RegionSize, 0xf000);
  CHECK_EQ(mbi.State, MEM_COMMIT);
  CHECK_EQ(mbi.Protect, PAGE_READWRITE);
  CHECK_EQ(mbi.Type, MEM_PRIVATE);
  CHECK_OK(release(base));

  /* Sizes round up to whole pages. */
  base = 0;
  size = 1;
  CHECK_OK(alloc(&base, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));
  CHECK_EQ(size, PAGE);
  CHECK_OK(query(base, &mbi));
  CHECK_EQ(mbi.RegionSize, PAGE);
  CHECK_OK(release(base));

  /* Top-down allocations come from high addresses. */
  PVOID low = 0, high = 0;
  size = 0x10000;
  CHECK_OK(alloc(&low, &size, MEM_RESERVE, PAGE_READWRITE));
  size = 0x10000;
  CHECK_OK(alloc(&high, &size, MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE));
  CHECK((ULONG_PTR)high > (ULONG_PTR)low);
  CHECK((ULONG_PTR)high < 0x800000000000ull);
  release(low);
  release(high);

  /* The stack and the image. */
  volatile int local = 1;
  CHECK_OK(query((PVOID)&local, &mbi));
  CHECK_EQ(mbi.State, MEM_COMMIT);
  CHECK_EQ(mbi.Protect, PAGE_READWRITE);
  CHECK_EQ(mbi.Type, MEM_PRIVATE);
  PVOID image = nt_peb()->ImageBaseAddress;
  CHECK_OK(query(image, &mbi));
  CHECK_EQ(mbi.AllocationBase, image);
  CHECK_EQ(mbi.State, MEM_COMMIT);
  CHECK_EQ(mbi.Type, MEM_IMAGE);
  CHECK_EQ(mbi.Protect, PAGE_READONLY); /* the headers */
  CHECK_OK(query((PVOID)test_commit_and_query, &mbi));
  CHECK_EQ(mbi.AllocationBase, image);
  CHECK_EQ(mbi.Protect, PAGE_EXECUTE_READ);
  CHECK_EQ(mbi.Type, MEM_IMAGE);
}

static void test_reserve_then_commit(void) {
  MEMORY_BASIC_INFORMATION mbi;
  PVOID base = 0, p;
  SIZE_T size = 0x100000;

  nt_note("reserve, commit parts, decommit, release");
  CHECK_OK(alloc(&base, &size, MEM_RESERVE, PAGE_READWRITE));
  CHECK_EQ(size, 0x100000);
  CHECK_OK(query(base, &mbi));
  CHECK_EQ(mbi.State, MEM_RESERVE);
  CHECK_EQ(mbi.Protect, 0);
  CHECK_EQ(mbi.AllocationProtect, PAGE_READWRITE);
  CHECK_EQ(mbi.RegionSize, 0x100000);
  CHECK_EQ(mbi.Type, MEM_PRIVATE);

  /* Commit one page in the middle; an unaligned request covers the pages it touches. */
  p = (char*)base + 0x3100;
  size = 0x100;
  CHECK_OK(alloc(&p, &size, MEM_COMMIT, PAGE_READWRITE));
  CHECK_EQ(p, (char*)base + 0x3000);
  CHECK_EQ(size, PAGE);
  *(volatile int*)p = 42;
  CHECK_OK(query(base, &mbi));
  CHECK_EQ(mbi.State, MEM_RESERVE);
  CHECK_EQ(mbi.RegionSize, 0x3000);
  CHECK_OK(query((char*)base + 0x3000, &mbi));
  CHECK_EQ(mbi.State, MEM_COMMIT);
  CHECK_EQ(mbi.RegionSize, PAGE);
  CHECK_EQ(mbi.AllocationBase, base);
  CHECK_OK(query((char*)base + 0x4000, &mbi));
  CHECK_EQ(mbi.State, MEM_RESERVE);
  CHECK_EQ(mbi.RegionSize, 0x100000 - 0x4000);

  /* Committing again is fine and keeps the contents. */
  p = (char*)base + 0x3000;
  size = PAGE;
  CHECK_OK(alloc(&p, &size, MEM_COMMIT, PAGE_READWRITE));
  CHECK_EQ(*(volatile int*)p, 42);

  /* Reserving what is reserved; committing beyond the reservation; committing free memory. */
  p = base;
  size = 0x10000;
  CHECK_STATUS(alloc(&p, &size, MEM_RESERVE, PAGE_READWRITE), STATUS_CONFLICTING_ADDRESSES);
  p = (char*)base + 0xff000;
  size = 0x2000;
  CHECK_STATUS(alloc(&p, &size, MEM_COMMIT, PAGE_READWRITE), STATUS_CONFLICTING_ADDRESSES);

  /* Decommit: the page goes back to reserved and reads zero when committed again. */
  p = (char*)base + 0x3000;
  size = PAGE;
  CHECK_OK(NtFreeVirtualMemory(NtCurrentProcess(), &p, &size, MEM_DECOMMIT));
  CHECK_EQ(p, (char*)base + 0x3000);
  CHECK_EQ(size, PAGE);
  CHECK_OK(query(p, &mbi));
  CHECK_EQ(mbi.State, MEM_RESERVE);
  size = PAGE;
  CHECK_OK(alloc(&p, &size, MEM_COMMIT, PAGE_READWRITE));
  CHECK_EQ(*(volatile int*)p, 0);
  /* Decommitting reserved-only pages is not an error. */
  p = (char*)base + 0x8000;
  size = 0x2000;
  CHECK_OK(NtFreeVirtualMemory(NtCurrentProcess(), &p, &size, MEM_DECOMMIT));

  /* Release: only at the base, only with size 0, reports the whole region. */
  p = (char*)base + 0x1000;
  size = 0;
  CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &p, &size, MEM_RELEASE),
               STATUS_FREE_VM_NOT_AT_BASE);
  p = base;
  size = 0;
  CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &p, &size, MEM_RELEASE | MEM_DECOMMIT),
               STATUS_INVALID_PARAMETER_4);
  CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &p, &size, 0), STATUS_INVALID_PARAMETER_4);
  CHECK_OK(NtFreeVirtualMemory(NtCurrentProcess(), &p, &size, MEM_RELEASE));
  CHECK_EQ(p, base);
  CHECK_EQ(size, 0x100000);

  /* Freed memory. */
  CHECK_OK(query(base, &mbi));
  CHECK_EQ(mbi.State, MEM_FREE);
  CHECK_EQ(mbi.Protect, PAGE_NOACCESS);
  CHECK_EQ(mbi.AllocationBase, 0);
  CHECK_EQ(mbi.AllocationProtect, 0);
  CHECK_EQ(mbi.Type, 0);
  CHECK(mbi.RegionSize >= 0x100000);
  p = base;
  size = 0;
  CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &p, &size, MEM_RELEASE),
               STATUS_MEMORY_NOT_ALLOCATED);
  p = base;
  size = PAGE;
  CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &p, &size, MEM_DECOMMIT),
               STATUS_MEMORY_NOT_ALLOCATED);
  p = base;
  size = PAGE;
  CHECK_STATUS(alloc(&p, &size, MEM_COMMIT, PAGE_READWRITE), STATUS_CONFLICTING_ADDRESSES);

  /* A reservation at a chosen (free) address lands there, rounded down to 64 KiB. */
  p = (char*)base + 0x2345;
  size = 0x10000;
  CHECK_OK(alloc(&p, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));
  CHECK_EQ(p, base);
  CHECK_EQ(size, 0x10000 + 0x3000); /* the pages from the rounded base to the requested end */
  release(p);
}

static void test_protect(void) {
  MEMORY_BASIC_INFORMATION mbi;
  PVOID base = 0, p;
  SIZE_T size = 0x10000;
  ULONG old = 0;

  nt_note("protect");
  CHECK_OK(alloc(&base, &size, MEM_RESERVE, PAGE_READWRITE));
  p = base;
  size = 0x4000;
  CHECK_OK(alloc(&p, &size, MEM_COMMIT, PAGE_READWRITE));
  *(volatile int*)base = 7;

  p = (char*)base + 0x1000;
  size = 0x1000;
  CHECK_OK(NtProtectVirtualMemory(NtCurrentProcess(), &p, &size, PAGE_READONLY, &old));
  CHECK_EQ(old, PAGE_READWRITE);
  CHECK_EQ(p, (char*)base + 0x1000);
  CHECK_EQ(size, PAGE);
  CHECK_OK(query(p, &mbi));
  CHECK_EQ(mbi.Protect, PAGE_READONLY);
  CHECK_EQ(mbi.RegionSize, PAGE);
  CHECK_EQ(mbi.AllocationProtect, PAGE_READWRITE);
  CHECK_OK(query(base, &mbi));
  CHECK_EQ(mbi.Protect, PAGE_READWRITE);
  CHECK_EQ(mbi.RegionSize, PAGE);
  CHECK_EQ(*(volatile int*)((char*)base + 0x1000), 0); /* readable */

  /* Unaligned: all touched pages; OldProtect is that of the first page. */
  p = (char*)base + 0x0ff0;
  size = 0x20;
  CHECK_OK(NtProtectVirtualMemory(NtCurrentProcess(), &p, &size, PAGE_NOACCESS, &old));
  CHECK_EQ(old, PAGE_READWRITE);
  CHECK_EQ(p, base);
  CHECK_EQ(size, 0x2000);
  CHECK_OK(query(base, &mbi));
  CHECK_EQ(mbi.Protect, PAGE_NOACCESS);
  CHECK_EQ(mbi.RegionSize, 0x2000);
  p = base;
  size = 0x2000;
  CHECK_OK(NtProtectVirtualMemory(NtCurrentProcess(), &p, &size, PAGE_READWRITE, &old));
  CHECK_EQ(old, PAGE_NOACCESS);
  CHECK_EQ(*(volatile int*)base, 7);

  /* Executable memory runs: mov eax, 42; ret. */
  {
    static const unsigned char code[] = {0xb8, 42, 0, 0, 0, 0xc3};
    unsigned char* c = (unsigned char*)base + 0x2000;
    memcpy(c, code, sizeof code);
    p = c;
    size = PAGE;
    CHECK_OK(NtProtectVirtualMemory(NtCurrentProcess(), &p, &size, PAGE_EXECUTE_READ, &old));
    CHECK_EQ(old, PAGE_READWRITE);
    int (*fn)(void) = (int (*)(void))(void*)c;
    CHECK_EQ(fn(), 42);
    CHECK_OK(query(c, &mbi));
    CHECK_EQ(mbi.Protect, PAGE_EXECUTE_READ);
  }

  /* Reserved, free, and invalid protections. */
  p = (char*)base + 0x8000;
  size = PAGE;
  CHECK_STATUS(NtProtectVirtualMemory(NtCurrentProcess(), &p, &size, PAGE_READONLY, &old),
               STATUS_NOT_COMMITTED);
  p = (char*)base + 0x3000; /* committed page followed by reserved ones */
  size = 0x2000;
  CHECK_STATUS(NtProtectVirtualMemory(NtCurrentProcess(), &p, &size, PAGE_READONLY, &old),
               STATUS_NOT_COMMITTED);
  p = base;
  size = PAGE;
  CHECK_STATUS(NtProtectVirtualMemory(NtCurrentProcess(), &p, &size, 0, &old),
               STATUS_INVALID_PAGE_PROTECTION);
  CHECK_STATUS(NtProtectVirtualMemory(NtCurrentProcess(), &p, &size, PAGE_READONLY | 0x3, &old),
               STATUS_INVALID_PAGE_PROTECTION);
  CHECK_OK(query(base, &mbi));
  CHECK_EQ(mbi.Protect, PAGE_READWRITE);
  release(base);
  p = base;
  size = PAGE;
  CHECK_STATUS(NtProtectVirtualMemory(NtCurrentProcess(), &p, &size, PAGE_READONLY, &old),
               STATUS_CONFLICTING_ADDRESSES);
}

static void test_invalid(void) {
  MEMORY_BASIC_INFORMATION mbi;
  PVOID p = 0;
  SIZE_T size = 0x1000, ret = 0;

  nt_note("invalid arguments");
  CHECK_STATUS(alloc(&p, &size, 0, PAGE_READWRITE), STATUS_INVALID_PARAMETER_5);
  size = 0x1000;
  CHECK_STATUS(alloc(&p, &size, MEM_DECOMMIT, PAGE_READWRITE), STATUS_INVALID_PARAMETER_5);
  size = 0x1000;
  CHECK_STATUS(alloc(&p, &size, MEM_RESERVE | MEM_COMMIT, 0), STATUS_INVALID_PAGE_PROTECTION);
  size = 0x1000;
  CHECK_STATUS(alloc(&p, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE | PAGE_READONLY),
               STATUS_INVALID_PAGE_PROTECTION);
  size = 0;
  CHECK_STATUS(alloc(&p, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE),
               STATUS_INVALID_PARAMETER_4);
  CHECK(p == 0);
  size = 0x1000;
  p = 0;
  CHECK_STATUS(NtAllocateVirtualMemory((HANDLE)0x1234, &p, 0, &size, MEM_RESERVE | MEM_COMMIT,
                                       PAGE_READWRITE),
               STATUS_INVALID_HANDLE);
  /* Below 64 KiB and above the user address space. */
  p = (PVOID)0xf000;
  size = 0x1000;
  CHECK_STATUS(alloc(&p, &size, MEM_RESERVE, PAGE_READWRITE), STATUS_INVALID_PARAMETER_2);
  p = (PVOID)0x800000000000ull;
  size = 0x10000;
  CHECK_STATUS(alloc(&p, &size, MEM_RESERVE, PAGE_READWRITE), STATUS_INVALID_PARAMETER_2);

  /* Query: address 0 is free; kernel addresses and bad classes are refused. */
  CHECK_OK(query(0, &mbi));
  CHECK_EQ(mbi.State, MEM_FREE);
  CHECK_EQ(mbi.BaseAddress, 0);
  CHECK(mbi.RegionSize >= 0x10000);
  CHECK_STATUS(NtQueryVirtualMemory(NtCurrentProcess(), (PVOID)0xffff800000000000ull,
                                    MemoryBasicInformation, &mbi, sizeof mbi, &ret),
               STATUS_INVALID_PARAMETER);
  CHECK_STATUS(NtQueryVirtualMemory(NtCurrentProcess(), (PVOID)0x800000000000ull,
                                    MemoryBasicInformation, &mbi, sizeof mbi, &ret),
               STATUS_INVALID_PARAMETER);
  CHECK_STATUS(NtQueryVirtualMemory(NtCurrentProcess(), 0, MemoryBasicInformation, &mbi, 16, &ret),
               STATUS_INFO_LENGTH_MISMATCH);
  CHECK_STATUS(NtQueryVirtualMemory(NtCurrentProcess(), 0, (MEMORY_INFORMATION_CLASS)99, &mbi,
                                    sizeof mbi, &ret),
               STATUS_INVALID_INFO_CLASS);
  CHECK_STATUS(
      NtQueryVirtualMemory((HANDLE)0x1234, 0, MemoryBasicInformation, &mbi, sizeof mbi, &ret),
      STATUS_INVALID_HANDLE);
  /* ReturnLength is optional. */
  CHECK_OK(
      NtQueryVirtualMemory(NtCurrentProcess(), 0, MemoryBasicInformation, &mbi, sizeof mbi, 0));
}

static void test_large(void) {
  PVOID base = 0, p;
  SIZE_T size = 256ull << 20;

  nt_note("large reservation, scattered commits");
  CHECK_OK(alloc(&base, &size, MEM_RESERVE, PAGE_READWRITE));
  CHECK_EQ(size, 256ull << 20);
  int ok = 1;
  for (int i = 0; i < 16; i++) {
    p = (char*)base + ((SIZE_T)i << 24);
    SIZE_T s = PAGE;
    ok &= NT_SUCCESS(alloc(&p, &s, MEM_COMMIT, PAGE_READWRITE));
    if (ok) *(volatile int*)p = i;
  }
  CHECK(ok);
  int same = 1;
  for (int i = 0; i < 16; i++) same &= *(volatile int*)((char*)base + ((SIZE_T)i << 24)) == i;
  CHECK(same);
  CHECK_OK(release(base));
}

void test_main(void) {
  test_commit_and_query();
  test_reserve_then_commit();
  test_protect();
  test_invalid();
  test_large();
}
