/* A namespace process for the agent tests: joins a cgroup, then keeps opening a device the
 * policy denies (and, every so often, one it allows) until SIGTERM, counting the outcomes.
 *
 * Usage: dev_opener CGROUP_DIR DENIED_DEV ALLOWED_DEV [--pause-us N] [--ioctl]
 * --ioctl: also, each round, ioctl(TCGETS) on the allowed device, which only the BPF LSM layer
 * can refuse (EPERM; otherwise /dev/null answers ENOTTY).
 * Prints "ready PID" once inside the cgroup; on SIGUSR1 and at exit one JSON line of counts:
 * {"attempts", "opened" (denied device opened: enforcement failed), "denied" (EPERM),
 *  "other_errors", "last_errno", "allowed_attempts", "allowed_failures", "ioctl_denied",
 *  "ioctl_passed"}. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop, report;

static void on_term(int sig) {
  (void)sig;
  stop = 1;
}
static void on_usr1(int sig) {
  (void)sig;
  report = 1;
}

struct counts {
  unsigned long long attempts, opened, denied, other_errors, allowed_attempts, allowed_failures;
  unsigned long long ioctl_denied, ioctl_passed;
  int last_errno;
};

static void print_counts(const struct counts* c) {
  printf(
      "{\"attempts\": %llu, \"opened\": %llu, \"denied\": %llu, \"other_errors\": %llu, "
      "\"last_errno\": %d, \"allowed_attempts\": %llu, \"allowed_failures\": %llu, "
      "\"ioctl_denied\": %llu, \"ioctl_passed\": %llu}\n",
      c->attempts, c->opened, c->denied, c->other_errors, c->last_errno, c->allowed_attempts,
      c->allowed_failures, c->ioctl_denied, c->ioctl_passed);
  fflush(stdout);
}

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s CGROUP_DIR DENIED_DEV ALLOWED_DEV [--pause-us N] [--ioctl]\n",
            argv[0]);
    return 2;
  }
  const char *denied = argv[2], *allowed = argv[3];
  long pause_us = 0;
  int with_ioctl = 0;
  for (int i = 4; i < argc; i++) {
    if (strcmp(argv[i], "--pause-us") == 0 && i + 1 < argc)
      pause_us = atol(argv[++i]);
    else if (strcmp(argv[i], "--ioctl") == 0)
      with_ioctl = 1;
    else {
      fprintf(stderr, "dev_opener: unknown argument %s\n", argv[i]);
      return 2;
    }
  }

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);

  char procs[4096];
  snprintf(procs, sizeof procs, "%s/cgroup.procs", argv[1]);
  int fd = open(procs, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write(fd, "0\n", 2) != 2) {
    fprintf(stderr, "dev_opener: cannot join %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  close(fd);
  printf("ready %d\n", (int)getpid());
  fflush(stdout);

  struct counts c;
  memset(&c, 0, sizeof c);
  int ioctl_fd = -1;
  if (with_ioctl) {
    ioctl_fd = open(allowed, O_RDWR | O_CLOEXEC);
    if (ioctl_fd < 0) {
      fprintf(stderr, "dev_opener: cannot open %s: %s\n", allowed, strerror(errno));
      return 1;
    }
  }
  while (!stop) {
    c.attempts++;
    fd = open(denied, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      c.opened++;
      close(fd);
    } else if (errno == EPERM) {
      c.denied++;
    } else {
      c.other_errors++;
      c.last_errno = errno;
    }
    if ((c.attempts & 63) == 0) {
      c.allowed_attempts++;
      fd = open(allowed, O_RDWR | O_CLOEXEC);
      if (fd >= 0)
        close(fd);
      else
        c.allowed_failures++;
    }
    if (ioctl_fd >= 0) {
      char termios_buf[256];
      if (ioctl(ioctl_fd, TCGETS, termios_buf) != 0 && errno == EPERM)
        c.ioctl_denied++;
      else
        c.ioctl_passed++;
    }
    if (report) {
      report = 0;
      print_counts(&c);
    }
    if (pause_us > 0) {
      struct timespec ts = {pause_us / 1000000, (pause_us % 1000000) * 1000};
      nanosleep(&ts, NULL);
    }
  }
  print_counts(&c);
  return 0;
}
