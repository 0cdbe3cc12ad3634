// The native Linux side of the NT call benchmark: the Linux calls each measured NT service
// stands for, a bare Syscall User Dispatch round trip (SIGSYS into a handler that only sets
// the result), the floor for ireactor's SUD entry path, and - when kmod-min is loaded - a bare
// ioctl round trip into /dev/ntgate (a command it refuses at once), the floor for the kmod
// entry. Prints "name ns_per_call" lines.
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF 0
#define PR_SYS_DISPATCH_ON 1
#endif
#define SELECTOR_ALLOW 0
#define SELECTOR_BLOCK 1

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

#define MEASURE(name, iterations, body)                       \
  do {                                                        \
    long n_ = (iterations);                                   \
    double t0_ = now_ns();                                    \
    for (long i_ = 0; i_ < n_; ++i_) {                        \
      body;                                                   \
    }                                                         \
    printf("%s %.1f\n", name, (now_ns() - t0_) / (double)n_); \
  } while (0)

static volatile char selector = SELECTOR_ALLOW;

static void on_sigsys(int sig, siginfo_t* info, void* uc_) {
  ucontext_t* uc = uc_;
  selector = SELECTOR_ALLOW;
  uc->uc_mcontext.gregs[REG_RAX] = 0;
  selector = SELECTOR_BLOCK;
}

// A `syscall` instruction outside libc, as Windows code issues it.
static long (*raw_syscall)(long nr);

static void find_libc_text(uintptr_t* start, uintptr_t* end) {
  FILE* maps = fopen("/proc/self/maps", "r");
  char line[512];
  uintptr_t target = (uintptr_t)&write;
  while (maps && fgets(line, sizeof line, maps)) {
    uintptr_t lo, hi;
    if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo <= target && target < hi) {
      *start = lo;
      *end = hi;
      break;
    }
  }
  if (maps) fclose(maps);
  if (!*end) {
    fprintf(stderr, "native_calls: libc text not found\n");
    exit(1);
  }
}

static void setup_sud(void) {
  static const uint8_t code[] = {0x48, 0x89, 0xf8, 0x0f, 0x05, 0xc3};  // mov rax,rdi; syscall; ret
  void* page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memcpy(page, code, sizeof code);
  mprotect(page, 4096, PROT_READ | PROT_EXEC);
  raw_syscall = (long (*)(long))page;
  struct sigaction sa = {0};
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSYS, &sa, NULL);
  // libc's text stays undiverted (its syscalls, rt_sigreturn included); the page above is not.
  uintptr_t start = 0, end = 0;
  find_libc_text(&start, &end);
  if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, start, end - start, &selector) != 0) {
    perror("prctl(PR_SET_SYSCALL_USER_DISPATCH)");
    exit(1);
  }
}

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 200000;
  const char* dir = argc > 2 ? argv[2] : "/tmp";
  char path[4096];
  snprintf(path, sizeof path, "%s/native-bench.dat", dir);
  char buf[64] = {0};

  int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
  if (fd < 0) {
    perror(path);
    return 1;
  }
  MEASURE("write64", n, write(fd, buf, sizeof buf));
  MEASURE("pread64", n, pread(fd, buf, sizeof buf, (i_ % 1024) * 64));
  close(fd);
  MEASURE("open_close", n / 4, close(open(path, O_RDONLY)));
  struct timespec ts;
  MEASURE("clock", n * 5, clock_gettime(CLOCK_MONOTONIC, &ts));
  unlink(path);

  // No such command: the module answers -ENOTTY after the same fd lookup every NT call makes.
  int gate = open("/dev/ntgate", O_RDWR | O_CLOEXEC);
  if (gate >= 0) {
    MEASURE("ntgate_ioctl", n, ioctl(gate, _IO('N', 0x7f), 0));
    close(gate);
  }

  setup_sud();
  MEASURE("getpid", n, raw_syscall(39));
  selector = SELECTOR_BLOCK;
  MEASURE("sigsys_roundtrip", n, raw_syscall(39 /* getpid: diverted, never reaches the kernel */));
  selector = SELECTOR_ALLOW;
  return 0;
}
