/* Threads through kernel32: CreateThread, a mutex and a critical section guarding counters,
 * WaitForMultipleObjects on the thread handles, exit codes, and TLS slots per thread. */
#include <windows.h>

#include "win32_check.h"

#define THREADS 4
#define ROUNDS 20000

static HANDLE mutex;
static CRITICAL_SECTION section;
static LONG mutex_counter, section_counter;
static DWORD tls_index;

static DWORD WINAPI worker(void* arg) {
  const DWORD id = (DWORD)(ULONG_PTR)arg;
  TlsSetValue(tls_index, (void*)(ULONG_PTR)(id + 1));
  for (int i = 0; i < ROUNDS; i++) {
    WaitForSingleObject(mutex, INFINITE);
    mutex_counter++;
    ReleaseMutex(mutex);
    EnterCriticalSection(&section);
    section_counter++;
    LeaveCriticalSection(&section);
  }
  return (DWORD)(ULONG_PTR)TlsGetValue(tls_index) == id + 1 ? 100 + id : 1;
}

int main(void) {
  mutex = CreateMutexA(NULL, FALSE, NULL);
  CHECK(mutex != NULL);
  InitializeCriticalSection(&section);
  tls_index = TlsAlloc();
  CHECK(tls_index != TLS_OUT_OF_INDEXES);
  TlsSetValue(tls_index, (void*)0x1234);

  HANDLE threads[THREADS];
  for (DWORD i = 0; i < THREADS; i++) {
    threads[i] = CreateThread(NULL, 0, worker, (void*)(ULONG_PTR)i, 0, NULL);
    CHECK(threads[i] != NULL);
  }
  CHECK(WaitForMultipleObjects(THREADS, threads, TRUE, 60000) == WAIT_OBJECT_0);
  for (DWORD i = 0; i < THREADS; i++) {
    DWORD code = 0;
    CHECK(GetExitCodeThread(threads[i], &code) && code == 100 + i);
    CloseHandle(threads[i]);
  }
  CHECK(mutex_counter == THREADS * ROUNDS);
  CHECK(section_counter == THREADS * ROUNDS);
  CHECK(TlsGetValue(tls_index) == (void*)0x1234); /* the main thread's slot is its own */
  DeleteCriticalSection(&section);
  CloseHandle(mutex);
  return WIN32_SUMMARY();
}
