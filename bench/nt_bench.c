/* The Windows side of the NT call benchmark: the same .exe runs under `ireactor run` (either
 * entry path) and under Wine. It imports only ntdll and prints "name ns_per_call" lines, the
 * counterparts of bench/native_calls.c. Argument: iterations (default 200000). */
#include "nttest.h"

static LONGLONG frequency;

static LONGLONG counter(void) {
  LARGE_INTEGER c;
  NtQueryPerformanceCounter(&c, 0);
  return c.QuadPart;
}

/* Prints the mean cost with one decimal; the harness printf has no floating point. */
static void report(const char* name, LONGLONG ticks, long n) {
  LONGLONG tenths = ticks * 10000000000LL / frequency / n;
  nt_printf("%s %lld.%lld\n", name, tenths / 10, tenths % 10);
}

#define MEASURE(name, n, body)         \
  do {                                 \
    long n_ = (n);                     \
    LONGLONG t0_ = counter();          \
    for (long i = 0; i < n_; ++i) {    \
      body;                            \
    }                                  \
    report(name, counter() - t0_, n_); \
  } while (0)

void test_main(void) {
  long n = nt_argc() > 0 ? (long)nt_atoll(nt_argv(0)) : 200000;
  LARGE_INTEGER freq;
  NtQueryPerformanceCounter(&freq, &freq);
  frequency = freq.QuadPart;

  static const WCHAR path[] = L"\\??\\C:\\ireactor-bench.dat";
  char buf[64] = {0};
  IO_STATUS_BLOCK iosb;
  HANDLE h;
  NTSTATUS s = nt_create(&h, path, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, FILE_OVERWRITE_IF,
                         FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE, 0, 0);
  CHECK_OK(s);
  if (!NT_SUCCESS(s)) return;
  MEASURE("write64", n, NtWriteFile(h, 0, 0, 0, &iosb, buf, sizeof buf, 0, 0));
  LARGE_INTEGER offset;
  MEASURE("pread64", n,
          (offset.QuadPart = (i % 1024) * 64,
           NtReadFile(h, 0, 0, 0, &iosb, buf, sizeof buf, &offset, 0)));
  /* What the runtime itself costs per read: a zero-length read transfers nothing and makes no
   * Linux system call, so this is the gate, the dispatcher and the service's bookkeeping. */
  MEASURE("read0", n, (offset.QuadPart = 0, NtReadFile(h, 0, 0, 0, &iosb, buf, 0, &offset, 0)));
  NtClose(h);
  MEASURE("open_close", n / 4,
          (nt_create(&h, path, GENERIC_READ | SYNCHRONIZE, FILE_OPEN,
                     FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE, FILE_SHARE_READ, 0),
           NtClose(h)));
  LARGE_INTEGER c;
  MEASURE("clock", n * 5, NtQueryPerformanceCounter(&c, 0));
  NT_NAME name;
  CHECK_OK(NtDeleteFile(nt_name(&name, path, 0)));
}
