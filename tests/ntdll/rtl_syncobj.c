/* Mutants, semaphores, NtDuplicateObject and NtQueryObject's handle flags (ntcore sync/ and
 * object/), called directly. */
#include "nttest.h"

#define MUTANT_ALL_ACCESS 0x001F0001
#define SEMAPHORE_QUERY_STATE 0x0001
#define SEMAPHORE_MODIFY_STATE 0x0002
#define SEMAPHORE_ALL_ACCESS 0x001F0003
#define THREAD_ALL_ACCESS 0x001FFFFF
#define DUPLICATE_CLOSE_SOURCE 0x1
#define DUPLICATE_SAME_ACCESS 0x2
#define DUPLICATE_SAME_ATTRIBUTES 0x4
#define MutantBasicInformation 0
#define SemaphoreBasicInformation 0
#define ObjectHandleFlagInformation 4

#define STATUS_ABANDONED_WAIT_0 ((NTSTATUS)0x00000080)
#define STATUS_MUTANT_NOT_OWNED ((NTSTATUS)0xC0000046)
#define STATUS_SEMAPHORE_LIMIT_EXCEEDED ((NTSTATUS)0xC0000047)

typedef struct MUTANT_BASIC_INFORMATION {
  LONG CurrentCount;
  BOOLEAN OwnedByCaller;
  BOOLEAN AbandonedState;
} MUTANT_BASIC_INFORMATION;

typedef struct SEMAPHORE_BASIC_INFORMATION {
  LONG CurrentCount;
  LONG MaximumCount;
} SEMAPHORE_BASIC_INFORMATION;

typedef struct OBJECT_HANDLE_FLAG_INFORMATION {
  BOOLEAN Inherit;
  BOOLEAN ProtectFromClose;
} OBJECT_HANDLE_FLAG_INFORMATION;

typedef ULONG(NTAPI* THREAD_START)(PVOID);

NTSYSAPI NTSTATUS NTAPI NtCreateMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                       POBJECT_ATTRIBUTES ObjectAttributes, BOOLEAN InitialOwner);
NTSYSAPI NTSTATUS NTAPI NtOpenMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                     POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSAPI NTSTATUS NTAPI NtReleaseMutant(HANDLE MutantHandle, PLONG PreviousCount);
NTSYSAPI NTSTATUS NTAPI NtQueryMutant(HANDLE MutantHandle, ULONG Class, PVOID Information,
                                      ULONG Length, PULONG ReturnLength);
NTSYSAPI NTSTATUS NTAPI NtCreateSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                          POBJECT_ATTRIBUTES ObjectAttributes, LONG InitialCount,
                                          LONG MaximumCount);
NTSYSAPI NTSTATUS NTAPI NtOpenSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                        POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSAPI NTSTATUS NTAPI NtReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount,
                                           PLONG PreviousCount);
NTSYSAPI NTSTATUS NTAPI NtQuerySemaphore(HANDLE SemaphoreHandle, ULONG Class, PVOID Information,
                                         ULONG Length, PULONG ReturnLength);
NTSYSAPI NTSTATUS NTAPI NtDuplicateObject(HANDLE SourceProcess, HANDLE SourceHandle,
                                          HANDLE TargetProcess, PHANDLE TargetHandle,
                                          ACCESS_MASK DesiredAccess, ULONG HandleAttributes,
                                          ULONG Options);
NTSYSAPI NTSTATUS NTAPI NtQueryObject(HANDLE Handle, ULONG Class, PVOID Information, ULONG Length,
                                      PULONG ReturnLength);
NTSYSAPI NTSTATUS NTAPI NtCreateThreadEx(PHANDLE Thread, ACCESS_MASK Access,
                                         POBJECT_ATTRIBUTES Attributes, HANDLE Process, PVOID Start,
                                         PVOID Argument, ULONG Flags, SIZE_T ZeroBits,
                                         SIZE_T StackSize, SIZE_T MaximumStackSize,
                                         PVOID AttributeList);

static NTSTATUS poll(HANDLE h) {
  LARGE_INTEGER zero;
  zero.QuadPart = 0;
  return NtWaitForSingleObject(h, FALSE, &zero);
}

static NTSTATUS wait_10s(HANDLE h) {
  LARGE_INTEGER t;
  t.QuadPart = -100000000LL;
  return NtWaitForSingleObject(h, FALSE, &t);
}

static NTSTATUS run_thread(THREAD_START start, PVOID arg) {
  HANDLE t = NULL;
  NTSTATUS s = NtCreateThreadEx(&t, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(), (PVOID)start, arg,
                                0, 0, 0, 0, NULL);
  if (!NT_SUCCESS(s)) return s;
  s = wait_10s(t);
  NtClose(t);
  return s;
}

static MUTANT_BASIC_INFORMATION query_mutant(HANDLE m) {
  MUTANT_BASIC_INFORMATION info;
  ULONG len = 0;
  memset(&info, 0xcc, sizeof info);
  CHECK_OK(NtQueryMutant(m, MutantBasicInformation, &info, sizeof info, &len));
  CHECK_EQ(len, sizeof info);
  return info;
}

/* ---- Mutants ---------------------------------------------------------------------------- */

static HANDLE shared_mutant;
static NTSTATUS other_wait, other_release;

static ULONG NTAPI try_foreign_mutant(PVOID arg) {
  other_wait = poll(shared_mutant);
  other_release = NtReleaseMutant(shared_mutant, NULL);
  return 0;
}

static ULONG NTAPI take_and_exit(PVOID arg) {
  other_wait = poll(shared_mutant);
  return 0; /* ends still owning it */
}

static void test_mutant_ownership(void) {
  HANDLE m = NULL;
  CHECK_OK(NtCreateMutant(&m, MUTANT_ALL_ACCESS, NULL, FALSE));
  MUTANT_BASIC_INFORMATION info = query_mutant(m);
  CHECK_EQ(info.CurrentCount, 1);
  CHECK_EQ(info.OwnedByCaller, 0);
  CHECK_EQ(info.AbandonedState, 0);

  /* Recursive acquisition by the owner. */
  CHECK_STATUS(poll(m), STATUS_WAIT_0);
  CHECK_STATUS(poll(m), STATUS_WAIT_0);
  info = query_mutant(m);
  CHECK_EQ((ULONG)info.CurrentCount, (ULONG)-1);
  CHECK_EQ(info.OwnedByCaller, 1);

  /* Another thread can neither take nor release it. */
  shared_mutant = m;
  CHECK_OK(run_thread(try_foreign_mutant, NULL));
  CHECK_STATUS(other_wait, STATUS_TIMEOUT);
  CHECK_STATUS(other_release, STATUS_MUTANT_NOT_OWNED);

  LONG prev = 99;
  CHECK_OK(NtReleaseMutant(m, &prev));
  CHECK_EQ((ULONG)prev, (ULONG)-1);
  CHECK_OK(NtReleaseMutant(m, &prev));
  CHECK_EQ(prev, 0);
  CHECK_STATUS(NtReleaseMutant(m, &prev), STATUS_MUTANT_NOT_OWNED);
  CHECK_EQ(query_mutant(m).CurrentCount, 1);

  /* Free again: another thread takes it (and ends owning it, see below). */
  CHECK_OK(run_thread(take_and_exit, NULL));
  CHECK_STATUS(other_wait, STATUS_WAIT_0);
  info = query_mutant(m);
  CHECK_EQ(info.AbandonedState, 1);
  CHECK_EQ(info.CurrentCount, 1);
  CHECK_EQ(info.OwnedByCaller, 0);

  /* The next wait takes over the abandoned mutant and is told so, once. */
  HANDLE e = NULL;
  CHECK_OK(NtCreateEvent(&e, 0x1F0003, NULL, NotificationEvent, FALSE));
  HANDLE pair[2] = {e, m};
  LARGE_INTEGER zero;
  zero.QuadPart = 0;
  CHECK_STATUS(NtWaitForMultipleObjects(2, pair, WaitAny, FALSE, &zero),
               STATUS_ABANDONED_WAIT_0 + 1);
  info = query_mutant(m);
  CHECK_EQ(info.AbandonedState, 0);
  CHECK_EQ(info.OwnedByCaller, 1);
  CHECK_STATUS(poll(m), STATUS_WAIT_0);
  CHECK_OK(NtReleaseMutant(m, NULL));
  CHECK_OK(NtReleaseMutant(m, NULL));
  NtClose(e);
  CHECK_OK(NtClose(m));

  /* Created owned: the creator owns it once. */
  CHECK_OK(NtCreateMutant(&m, MUTANT_ALL_ACCESS, NULL, TRUE));
  info = query_mutant(m);
  CHECK_EQ(info.CurrentCount, 0);
  CHECK_EQ(info.OwnedByCaller, 1);
  CHECK_OK(NtReleaseMutant(m, &prev));
  CHECK_EQ(prev, 0);
  CHECK_OK(NtClose(m));
}

static void test_mutant_errors(void) {
  HANDLE m = NULL, s = NULL;
  MUTANT_BASIC_INFORMATION info;
  ULONG len = 0;
  CHECK_STATUS(NtCreateMutant(NULL, MUTANT_ALL_ACCESS, NULL, FALSE), STATUS_ACCESS_VIOLATION);
  CHECK_OK(NtCreateMutant(&m, MUTANT_ALL_ACCESS, NULL, FALSE));
  CHECK_STATUS(NtQueryMutant(m, 2, &info, sizeof info, &len), STATUS_INVALID_INFO_CLASS);
  CHECK_STATUS(NtQueryMutant(m, MutantBasicInformation, &info, sizeof info - 1, &len),
               STATUS_INFO_LENGTH_MISMATCH);
  CHECK_STATUS(NtQueryMutant(m, MutantBasicInformation, &info, sizeof info + 1, &len),
               STATUS_INFO_LENGTH_MISMATCH);
  CHECK_STATUS(NtQueryMutant((HANDLE)0x1230, MutantBasicInformation, &info, sizeof info, &len),
               STATUS_INVALID_HANDLE);
  CHECK_STATUS(NtReleaseMutant((HANDLE)0x1230, NULL), STATUS_INVALID_HANDLE);
  CHECK_OK(NtCreateSemaphore(&s, SEMAPHORE_ALL_ACCESS, NULL, 0, 1));
  CHECK_STATUS(NtReleaseMutant(s, NULL), STATUS_OBJECT_TYPE_MISMATCH);
  CHECK_STATUS(NtQueryMutant(s, MutantBasicInformation, &info, sizeof info, &len),
               STATUS_OBJECT_TYPE_MISMATCH);
  /* Querying needs MUTANT_QUERY_STATE. */
  HANDLE sync_only = NULL;
  CHECK_OK(
      NtDuplicateObject(NtCurrentProcess(), m, NtCurrentProcess(), &sync_only, SYNCHRONIZE, 0, 0));
  CHECK_STATUS(NtQueryMutant(sync_only, MutantBasicInformation, &info, sizeof info, &len),
               STATUS_ACCESS_DENIED);
  CHECK_STATUS(poll(sync_only), STATUS_WAIT_0);
  CHECK_OK(NtReleaseMutant(sync_only, NULL)); /* releasing needs no right */
  NtClose(sync_only);
  NtClose(s);
  NtClose(m);
}

/* A directory that exists on no system, and a relative name without a root. */
static void test_names(void) {
  NT_NAME n;
  HANDLE h = (HANDLE)0x77;
  CHECK_STATUS(
      NtCreateMutant(&h, MUTANT_ALL_ACCESS, nt_name(&n, L"\\NoSuchDirectory\\m", NULL), FALSE),
      STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK_STATUS(NtOpenMutant(&h, MUTANT_ALL_ACCESS, nt_name(&n, L"\\NoSuchDirectory\\m", NULL)),
               STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK_STATUS(
      NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, nt_name(&n, L"\\NoSuchDirectory\\s", NULL), 0, 1),
      STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK_STATUS(
      NtOpenSemaphore(&h, SEMAPHORE_ALL_ACCESS, nt_name(&n, L"\\NoSuchDirectory\\s", NULL)),
      STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK_STATUS(NtCreateMutant(&h, MUTANT_ALL_ACCESS, nt_name(&n, L"relative", NULL), FALSE),
               STATUS_OBJECT_PATH_SYNTAX_BAD);
  /* An empty name is no name. */
  CHECK_OK(NtCreateMutant(&h, MUTANT_ALL_ACCESS, nt_name(&n, L"", NULL), FALSE));
  NtClose(h);
}

/* ---- Semaphores ------------------------------------------------------------------------- */

static HANDLE shared_semaphore;

static ULONG NTAPI release_later(PVOID arg) {
  LARGE_INTEGER t;
  t.QuadPart = -200000; /* 20 ms */
  NtDelayExecution(FALSE, &t);
  return (ULONG)NtReleaseSemaphore(shared_semaphore, 1, NULL);
}

static void test_semaphores(void) {
  HANDLE s = NULL, t = NULL;
  LONG prev = 0;
  SEMAPHORE_BASIC_INFORMATION info;
  ULONG len = 0;
  CHECK_OK(NtCreateSemaphore(&s, SEMAPHORE_ALL_ACCESS, NULL, 1, 3));
  CHECK_STATUS(poll(s), STATUS_WAIT_0);
  CHECK_STATUS(poll(s), STATUS_TIMEOUT);
  CHECK_OK(NtReleaseSemaphore(s, 2, &prev));
  CHECK_EQ(prev, 0);
  prev = 99;
  CHECK_STATUS(NtReleaseSemaphore(s, 2, &prev), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
  CHECK_EQ(prev, 99);
  CHECK_STATUS(NtReleaseSemaphore(s, 0x7FFFFFFF, NULL), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
  /* Windows refuses a count that is not positive; Wine adds it (0 succeeds, -1 "exceeds"). */
  if (!nt_is_wine()) {
    CHECK_STATUS(NtReleaseSemaphore(s, 0, NULL), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtReleaseSemaphore(s, -1, NULL), STATUS_INVALID_PARAMETER);
  }
  memset(&info, 0xcc, sizeof info);
  CHECK_OK(NtQuerySemaphore(s, SemaphoreBasicInformation, &info, sizeof info, &len));
  CHECK_EQ(info.CurrentCount, 2);
  CHECK_EQ(info.MaximumCount, 3);
  CHECK_EQ(len, sizeof info);
  CHECK_STATUS(NtQuerySemaphore(s, 1, &info, sizeof info, &len), STATUS_INVALID_INFO_CLASS);
  CHECK_STATUS(NtQuerySemaphore(s, SemaphoreBasicInformation, &info, sizeof info - 1, &len),
               STATUS_INFO_LENGTH_MISMATCH);
  CHECK_STATUS(
      NtQuerySemaphore((HANDLE)0x1230, SemaphoreBasicInformation, &info, sizeof info, &len),
      STATUS_INVALID_HANDLE);
  NtClose(s);

  CHECK_STATUS(NtCreateSemaphore(&s, SEMAPHORE_ALL_ACCESS, NULL, 0, 0), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(NtCreateSemaphore(&s, SEMAPHORE_ALL_ACCESS, NULL, -1, 1), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(NtCreateSemaphore(&s, SEMAPHORE_ALL_ACCESS, NULL, 2, 1), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(NtCreateSemaphore(&s, SEMAPHORE_ALL_ACCESS, NULL, 0, -5), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(NtCreateSemaphore(NULL, SEMAPHORE_ALL_ACCESS, NULL, 0, 1), STATUS_ACCESS_VIOLATION);

  /* Rights: releasing needs SEMAPHORE_MODIFY_STATE, querying SEMAPHORE_QUERY_STATE. */
  CHECK_OK(NtCreateSemaphore(&s, SYNCHRONIZE, NULL, 0, 1));
  CHECK_STATUS(NtReleaseSemaphore(s, 1, NULL), STATUS_ACCESS_DENIED);
  CHECK_STATUS(NtQuerySemaphore(s, SemaphoreBasicInformation, &info, sizeof info, &len),
               STATUS_ACCESS_DENIED);
  NtClose(s);

  /* A release wakes a waiter. */
  CHECK_OK(NtCreateSemaphore(&s, SEMAPHORE_ALL_ACCESS, NULL, 0, 1));
  shared_semaphore = s;
  CHECK_OK(NtCreateThreadEx(&t, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(), (PVOID)release_later,
                            NULL, 0, 0, 0, 0, NULL));
  CHECK_STATUS(wait_10s(s), STATUS_WAIT_0);
  CHECK_STATUS(wait_10s(t), STATUS_WAIT_0);
  NtClose(t);
  NtClose(s);
}

/* ---- Handle duplication ----------------------------------------------------------------- */

static OBJECT_HANDLE_FLAG_INFORMATION handle_flags(HANDLE h) {
  OBJECT_HANDLE_FLAG_INFORMATION f;
  ULONG len = 0;
  memset(&f, 0xcc, sizeof f);
  CHECK_OK(NtQueryObject(h, ObjectHandleFlagInformation, &f, sizeof f, &len));
  CHECK_EQ(len, sizeof f);
  return f;
}

static void test_duplicate(void) {
  HANDLE s = NULL, d = NULL, d2 = NULL;
  CHECK_OK(NtCreateSemaphore(&s, SEMAPHORE_MODIFY_STATE | SYNCHRONIZE, NULL, 0, 5));
  CHECK_OK(NtDuplicateObject(NtCurrentProcess(), s, NtCurrentProcess(), &d, 0, OBJ_INHERIT,
                             DUPLICATE_SAME_ACCESS));
  CHECK(d != NULL && d != s);
  CHECK_EQ(handle_flags(s).Inherit, 0);
  CHECK_EQ(handle_flags(d).Inherit, 1);
  CHECK_EQ(handle_flags(d).ProtectFromClose, 0);
  /* The same object, with the same rights. */
  CHECK_OK(NtReleaseSemaphore(d, 1, NULL));
  CHECK_STATUS(poll(s), STATUS_WAIT_0);

  /* Explicit access within the type's rights, granted even beyond the source's. */
  CHECK_OK(NtDuplicateObject(NtCurrentProcess(), s, NtCurrentProcess(), &d2, SEMAPHORE_QUERY_STATE,
                             0, 0));
  SEMAPHORE_BASIC_INFORMATION info;
  CHECK_OK(NtQuerySemaphore(d2, SemaphoreBasicInformation, &info, sizeof info, NULL));
  CHECK_STATUS(NtReleaseSemaphore(d2, 1, NULL), STATUS_ACCESS_DENIED);
  NtClose(d2);

  /* DUPLICATE_CLOSE_SOURCE | DUPLICATE_SAME_ATTRIBUTES moves a handle. */
  CHECK_OK(NtDuplicateObject(
      NtCurrentProcess(), d, NtCurrentProcess(), &d2, 0, 0,
      DUPLICATE_CLOSE_SOURCE | DUPLICATE_SAME_ACCESS | DUPLICATE_SAME_ATTRIBUTES));
  /* Wine ignores DUPLICATE_SAME_ATTRIBUTES (documented: the duplicate keeps the attributes). */
  if (!nt_is_wine()) CHECK_EQ(handle_flags(d2).Inherit, 1);
  if (d2 != d) CHECK_STATUS(NtClose(d), STATUS_INVALID_HANDLE);
  CHECK_OK(NtReleaseSemaphore(d2, 1, NULL));
  NtClose(d2);

  /* Without a target process only the source is closed. */
  CHECK_OK(NtDuplicateObject(NtCurrentProcess(), s, NtCurrentProcess(), &d, 0, 0,
                             DUPLICATE_SAME_ACCESS));
  /* Windows documents a NULL target process as allowed with DUPLICATE_CLOSE_SOURCE; Wine
   * refuses it. */
  if (!nt_is_wine()) {
    CHECK_OK(NtDuplicateObject(NtCurrentProcess(), d, NULL, NULL, 0, 0, DUPLICATE_CLOSE_SOURCE));
    CHECK_STATUS(NtClose(d), STATUS_INVALID_HANDLE);
  } else {
    NtClose(d);
  }

  /* Pseudo-handles become real handles to the process and the calling thread. */
  CHECK_OK(NtDuplicateObject(NtCurrentProcess(), NtCurrentProcess(), NtCurrentProcess(), &d, 0, 0,
                             DUPLICATE_SAME_ACCESS));
  CHECK(d != NtCurrentProcess() && d != NULL);
  CHECK_STATUS(poll(d), STATUS_TIMEOUT);
  CHECK_OK(NtClose(d));
  CHECK_OK(NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(), NtCurrentProcess(), &d, 0, 0,
                             DUPLICATE_SAME_ACCESS));
  CHECK(d != NtCurrentThread() && d != NULL);
  CHECK_STATUS(poll(d), STATUS_TIMEOUT);
  CHECK_OK(NtClose(d));

  /* Errors. */
  CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), (HANDLE)0x1230, NtCurrentProcess(), &d, 0, 0,
                                 DUPLICATE_SAME_ACCESS),
               STATUS_INVALID_HANDLE);
  CHECK_STATUS(NtDuplicateObject(s, s, NtCurrentProcess(), &d, 0, 0, DUPLICATE_SAME_ACCESS),
               STATUS_OBJECT_TYPE_MISMATCH);
  CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), s, s, &d, 0, 0, DUPLICATE_SAME_ACCESS),
               STATUS_OBJECT_TYPE_MISMATCH);
  CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), s, NtCurrentProcess(), (PHANDLE)1, 0, 0,
                                 DUPLICATE_SAME_ACCESS),
               STATUS_ACCESS_VIOLATION);

  /* NtQueryObject's other checks for this class. */
  OBJECT_HANDLE_FLAG_INFORMATION f;
  /* A fixed-size class: other lengths are STATUS_INFO_LENGTH_MISMATCH on Windows; Wine says
   * STATUS_INVALID_BUFFER_SIZE for a short buffer. */
  CHECK_STATUS(NtQueryObject(s, ObjectHandleFlagInformation, &f, 1, NULL),
               nt_is_wine() ? (NTSTATUS)0xC0000206 : STATUS_INFO_LENGTH_MISMATCH);
  CHECK_STATUS(NtQueryObject((HANDLE)0x1230, ObjectHandleFlagInformation, &f, sizeof f, NULL),
               STATUS_INVALID_HANDLE);
  /* Wine answers classes it does not know with STATUS_NOT_IMPLEMENTED. */
  CHECK_STATUS(NtQueryObject(s, 99, &f, sizeof f, NULL),
               nt_is_wine() ? STATUS_NOT_IMPLEMENTED : STATUS_INVALID_INFO_CLASS);
  NtClose(s);
}

void test_main(void) {
  test_mutant_ownership();
  test_mutant_errors();
  test_names();
  test_semaphores();
  test_duplicate();
}
