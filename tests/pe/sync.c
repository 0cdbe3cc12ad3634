/* Events and waits: notification and synchronization events, previous states, waits on one and
 * many objects with zero, relative, absolute and infinite timeouts, NtDelayExecution,
 * NtYieldExecution, and the errors for bad handles and arguments. */
#include "nttest.h"

static LONGLONG qpc_freq;

static LONGLONG now_qpc(void) {
  LARGE_INTEGER c, f;
  NtQueryPerformanceCounter(&c, &f);
  qpc_freq = f.QuadPart;
  return c.QuadPart;
}

/* Milliseconds between two counter readings. */
static LONGLONG elapsed_ms(LONGLONG from, LONGLONG to) {
  return qpc_freq ? (to - from) * 1000 / qpc_freq : -1;
}

static HANDLE make_event(EVENT_TYPE type, BOOLEAN initial) {
  HANDLE h = 0;
  NTSTATUS s = NtCreateEvent(&h, EVENT_ALL_ACCESS, 0, type, initial);
  if (!NT_SUCCESS(s)) nt_note("NtCreateEvent failed 0x%08x", (unsigned)s);
  return h;
}

static NTSTATUS poll(HANDLE h) {
  LARGE_INTEGER zero;
  zero.QuadPart = 0;
  return NtWaitForSingleObject(h, FALSE, &zero);
}

static void test_notification(void) {
  HANDLE e = 0;
  LONG prev = 77;

  nt_note("notification events");
  CHECK_OK(NtCreateEvent(&e, EVENT_ALL_ACCESS, 0, NotificationEvent, FALSE));
  CHECK(e != 0);
  CHECK_STATUS(poll(e), STATUS_TIMEOUT);
  CHECK_OK(NtSetEvent(e, &prev));
  CHECK_EQ(prev, 0);
  CHECK_OK(NtSetEvent(e, &prev));
  CHECK_EQ(prev, 1);
  /* A notification event stays signaled for every waiter. */
  CHECK_STATUS(poll(e), STATUS_WAIT_0);
  CHECK_STATUS(poll(e), STATUS_WAIT_0);
  CHECK_STATUS(NtWaitForSingleObject(e, FALSE, 0), STATUS_WAIT_0);
  CHECK_OK(NtResetEvent(e, &prev));
  CHECK_EQ(prev, 1);
  CHECK_OK(NtResetEvent(e, &prev));
  CHECK_EQ(prev, 0);
  CHECK_STATUS(poll(e), STATUS_TIMEOUT);
  /* PreviousState is optional. */
  CHECK_OK(NtSetEvent(e, 0));
  CHECK_OK(NtResetEvent(e, 0));
  CHECK_OK(NtClose(e));

  /* Initially signaled; with OBJECT_ATTRIBUTES that name nothing. */
  OBJECT_ATTRIBUTES oa;
  memset(&oa, 0, sizeof oa);
  oa.Length = sizeof oa;
  CHECK_OK(NtCreateEvent(&e, EVENT_ALL_ACCESS, &oa, NotificationEvent, TRUE));
  CHECK_STATUS(poll(e), STATUS_WAIT_0);
  CHECK_OK(NtClose(e));
}

static void test_synchronization(void) {
  HANDLE e;
  LONG prev = 77;

  nt_note("synchronization events");
  e = make_event(SynchronizationEvent, TRUE);
  CHECK(e != 0);
  /* A satisfied wait resets a synchronization event. */
  CHECK_STATUS(poll(e), STATUS_WAIT_0);
  CHECK_STATUS(poll(e), STATUS_TIMEOUT);
  CHECK_OK(NtSetEvent(e, &prev));
  CHECK_EQ(prev, 0);
  CHECK_OK(NtSetEvent(e, &prev));
  CHECK_EQ(prev, 1);
  CHECK_STATUS(NtWaitForSingleObject(e, FALSE, 0), STATUS_WAIT_0);
  CHECK_STATUS(poll(e), STATUS_TIMEOUT);
  CHECK_OK(NtSetEvent(e, 0));
  CHECK_OK(NtResetEvent(e, &prev));
  CHECK_EQ(prev, 1);
  CHECK_STATUS(poll(e), STATUS_TIMEOUT);
  NtClose(e);
}

static void test_timeouts(void) {
  HANDLE e = make_event(NotificationEvent, FALSE);
  LARGE_INTEGER t, sys;
  LONGLONG start, ms;

  nt_note("timeouts");
  /* Relative: negative, in 100 ns units. */
  t.QuadPart = -30 * 10000LL;
  start = now_qpc();
  CHECK_STATUS(NtWaitForSingleObject(e, FALSE, &t), STATUS_TIMEOUT);
  ms = elapsed_ms(start, now_qpc());
  nt_note("30 ms relative wait took %lld ms", ms);
  CHECK(ms >= 29 && ms < 1000);

  /* Absolute: system time in the future. */
  NtQuerySystemTime(&sys);
  t.QuadPart = sys.QuadPart + 30 * 10000LL;
  start = now_qpc();
  CHECK_STATUS(NtWaitForSingleObject(e, FALSE, &t), STATUS_TIMEOUT);
  ms = elapsed_ms(start, now_qpc());
  nt_note("30 ms absolute wait took %lld ms", ms);
  CHECK(ms >= 25 && ms < 1000);

  /* Absolute in the past: an immediate timeout. */
  t.QuadPart = sys.QuadPart - 10000000LL;
  start = now_qpc();
  CHECK_STATUS(NtWaitForSingleObject(e, FALSE, &t), STATUS_TIMEOUT);
  CHECK(elapsed_ms(start, now_qpc()) < 100);

  /* Zero: an immediate poll. */
  start = now_qpc();
  CHECK_STATUS(poll(e), STATUS_TIMEOUT);
  CHECK(elapsed_ms(start, now_qpc()) < 100);

  /* Signaled: no waiting whatever the timeout. */
  NtSetEvent(e, 0);
  t.QuadPart = -10000000LL * 60;
  start = now_qpc();
  CHECK_STATUS(NtWaitForSingleObject(e, FALSE, &t), STATUS_WAIT_0);
  CHECK(elapsed_ms(start, now_qpc()) < 100);
  NtClose(e);
}

static void test_multiple(void) {
  HANDLE h[3];
  LARGE_INTEGER zero, t;
  LONGLONG start, ms;
  zero.QuadPart = 0;

  nt_note("NtWaitForMultipleObjects");
  h[0] = make_event(NotificationEvent, FALSE);
  h[1] = make_event(SynchronizationEvent, TRUE);
  h[2] = make_event(NotificationEvent, TRUE);

  /* Any: the lowest signaled index. */
  CHECK_STATUS(NtWaitForMultipleObjects(3, h, WaitAny, FALSE, &zero), STATUS_WAIT_1);
  /* h[1] was consumed by that wait. */
  CHECK_STATUS(NtWaitForMultipleObjects(3, h, WaitAny, FALSE, &zero), STATUS_WAIT_2);
  CHECK_STATUS(NtWaitForMultipleObjects(2, h, WaitAny, FALSE, &zero), STATUS_TIMEOUT);

  /* All: nothing is consumed unless every object is signaled. */
  NtSetEvent(h[1], 0);
  CHECK_STATUS(NtWaitForMultipleObjects(3, h, WaitAll, FALSE, &zero), STATUS_TIMEOUT);
  CHECK_STATUS(poll(h[1]), STATUS_WAIT_0); /* still signaled before this poll */
  NtSetEvent(h[0], 0);
  NtSetEvent(h[1], 0);
  CHECK_STATUS(NtWaitForMultipleObjects(3, h, WaitAll, FALSE, &zero), STATUS_WAIT_0);
  CHECK_STATUS(poll(h[1]), STATUS_TIMEOUT); /* consumed by the wait-all */
  CHECK_STATUS(poll(h[0]), STATUS_WAIT_0);  /* notification: stays */

  /* Relative timeout on a wait-any. */
  NtResetEvent(h[0], 0);
  NtResetEvent(h[2], 0);
  t.QuadPart = -20 * 10000LL;
  start = now_qpc();
  CHECK_STATUS(NtWaitForMultipleObjects(3, h, WaitAny, FALSE, &t), STATUS_TIMEOUT);
  ms = elapsed_ms(start, now_qpc());
  CHECK(ms >= 19 && ms < 1000);
  /* Absolute timeout on a wait-all. */
  NtSetEvent(h[0], 0);
  LARGE_INTEGER sys;
  NtQuerySystemTime(&sys);
  t.QuadPart = sys.QuadPart + 20 * 10000LL;
  start = now_qpc();
  CHECK_STATUS(NtWaitForMultipleObjects(3, h, WaitAll, FALSE, &t), STATUS_TIMEOUT);
  ms = elapsed_ms(start, now_qpc());
  CHECK(ms >= 15 && ms < 1000);
  CHECK_STATUS(NtWaitForMultipleObjects(1, h, WaitAll, FALSE, 0), STATUS_WAIT_0);

  /* Arguments. */
  CHECK_STATUS(NtWaitForMultipleObjects(0, h, WaitAny, FALSE, &zero), STATUS_INVALID_PARAMETER_1);
  {
    HANDLE many[MAXIMUM_WAIT_OBJECTS + 1];
    for (int i = 0; i <= MAXIMUM_WAIT_OBJECTS; i++) many[i] = h[0];
    CHECK_STATUS(NtWaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, many, WaitAny, FALSE, &zero),
                 STATUS_INVALID_PARAMETER_1);
    /* The same object twice is fine for wait-any, not for wait-all. */
    CHECK_STATUS(NtWaitForMultipleObjects(2, many, WaitAny, FALSE, &zero), STATUS_WAIT_0);
    CHECK_STATUS(NtWaitForMultipleObjects(2, many, WaitAll, FALSE, &zero),
                 STATUS_INVALID_PARAMETER_MIX);
  }
  CHECK_STATUS(NtWaitForMultipleObjects(2, h, (WAIT_TYPE)2, FALSE, &zero),
               STATUS_INVALID_PARAMETER_3);
  {
    HANDLE bad[2] = {h[0], (HANDLE)0x7ff0};
    CHECK_STATUS(NtWaitForMultipleObjects(2, bad, WaitAny, FALSE, &zero), STATUS_INVALID_HANDLE);
  }
  for (int i = 0; i < 3; i++) NtClose(h[i]);
}

static void test_errors(void) {
  HANDLE e = 0, dir = 0;
  LARGE_INTEGER zero;
  LONG prev;
  zero.QuadPart = 0;

  nt_note("errors");
  CHECK_STATUS(NtCreateEvent(&e, EVENT_ALL_ACCESS, 0, (EVENT_TYPE)2, FALSE),
               STATUS_INVALID_PARAMETER);
  CHECK_STATUS(NtSetEvent((HANDLE)0x7ff0, &prev), STATUS_INVALID_HANDLE);
  CHECK_STATUS(NtResetEvent((HANDLE)0x7ff0, &prev), STATUS_INVALID_HANDLE);
  CHECK_STATUS(NtSetEvent(0, &prev), STATUS_INVALID_HANDLE);
  CHECK_STATUS(NtWaitForSingleObject((HANDLE)0x7ff0, FALSE, &zero), STATUS_INVALID_HANDLE);

  /* A closed handle is gone. */
  e = make_event(NotificationEvent, FALSE);
  CHECK_OK(NtClose(e));
  CHECK_STATUS(NtSetEvent(e, 0), STATUS_INVALID_HANDLE);
  CHECK_STATUS(NtClose(e), STATUS_INVALID_HANDLE);

  /* The handle's granted access is checked. */
  CHECK_OK(NtCreateEvent(&e, EVENT_QUERY_STATE | SYNCHRONIZE, 0, NotificationEvent, FALSE));
  CHECK_STATUS(NtSetEvent(e, 0), STATUS_ACCESS_DENIED);
  CHECK_STATUS(poll(e), STATUS_TIMEOUT);
  NtClose(e);
  CHECK_OK(NtCreateEvent(&e, EVENT_MODIFY_STATE, 0, NotificationEvent, TRUE));
  CHECK_STATUS(poll(e), STATUS_ACCESS_DENIED); /* no SYNCHRONIZE */
  NtClose(e);

  /* An event service on a handle to something else. */
  if (NT_SUCCESS(nt_create(&dir, L"\\??\\C:\\", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE,
                           FILE_SHARE_ALL, 0))) {
    CHECK_STATUS(NtSetEvent(dir, 0), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtResetEvent(dir, 0), STATUS_OBJECT_TYPE_MISMATCH);
    NtClose(dir);
  } else {
    CHECK(!"open \\??\\C:\\");
  }

  /* The process is waitable and, running, not signaled. */
  CHECK_STATUS(poll(NtCurrentProcess()), STATUS_TIMEOUT);
}

static void test_delay_yield(void) {
  LARGE_INTEGER t, sys;
  LONGLONG start, ms;

  nt_note("NtDelayExecution, NtYieldExecution");
  t.QuadPart = -25 * 10000LL;
  start = now_qpc();
  CHECK_OK(NtDelayExecution(FALSE, &t));
  ms = elapsed_ms(start, now_qpc());
  nt_note("25 ms delay took %lld ms", ms);
  CHECK(ms >= 24 && ms < 1000);

  /* A zero (or past) interval only yields: STATUS_NO_YIELD_PERFORMED when nothing else ran. */
  t.QuadPart = 0;
  start = now_qpc();
  NTSTATUS d = NtDelayExecution(FALSE, &t);
  CHECK(d == STATUS_SUCCESS || d == STATUS_NO_YIELD_PERFORMED);
  CHECK(elapsed_ms(start, now_qpc()) < 100);

  NtQuerySystemTime(&sys);
  t.QuadPart = sys.QuadPart + 20 * 10000LL;
  start = now_qpc();
  CHECK_OK(NtDelayExecution(FALSE, &t));
  ms = elapsed_ms(start, now_qpc());
  CHECK(ms >= 15 && ms < 1000);

  t.QuadPart = sys.QuadPart - 10000000LL;
  start = now_qpc();
  d = NtDelayExecution(FALSE, &t);
  CHECK(d == STATUS_SUCCESS || d == STATUS_NO_YIELD_PERFORMED);
  CHECK(elapsed_ms(start, now_qpc()) < 100);

  NTSTATUS s = NtYieldExecution();
  CHECK(s == STATUS_SUCCESS || s == STATUS_NO_YIELD_PERFORMED);
  int ok = 1;
  for (int i = 0; i < 1000; i++) {
    s = NtYieldExecution();
    ok &= s == STATUS_SUCCESS || s == STATUS_NO_YIELD_PERFORMED;
  }
  CHECK(ok);
}

void test_main(void) {
  now_qpc();
  test_notification();
  test_synchronization();
  test_timeouts();
  test_multiple();
  test_errors();
  test_delay_yield();
}
