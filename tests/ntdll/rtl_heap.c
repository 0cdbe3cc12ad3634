/* The heap (ntcore/ntdll/rtl/heap*.c): the process heap and the heap list, private heaps
 * (growable, fixed, HEAP_NO_SERIALIZE), allocation sizes and alignment, HEAP_ZERO_MEMORY,
 * reallocation (HEAP_REALLOC_IN_PLACE_ONLY), big blocks, bad and freed pointers, user values,
 * validation, walking, heap information. HEAP_GENERATE_EXCEPTIONS is not exercised: it raises
 * an exception, which this harness has no handler for. */
#include "nttest.h"

typedef unsigned char BYTE;
typedef unsigned long long ULONG64;

#define HEAP_NO_SERIALIZE 0x1
#define HEAP_GROWABLE 0x2
#define HEAP_ZERO_MEMORY 0x8
#define HEAP_REALLOC_IN_PLACE_ONLY 0x10
#define HEAP_SETTABLE_USER_VALUE 0x100
#define HEAP_SETTABLE_USER_FLAG1 0x200
#define STATUS_NO_MORE_ENTRIES ((NTSTATUS)0x8000001A)
#define ERROR_INVALID_PARAMETER 87
#define BAD_SIZE (~(SIZE_T)0)

typedef struct HEAP_WALK_ENTRY { /* RtlWalkHeap's entry */
  PVOID data;
  SIZE_T data_size;
  UCHAR overhead;
  UCHAR region_index;
  USHORT flags;
  ULONG_PTR more[3];
} HEAP_WALK_ENTRY;
#define WALK_BUSY 0x1
#define WALK_REGION 0x2

PVOID NTAPI RtlCreateHeap(ULONG flags, PVOID base, SIZE_T reserve, SIZE_T commit, PVOID lock,
                          PVOID parameters);
PVOID NTAPI RtlDestroyHeap(PVOID heap);
PVOID NTAPI RtlAllocateHeap(PVOID heap, ULONG flags, SIZE_T size);
BOOLEAN NTAPI RtlFreeHeap(PVOID heap, ULONG flags, PVOID ptr);
PVOID NTAPI RtlReAllocateHeap(PVOID heap, ULONG flags, PVOID ptr, SIZE_T size);
SIZE_T NTAPI RtlSizeHeap(PVOID heap, ULONG flags, const void* ptr);
BOOLEAN NTAPI RtlLockHeap(PVOID heap);
BOOLEAN NTAPI RtlUnlockHeap(PVOID heap);
BOOLEAN NTAPI RtlValidateHeap(PVOID heap, ULONG flags, const void* ptr);
NTSTATUS NTAPI RtlWalkHeap(PVOID heap, HEAP_WALK_ENTRY* entry);
SIZE_T NTAPI RtlCompactHeap(PVOID heap, ULONG flags);
ULONG NTAPI RtlGetProcessHeaps(ULONG count, PVOID* heaps);
NTSTATUS NTAPI RtlQueryHeapInformation(PVOID heap, int info_class, PVOID info, SIZE_T length,
                                       PSIZE_T return_length);
NTSTATUS NTAPI RtlSetHeapInformation(PVOID heap, int info_class, PVOID info, SIZE_T length);
BOOLEAN NTAPI RtlGetUserInfoHeap(PVOID heap, ULONG flags, PVOID ptr, PVOID* value,
                                 ULONG* flags_out);
BOOLEAN NTAPI RtlSetUserValueHeap(PVOID heap, ULONG flags, PVOID ptr, PVOID value);

static BYTE* peb_bytes(void) {
  return (BYTE*)nt_peb();
}
static PVOID process_heap(void) {
  return *(PVOID*)(peb_bytes() + 0x30);
}
static ULONG last_error(void) {
  ULONG e;
  __asm__ volatile("movl %%gs:0x68, %0" : "=r"(e));
  return e;
}
static void set_last_error(ULONG e) {
  __asm__ volatile("movl %0, %%gs:0x68" : : "r"(e));
}

static int all_bytes(const void* p, BYTE value, SIZE_T n) {
  const BYTE* b = p;
  for (SIZE_T i = 0; i < n; ++i)
    if (b[i] != value) return 0;
  return 1;
}
static void fill(void* p, BYTE value, SIZE_T n) {
  BYTE* b = p;
  for (SIZE_T i = 0; i < n; ++i) b[i] = value;
}

static void test_process_heap(void) {
  PVOID heap = process_heap();
  CHECK(heap != NULL);
  PVOID heaps[64];
  ULONG count = RtlGetProcessHeaps(64, heaps);
  CHECK(count >= 1 && count <= 64);
  CHECK(heaps[0] == heap);
  if (!nt_is_wine()) { /* Wine's ntdll leaves PEB.NumberOfHeaps and PEB.ProcessHeaps empty */
    CHECK_EQ(*(ULONG*)(peb_bytes() + 0xE8), count);
    CHECK((*(PVOID**)(peb_bytes() + 0xF0))[0] == heap);
  }
  CHECK_EQ(RtlGetProcessHeaps(0, NULL), count);

  void* p = RtlAllocateHeap(heap, 0, 100);
  CHECK(p != NULL);
  CHECK_EQ(RtlSizeHeap(heap, 0, p), 100);
  CHECK(RtlFreeHeap(heap, 0, p));
  /* The process heap cannot be destroyed: the handle comes back. */
  CHECK(RtlDestroyHeap(heap) == heap);
  CHECK(RtlValidateHeap(heap, 0, NULL));
}

static void test_sizes_and_alignment(void) {
  PVOID heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
  CHECK(heap != NULL);
  static const SIZE_T sizes[] = {0,       1,       15,      16,      17,      24,
                                 100,     1000,    4096,    5000,    65536,   100000,
                                 0x7F000, 0x80000, 1 << 20, 3 << 20, 10 << 20};
  enum { N = sizeof sizes / sizeof sizes[0] };
  BYTE* blocks[N];
  int aligned = 1, sized = 1;
  for (int i = 0; i < N; ++i) {
    blocks[i] = RtlAllocateHeap(heap, 0, sizes[i]);
    CHECK(blocks[i] != NULL);
    if (!blocks[i]) return;
    aligned &= ((ULONG_PTR)blocks[i] & 15) == 0;
    sized &= RtlSizeHeap(heap, 0, blocks[i]) == sizes[i];
    fill(blocks[i], (BYTE)(i + 1), sizes[i]);
  }
  CHECK(aligned);
  CHECK(sized);
  int intact = 1;
  for (int i = 0; i < N; ++i) intact &= all_bytes(blocks[i], (BYTE)(i + 1), sizes[i]);
  CHECK(intact); /* no block overlaps another */
  CHECK(RtlValidateHeap(heap, 0, NULL));
  for (int i = 0; i < N; ++i) CHECK(RtlValidateHeap(heap, 0, blocks[i]));
  int freed = 1;
  for (int i = 0; i < N; ++i) freed &= RtlFreeHeap(heap, 0, blocks[i]);
  CHECK(freed);
  CHECK(RtlValidateHeap(heap, 0, NULL));
  CHECK(RtlDestroyHeap(heap) == NULL);
}

static void test_zero_memory(void) {
  PVOID heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
  int zero = 1;
  for (SIZE_T size = 16; size <= 0x100000; size *= 4) {
    void* dirty = RtlAllocateHeap(heap, 0, size);
    fill(dirty, 0xAA, size);
    RtlFreeHeap(heap, 0, dirty);
    void* p = RtlAllocateHeap(heap, HEAP_ZERO_MEMORY, size);
    zero &= p && all_bytes(p, 0, size);
    RtlFreeHeap(heap, 0, p);
  }
  CHECK(zero);
  RtlDestroyHeap(heap);
}

static void test_bad_pointers(void) {
  PVOID heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
  CHECK(RtlFreeHeap(heap, 0, NULL)); /* NULL is TRUE */

  BYTE* p = RtlAllocateHeap(heap, 0, 64);
  BYTE* keep = RtlAllocateHeap(heap, 0, 64); /* so p does not merge with the rest */
  CHECK(RtlSizeHeap(heap, 0, p + 8) == BAD_SIZE);
  CHECK(!RtlValidateHeap(heap, 0, p + 16));
  set_last_error(0);
  CHECK(!RtlFreeHeap(heap, 0, p + 16));
  CHECK_EQ(last_error(), ERROR_INVALID_PARAMETER);
  CHECK_EQ(RtlSizeHeap(heap, 0, p), 64); /* still intact */

  ULONG64 on_stack[4];
  CHECK(RtlSizeHeap(heap, 0, &on_stack[2]) == BAD_SIZE);
  CHECK(!RtlFreeHeap(heap, 0, &on_stack[2]));
  CHECK(RtlReAllocateHeap(heap, 0, &on_stack[2], 10) == NULL);
  CHECK(RtlReAllocateHeap(heap, 0, NULL, 10) == NULL);

  /* A block of another heap is not this heap's. */
  void* other = RtlAllocateHeap(process_heap(), 0, 64);
  CHECK(RtlSizeHeap(heap, 0, other) == BAD_SIZE);
  CHECK(RtlFreeHeap(process_heap(), 0, other));

  CHECK(RtlFreeHeap(heap, 0, p));
  CHECK(RtlSizeHeap(heap, 0, p) == BAD_SIZE);
  CHECK(!RtlFreeHeap(heap, 0, p)); /* double free */
  CHECK(RtlValidateHeap(heap, 0, NULL));

  BYTE* big = RtlAllocateHeap(heap, 0, 2 << 20);
  CHECK(RtlSizeHeap(heap, 0, big + 16) == BAD_SIZE);
  CHECK(RtlFreeHeap(heap, 0, big));
  /* The block's memory is gone: ours looks the pointer up instead of reading it. (Wine reads
   * it and faults; Windows treats it as heap corruption.) */
  if (!nt_is_wine()) {
    CHECK(!RtlFreeHeap(heap, 0, big));
    CHECK(RtlSizeHeap(heap, 0, big) == BAD_SIZE);
  }
  CHECK(RtlValidateHeap(heap, 0, NULL));
  CHECK(RtlFreeHeap(heap, 0, keep));
  RtlDestroyHeap(heap);
}

static void test_realloc(void) {
  PVOID heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
  BYTE* p = RtlAllocateHeap(heap, 0, 100);
  fill(p, 0x5A, 100);
  BYTE* fence = RtlAllocateHeap(heap, 0, 100); /* p cannot grow in place */
  CHECK(RtlReAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, p, 5000) == NULL);
  CHECK_EQ(RtlSizeHeap(heap, 0, p), 100);
  CHECK(RtlReAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, p, 40) == p); /* shrinking */
  CHECK_EQ(RtlSizeHeap(heap, 0, p), 40);

  BYTE* q = RtlReAllocateHeap(heap, HEAP_ZERO_MEMORY, p, 5000);
  CHECK(q != NULL);
  CHECK_EQ(RtlSizeHeap(heap, 0, q), 5000);
  CHECK(all_bytes(q, 0x5A, 40));
  CHECK(all_bytes(q + 40, 0, 5000 - 40));

  /* Into and out of a big block. */
  BYTE* big = RtlReAllocateHeap(heap, 0, q, 3 << 20);
  CHECK(big != NULL);
  CHECK(all_bytes(big, 0x5A, 40));
  CHECK_EQ(RtlSizeHeap(heap, 0, big), 3 << 20);
  CHECK(RtlReAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, big, 2 << 20) == big);
  CHECK_EQ(RtlSizeHeap(heap, 0, big), 2 << 20);
  BYTE* small = RtlReAllocateHeap(heap, 0, big, 64);
  CHECK(small != NULL);
  CHECK(all_bytes(small, 0x5A, 40));
  CHECK_EQ(RtlSizeHeap(heap, 0, small), 64);

  RtlFreeHeap(heap, 0, small);
  RtlFreeHeap(heap, 0, fence);
  CHECK(RtlValidateHeap(heap, 0, NULL));
  RtlDestroyHeap(heap);

  /* A block followed by free space grows where it is (a fresh heap: its blocks are in order). */
  heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
  BYTE* a = RtlAllocateHeap(heap, 0, 64);
  BYTE* b = RtlAllocateHeap(heap, 0, 4096);
  BYTE* c = RtlAllocateHeap(heap, 0, 64);
  RtlFreeHeap(heap, 0, b);
  CHECK(RtlReAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, a, 1024) == a);
  CHECK_EQ(RtlSizeHeap(heap, 0, a), 1024);
  CHECK(RtlValidateHeap(heap, 0, NULL));
  RtlFreeHeap(heap, 0, a);
  RtlFreeHeap(heap, 0, c);
  CHECK(RtlValidateHeap(heap, 0, NULL));
  RtlDestroyHeap(heap);
}

/* A fixed-size heap fails allocations once full and serves them again after frees. */
static void test_fixed_heap(void) {
  PVOID heap = RtlCreateHeap(0, NULL, 0x20000, 0x20000, NULL, NULL);
  CHECK(heap != NULL);
  void* blocks[256];
  int n = 0;
  while (n < 256 && (blocks[n] = RtlAllocateHeap(heap, 0, 4000)) != NULL) ++n;
  nt_note("a 128 KB fixed heap held %d blocks of 4000 bytes", n);
  CHECK(n > 10 && n < 256);
  CHECK(RtlAllocateHeap(heap, 0, 0x40000) == NULL);
  for (int i = 0; i < n; ++i) RtlFreeHeap(heap, 0, blocks[i]);
  void* again = RtlAllocateHeap(heap, 0, 4000 * 10);
  CHECK(again != NULL);
  RtlFreeHeap(heap, 0, again);
  CHECK(RtlValidateHeap(heap, 0, NULL));
  CHECK(RtlDestroyHeap(heap) == NULL);
}

static void test_no_serialize(void) {
  PVOID heap = RtlCreateHeap(HEAP_GROWABLE | HEAP_NO_SERIALIZE, NULL, 0, 0, NULL, NULL);
  CHECK(heap != NULL);
  void* p = RtlAllocateHeap(heap, 0, 300);
  CHECK(p != NULL);
  CHECK(RtlLockHeap(heap));
  CHECK(RtlUnlockHeap(heap));
  CHECK(RtlFreeHeap(heap, 0, p));
  /* No low-fragmentation front end on a heap without serialisation (documented; Wine 8's
   * RtlSetHeapInformation accepts everything). */
  ULONG lfh = 2;
  if (!nt_is_wine()) CHECK_FAILS(RtlSetHeapInformation(heap, 0, &lfh, sizeof lfh));
  RtlDestroyHeap(heap);
}

static void test_user_info(void) {
  PVOID heap = process_heap();
  ULONG flags = HEAP_SETTABLE_USER_VALUE | HEAP_SETTABLE_USER_FLAG1;
  void* p = RtlAllocateHeap(heap, flags, 40); /* as kernelbase's LocalAlloc(LMEM_FIXED) */
  PVOID value = (PVOID)1;
  ULONG user_flags = 0;
  CHECK(RtlGetUserInfoHeap(heap, 0, p, &value, &user_flags));
  CHECK(value == NULL);
  /* Windows keeps the HEAP_SETTABLE_USER_FLAGS given at allocation; Wine 8 reports none. */
  if (!nt_is_wine()) CHECK_EQ(user_flags, HEAP_SETTABLE_USER_FLAG1);
  CHECK(RtlSetUserValueHeap(heap, 0, p, p));
  CHECK(RtlGetUserInfoHeap(heap, 0, p, &value, &user_flags));
  CHECK(value == p);
  void* q = RtlReAllocateHeap(heap, 0, p, 5000); /* the value moves with the block */
  CHECK(RtlGetUserInfoHeap(heap, 0, q, &value, &user_flags));
  CHECK(value == p);
  if (!nt_is_wine()) CHECK_EQ(user_flags, HEAP_SETTABLE_USER_FLAG1);
  CHECK_EQ(RtlSizeHeap(heap, 0, q), 5000);
  RtlFreeHeap(heap, 0, q);
  CHECK(!RtlGetUserInfoHeap(heap, 0, q, &value, &user_flags));

  void* plain = RtlAllocateHeap(heap, 0, 40);
  CHECK(RtlGetUserInfoHeap(heap, 0, plain, &value, &user_flags));
  CHECK_EQ(user_flags, 0);
  CHECK(!RtlSetUserValueHeap(heap, 0, plain, plain)); /* no room for a value */
  RtlFreeHeap(heap, 0, plain);
}

static void test_walk(void) {
  PVOID heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
  void* small = RtlAllocateHeap(heap, 0, 123);
  void* big = RtlAllocateHeap(heap, 0, 2 << 20);
  HEAP_WALK_ENTRY e;
  for (int i = 0; i < (int)sizeof e; ++i) ((BYTE*)&e)[i] = 0;
  int regions = 0, found_small = 0, found_big = 0, entries = 0;
  NTSTATUS status;
  while ((status = RtlWalkHeap(heap, &e)) == STATUS_SUCCESS && entries < 10000) {
    ++entries;
    if (e.flags & WALK_REGION) ++regions;
    if ((e.flags & WALK_BUSY) && e.data == small && e.data_size == 123) ++found_small;
    if ((e.flags & WALK_BUSY) && e.data == big && e.data_size == 2 << 20) ++found_big;
  }
  CHECK_STATUS(status, STATUS_NO_MORE_ENTRIES);
  nt_note("walk: %d entries, %d regions", entries, regions);
  CHECK(regions >= 1);
  CHECK_EQ(found_small, 1);
  CHECK_EQ(found_big, 1);
  /* The largest free block: never zero for a heap with free space (Wine 8's is a stub). */
  if (!nt_is_wine()) CHECK(RtlCompactHeap(heap, 0) > 0);
  RtlDestroyHeap(heap);
}

static void test_information(void) {
  PVOID heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
  ULONG info = 0xFF;
  SIZE_T length = 0;
  CHECK_OK(RtlQueryHeapInformation(heap, 0, &info, sizeof info, &length));
  CHECK_EQ(length, sizeof(ULONG));
  CHECK_EQ(info, 0); /* a standard heap */
  CHECK_FAILS(RtlQueryHeapInformation(heap, 0x55, &info, sizeof info, &length));
  length = 0;
  CHECK_STATUS(RtlQueryHeapInformation(heap, 0, &info, 1, &length), STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(length, sizeof(ULONG));
  /* Windows (Vista+) refuses the look-aside lists (1), accepts the low-fragmentation heap (2)
   * and reports it afterwards. Wine 8's RtlSetHeapInformation is a stub that accepts anything
   * and changes nothing. */
  ULONG lal = 1, lfh = 2;
  if (!nt_is_wine()) {
    CHECK_FAILS(RtlSetHeapInformation(heap, 0, &lal, sizeof lal));
    CHECK_STATUS(RtlSetHeapInformation(heap, 0, &lfh, 1), STATUS_BUFFER_TOO_SMALL);
  }
  CHECK_OK(RtlSetHeapInformation(heap, 0, &lfh, sizeof lfh));
  CHECK_OK(RtlQueryHeapInformation(heap, 0, &info, sizeof info, NULL));
  if (!nt_is_wine()) CHECK_EQ(info, 2);
  ULONG process_info = 0xFF;
  CHECK_OK(RtlQueryHeapInformation(process_heap(), 0, &process_info, sizeof process_info, NULL));
  nt_note("process heap compatibility information: %u", process_info);
  CHECK_OK(RtlSetHeapInformation(NULL, 1, NULL, 0)); /* HeapEnableTerminationOnCorruption */
  RtlDestroyHeap(heap);
}

/* The heap list follows creation and destruction. */
static void test_heap_list(void) {
  PVOID heaps[64];
  const ULONG before = RtlGetProcessHeaps(64, heaps);
  PVOID created[20];
  for (int i = 0; i < 20; ++i) created[i] = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
  const ULONG during = RtlGetProcessHeaps(64, heaps);
  CHECK_EQ(during, before + 20);
  int listed = 0;
  for (ULONG i = 0; i < during && i < 64; ++i)
    for (int j = 0; j < 20; ++j) listed += heaps[i] == created[j];
  CHECK_EQ(listed, 20);
  for (int i = 0; i < 20; ++i) CHECK(RtlDestroyHeap(created[i]) == NULL);
  CHECK_EQ(RtlGetProcessHeaps(64, heaps), before);
}

/* Many allocations of mixed sizes freed in a scrambled order: the heap stays consistent, and it
 * is fast (size-class free lists, no scans). */
static void test_churn(void) {
  PVOID heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
  enum { SLOTS = 4096, ROUNDS = 200000 };
  static BYTE* slot[SLOTS];
  static SIZE_T slot_size[SLOTS];
  ULONG64 seed = 12345;
  LARGE_INTEGER t0, t1, freq;
  NtQueryPerformanceCounter(&t0, &freq);
  int ok = 1;
  for (int i = 0; i < ROUNDS; ++i) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    const ULONG k = (ULONG)(seed >> 33) % SLOTS;
    if (slot[k]) {
      ok &= slot[k][0] == (BYTE)k && slot[k][slot_size[k] - 1] == (BYTE)k;
      ok &= RtlFreeHeap(heap, 0, slot[k]);
      slot[k] = NULL;
    } else {
      const ULONG r = (ULONG)(seed >> 20);
      SIZE_T size = (r & 7) == 0 ? 1 + r % 20000 : 1 + r % 200;
      slot[k] = RtlAllocateHeap(heap, 0, size);
      ok &= slot[k] != NULL;
      if (!slot[k]) break;
      slot_size[k] = size;
      slot[k][0] = slot[k][size - 1] = (BYTE)k;
    }
  }
  NtQueryPerformanceCounter(&t1, NULL);
  CHECK(ok);
  CHECK(RtlValidateHeap(heap, 0, NULL));
  nt_note("%d allocations and frees in %llu us", ROUNDS,
          (ULONGLONG)((t1.QuadPart - t0.QuadPart) * 1000000 / freq.QuadPart));
  for (int k = 0; k < SLOTS; ++k)
    if (slot[k]) RtlFreeHeap(heap, 0, slot[k]);
  CHECK(RtlValidateHeap(heap, 0, NULL));
  CHECK(RtlDestroyHeap(heap) == NULL);
}

void test_main(void) {
  test_process_heap();
  test_sizes_and_alignment();
  test_zero_memory();
  test_bad_pointers();
  test_realloc();
  test_fixed_heap();
  test_no_serialize();
  test_user_info();
  test_walk();
  test_information();
  test_heap_list();
  test_churn();
}
