/* A hostile Windows program: it issues raw Linux system calls (through glibc's syscall(), found
 * from Windows code by linux_syscall.c) for everything a namespace policy denies, going around
 * ntcore entirely. Each attempt prints one line, `openat /dev/zero: -EPERM`, and the program
 * exits 0 when the kernel refused every attempt (EPERM or EACCES), 1 when any got through, 2
 * when it could not find glibc, 3 when an attempt could not even be made.
 *
 * Arguments (key=value, all optional):
 *   device=/dev/zero        a device node the policy denies, opened for reading
 *   ioctl_device=/dev/urandom  a device the policy lets it open but gives no ioctl; the program
 *                           tries RNDGETENTCNT on it
 *   ptrace_pid=N            a process to PTRACE_ATTACH (detached again if that works)
 *   ro_dir=/host/dir        the host directory of a read-only drive: create, write-open and
 *                           unlink (ro_dir/existing.txt) are tried there
 *   mount_dir=/host/dir     an empty directory to mount a tmpfs on (unmounted again if that
 *                           works); without it a path that does not exist, which only a layer
 *                           refusing before the path lookup (seccomp) refuses
 *   cgroup_procs=/path      a cgroup.procs (the cgroup2 root's): opened for writing (nothing is
 *                           written), which would let the program move itself out of its
 *                           namespace's cgroup
 *   cgroup_dir=/path        a cgroup directory: a child cgroup is made there (removed again if
 *                           that works)
 *   only=a,b                run only these attempts (names below)
 *
 * Attempts that could do harm if allowed are made harmless, each failing only after the kernel's
 * permission checks (where the LSM hooks sit): the clock calls carry an invalid timezone or
 * offset, reboot a wrong magic number, init_module a buffer that is no module, clone3 an invalid
 * cgroup fd (a namespace refuses clone3 with ENOSYS: the one refusal that is not EPERM/EACCES,
 * as libc falls back to clone then). Outside a
 * namespace they fail with EINVAL/ENOEXEC/ENOSYS, which shows the call reached the kernel and
 * passed its permission checks; the tmpfs mount succeeds and is undone. */
#include "linux_syscall.h"
#include "nttest.h"

enum {
  NR_close = 3,
  NR_ioctl = 16,
  NR_socket = 41,
  NR_wait4 = 61,
  NR_ptrace = 101,
  NR_adjtimex = 159,
  NR_settimeofday = 164,
  NR_mount = 165,
  NR_umount2 = 166,
  NR_reboot = 169,
  NR_init_module = 175,
  NR_openat = 257,
  NR_unlinkat = 263,
  NR_mkdirat = 258,
  NR_perf_event_open = 298,
  NR_bpf = 321,
  NR_clone3 = 435,
};
#define AT_FDCWD (-100)
#define O_WRONLY 01
#define O_CREAT 0100
#define O_EXCL 0200
#define O_CLOEXEC 02000000
#define AT_REMOVEDIR 0x200
#define EPERM 1
#define EACCES 13
#define ENOSYS 38

static int attempts, refused, let_through, not_made;

static int selected(const char* name) {
  const char* only = nt_arg_value("only");
  if (!only) return 1;
  size_t n = nt_strlen(name);
  for (const char* p = only; *p;) {
    const char* end = p;
    while (*end && *end != ',') end++;
    if ((size_t)(end - p) == n && nt_strncmp(p, name, n) == 0) return 1;
    p = *end ? end + 1 : end;
  }
  return 0;
}

static long long sys(long long nr, long long a1, long long a2, long long a3, long long a4,
                     long long a5) {
  return linux_syscall(nr, a1, a2, a3, a4, a5, 0);
}

/* Reports one attempt refused with `refusal` (or EPERM/EACCES when 0); a file descriptor it
 * returned is closed. */
static void report_refusal(const char* what, long long r, int returns_fd, int refusal) {
  attempts++;
  if (r >= 0) {
    let_through++;
    nt_printf("%s: ok (%lld)\n", what, r);
    if (returns_fd) sys(NR_close, r, 0, 0, 0, 0);
  } else if (refusal ? r == -refusal : r == -EPERM || r == -EACCES) {
    refused++;
    nt_printf("%s: -%s\n", what, linux_errno_name(-r));
  } else {
    let_through++;
    nt_printf("%s: -%s (%lld)\n", what, linux_errno_name(-r), -r);
  }
}

static void report(const char* what, long long r, int returns_fd) {
  report_refusal(what, r, returns_fd, 0);
}

static void not_attempted(const char* what, const char* why) {
  not_made++;
  nt_printf("%s: not attempted (%s)\n", what, why);
}

static void open_device(void) {
  const char* dev = nt_arg_value("device");
  if (!dev) dev = "/dev/zero";
  char what[160];
  nt_snprintf(what, sizeof what, "openat %s", dev);
  report(what, sys(NR_openat, AT_FDCWD, (long long)dev, O_CLOEXEC, 0, 0), 1);
}

static void ioctl_device(void) {
  const char* dev = nt_arg_value("ioctl_device");
  if (!dev) dev = "/dev/urandom";
  char what[160];
  nt_snprintf(what, sizeof what, "ioctl %s RNDGETENTCNT", dev);
  long long fd = sys(NR_openat, AT_FDCWD, (long long)dev, O_CLOEXEC, 0, 0);
  if (fd < 0) {
    char why[64];
    nt_snprintf(why, sizeof why, "its open failed: -%s", linux_errno_name(-fd));
    not_attempted(what, why);
    return;
  }
  int count = -1;
  const long long RNDGETENTCNT = 0x80045200;
  report(what, sys(NR_ioctl, fd, RNDGETENTCNT, (long long)&count, 0, 0), 0);
  sys(NR_close, fd, 0, 0, 0, 0);
}

static void ptrace_attach(void) {
  const char* pid_arg = nt_arg_value("ptrace_pid");
  if (!pid_arg) {
    not_attempted("ptrace PTRACE_ATTACH", "no ptrace_pid= argument");
    return;
  }
  const long long pid = nt_atoll(pid_arg);
  const long long PTRACE_ATTACH = 16, PTRACE_DETACH = 17, WALL = 0x40000000;
  char what[64];
  nt_snprintf(what, sizeof what, "ptrace PTRACE_ATTACH %lld", pid);
  long long r = sys(NR_ptrace, PTRACE_ATTACH, pid, 0, 0, 0);
  report(what, r, 0);
  if (r == 0) {  // let it go again: wait for the attach stop, then detach
    int status = 0;
    sys(NR_wait4, pid, (long long)&status, WALL, 0, 0);
    sys(NR_ptrace, PTRACE_DETACH, pid, 0, 0, 0);
  }
}

static void mount_tmpfs(void) {
  const char* dir = nt_arg_value("mount_dir");
  if (!dir) dir = "/nonexistent/ireactor-hostile";
  char what[300];
  nt_snprintf(what, sizeof what, "mount tmpfs %s", dir);
  long long r = sys(NR_mount, (long long)"none", (long long)dir, (long long)"tmpfs", 0, 0);
  report(what, r, 0);
  if (r == 0) sys(NR_umount2, (long long)dir, 0, 0, 0, 0);
}

static void packet_socket(void) {
  const long long AF_PACKET = 17, SOCK_RAW = 3, ETH_P_ALL_BE = 0x0300;
  report("socket AF_PACKET SOCK_RAW", sys(NR_socket, AF_PACKET, SOCK_RAW, ETH_P_ALL_BE, 0, 0), 1);
}

static void raw_socket(void) {
  const long long AF_INET = 2, SOCK_RAW = 3, IPPROTO_ICMP = 1;
  report("socket AF_INET SOCK_RAW", sys(NR_socket, AF_INET, SOCK_RAW, IPPROTO_ICMP, 0, 0), 1);
}

static void bpf_map_create(void) {
  /* union bpf_attr for BPF_MAP_CREATE: map_type, key_size, value_size, max_entries; the rest
   * zero (the kernel accepts a longer attr whose tail is zero). */
  ULONG attr[32];
  memset(attr, 0, sizeof attr);
  attr[0] = 2; /* BPF_MAP_TYPE_ARRAY */
  attr[1] = 4;
  attr[2] = 4;
  attr[3] = 1;
  const long long BPF_MAP_CREATE = 0;
  report("bpf BPF_MAP_CREATE", sys(NR_bpf, BPF_MAP_CREATE, (long long)attr, sizeof attr, 0, 0), 1);
}

static void perf_event(void) {
  /* struct perf_event_attr (size 128, PERF_ATTR_SIZE_VER7): a software CPU clock counter of
   * this process, disabled, user space only. */
  unsigned char attr[128];
  memset(attr, 0, sizeof attr);
  *(ULONG*)(attr + 0) = 1;                            /* type PERF_TYPE_SOFTWARE */
  *(ULONG*)(attr + 4) = 128;                          /* size */
  *(ULONGLONG*)(attr + 8) = 0;                        /* config PERF_COUNT_SW_CPU_CLOCK */
  *(ULONGLONG*)(attr + 40) = 1 | (1 << 5) | (1 << 6); /* disabled, exclude_kernel, exclude_hv */
  const long long PERF_FLAG_FD_CLOEXEC = 8;
  report("perf_event_open",
         sys(NR_perf_event_open, (long long)attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC), 1);
}

static void module_load(void) {
  static const char not_a_module[64] = "not an ELF module";
  report("init_module",
         sys(NR_init_module, (long long)not_a_module, sizeof not_a_module, (long long)"", 0, 0), 0);
}

static void set_time(void) {
  /* A valid time with an out-of-range timezone: the kernel checks the time, asks the LSMs
   * (security_settime64), then refuses the timezone with EINVAL before setting anything. */
  long long tv[2] = {1700000000, 0};
  int tz[2] = {100000 /* minutes west */, 0};
  report("settimeofday (invalid timezone)",
         sys(NR_settimeofday, (long long)tv, (long long)tz, 0, 0, 0), 0);
  /* struct timex with ADJ_SETOFFSET and a negative tv_usec: CAP_SYS_TIME is checked, then the
   * offset is refused with EINVAL. */
  unsigned char tx[256];
  memset(tx, 0, sizeof tx);
  *(ULONG*)(tx + 0) = 0x0100; /* modes = ADJ_SETOFFSET */
  *(LONGLONG*)(tx + 80) = -1; /* time.tv_usec */
  report("adjtimex ADJ_SETOFFSET (invalid offset)", sys(NR_adjtimex, (long long)tx, 0, 0, 0, 0), 0);
}

static void reboot_bad_magic(void) {
  const long long MAGIC1 = 0xfee1dead, WRONG_MAGIC2 = 0x1234, CMD_POWER_OFF = 0x4321fedc;
  report("reboot (wrong magic)", sys(NR_reboot, MAGIC1, WRONG_MAGIC2, CMD_POWER_OFF, 0, 0), 0);
}

static void read_only_drive(void) {
  const char* dir = nt_arg_value("ro_dir");
  if (!dir) {
    not_attempted("read-only drive", "no ro_dir= argument");
    return;
  }
  char path[256], what[320];
  nt_snprintf(path, sizeof path, "%s/created-by-hostile.txt", dir);
  nt_snprintf(what, sizeof what, "openat O_CREAT %s", path);
  long long r =
      sys(NR_openat, AT_FDCWD, (long long)path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644, 0);
  report(what, r, 1);
  if (r >= 0) sys(NR_unlinkat, AT_FDCWD, (long long)path, 0, 0, 0);

  nt_snprintf(path, sizeof path, "%s/existing.txt", dir);
  nt_snprintf(what, sizeof what, "openat O_WRONLY %s", path);
  report(what, sys(NR_openat, AT_FDCWD, (long long)path, O_WRONLY | O_CLOEXEC, 0, 0), 1);
  nt_snprintf(what, sizeof what, "unlinkat %s", path);
  report(what, sys(NR_unlinkat, AT_FDCWD, (long long)path, 0, 0, 0), 0);
}

/* Leaving the namespace's cgroup, which every rule of the guard keys on, or changing the tree. */
static void cgroup_write(void) {
  const char* procs = nt_arg_value("cgroup_procs");
  const char* dir = nt_arg_value("cgroup_dir");
  if (!procs || !dir) {
    not_attempted("cgroup write", "no cgroup_procs= or cgroup_dir= argument");
    return;
  }
  char path[300], what[340];
  nt_snprintf(what, sizeof what, "cgroup write-open %s", procs);
  report(what, sys(NR_openat, AT_FDCWD, (long long)procs, O_WRONLY | O_CLOEXEC, 0, 0), 1);

  nt_snprintf(path, sizeof path, "%s/hostile-child", dir);
  nt_snprintf(what, sizeof what, "cgroup mkdir %s", path);
  long long r = sys(NR_mkdirat, AT_FDCWD, (long long)path, 0755, 0, 0);
  report(what, r, 0);
  if (r == 0) sys(NR_unlinkat, AT_FDCWD, (long long)path, AT_REMOVEDIR, 0, 0);

  /* struct clone_args up to its cgroup field (CLONE_ARGS_SIZE_VER2, 88 bytes): flags
   * CLONE_INTO_CGROUP with cgroup fd -1, which the kernel refuses with EINVAL before any child
   * exists. */
  ULONGLONG args[11];
  memset(args, 0, sizeof args);
  args[0] = 0x200000000ULL; /* CLONE_INTO_CGROUP */
  args[10] = (ULONGLONG)-1; /* cgroup */
  report_refusal("clone3 CLONE_INTO_CGROUP", sys(NR_clone3, (long long)args, sizeof args, 0, 0, 0),
                 0, ENOSYS);
}

static const struct {
  const char* name;
  void (*run)(void);
} kAttempts[] = {
    {"open_device", open_device},  {"ioctl_device", ioctl_device},   {"ptrace", ptrace_attach},
    {"mount", mount_tmpfs},        {"packet_socket", packet_socket}, {"raw_socket", raw_socket},
    {"bpf", bpf_map_create},       {"perf_event", perf_event},       {"module_load", module_load},
    {"set_time", set_time},        {"reboot", reboot_bad_magic},     {"cgroup", cgroup_write},
    {"ro_drive", read_only_drive},
};

void test_main(void) {
  char why[160];
  if (linux_syscall_init(why, sizeof why) != 0) {
    nt_printf("hostile: cannot find glibc's syscall(): %s\n", why);
    NtTerminateProcess(NtCurrentProcess(), 2);
  }
  nt_printf("hostile: glibc syscall() at %p, reached from Windows code\n",
            (void*)(ULONG_PTR)linux_syscall_address());
  for (unsigned i = 0; i < sizeof kAttempts / sizeof kAttempts[0]; i++)
    if (selected(kAttempts[i].name)) kAttempts[i].run();
  nt_printf("hostile: %d attempts, %d refused, %d not refused, %d not attempted\n", attempts,
            refused, let_through, not_made);
  NtTerminateProcess(NtCurrentProcess(), not_made ? 3 : let_through ? 1 : 0);
}
