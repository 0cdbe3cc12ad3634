// probe_kernel_layers(): loads (and where it matters, attaches and triggers) a minimal program
// of each kind the guard uses, from probe.bpf.c, one program per load so one refusal does not
// hide the others. Nothing is assumed from the kernel version or config.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <memory>
#include <string>

#include "guard.h"
#include "libbpf_log.h"
#include "probe_bpf.skel.h"

namespace ireactor::guard {
namespace {

struct SkelDeleter {
  void operator()(probe_bpf* s) const { probe_bpf__destroy(s); }
};
using Probe = std::unique_ptr<probe_bpf, SkelDeleter>;

// Opens the probe object and loads only the program `only`. Returns the skeleton, or null with
// `error` set to "<section>: <reason>".
Probe load_only(const char* only, std::string& error) {
  LibbpfLog log;
  Probe skel(probe_bpf__open());
  if (!skel) {
    error = "probe object: " + errno_text(errno);
    return nullptr;
  }
  bpf_program* wanted = bpf_object__find_program_by_name(skel->obj, only);
  if (!wanted) {
    error = std::string("probe object lacks ") + only;
    return nullptr;
  }
  bpf_program* prog;
  bpf_object__for_each_program(prog, skel->obj) bpf_program__set_autoload(prog, prog == wanted);
  if (int err = probe_bpf__load(skel.get())) {
    error = std::string(bpf_program__section_name(wanted)) + ": " + errno_text(err);
    return nullptr;
  }
  return skel;
}

// A seccomp filter returning EPERM for `nr` (x86-64) and allowing everything else.
bool install_seccomp_eperm(int nr) {
  sock_filter insns[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<uint32_t>(nr), 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog prog{static_cast<unsigned short>(sizeof(insns) / sizeof(insns[0])), insns};
  return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
         syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0;
}

// Forks a child that has seccomp refuse getppid and calls it. True when the filter installed
// and refused the call with EPERM.
bool seccomp_refuses_in_child() {
  pid_t child = fork();
  if (child < 0) return false;
  if (child == 0) {
    if (!install_seccomp_eperm(SYS_getppid)) _exit(2);
    long r = syscall(SYS_getppid);
    _exit(r == -1 && errno == EPERM ? 0 : 1);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void probe_lsm(KernelLayers& k) {
  std::string error;
  Probe skel = load_only("probe_lsm", error);
  if (skel) {
    LibbpfLog log;
    bpf_link* link = bpf_program__attach(skel->progs.probe_lsm);
    if (!link) {
      error = "lsm/file_open: attach: " + errno_text(errno);
    } else {
      int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd >= 0) close(fd);
      bool ran = __atomic_load_n(&skel->bss->lsm_ran, __ATOMIC_SEQ_CST) != 0;
      bpf_link__destroy(link);
      if (ran)
        k.lsm = true;
      else
        error =
            "lsm/file_open: attached but never ran (the bpf LSM is not in the kernel's lsm= list)";
    }
  }
  if (!k.lsm) {
    k.lsm_error = error;
    k.problems.push_back(error);
  }
}

bool probe_load(const char* prog, KernelLayers& k) {
  std::string error;
  if (load_only(prog, error)) return true;
  k.problems.push_back(error);
  return false;
}

// raw_tp/sys_exit must load, attach, and see a seccomp refusal: whether a syscall seccomp
// refused still passes the sys_exit tracepoint is the kernel's entry code's business.
void probe_seccomp(KernelLayers& k) {
  std::string error;
  Probe skel = load_only("probe_sys_exit", error);
  bpf_link* link = nullptr;
  if (skel) {
    skel->data->target_syscall = SYS_getppid;
    link = bpf_program__attach(skel->progs.probe_sys_exit);
    if (!link) error = "raw_tp/sys_exit: attach: " + errno_text(errno);
  }
  k.seccomp = seccomp_refuses_in_child();
  if (!k.seccomp) k.problems.push_back("seccomp: a filter returning EPERM did not refuse");
  if (link) {
    k.seccomp_audit = __atomic_load_n(&skel->bss->seccomp_refusal_seen, __ATOMIC_SEQ_CST) != 0;
    bpf_link__destroy(link);
    if (!k.seccomp_audit && k.seccomp)
      error = "raw_tp/sys_exit: a syscall refused by seccomp never reached sys_exit";
  }
  if (!k.seccomp_audit && !error.empty()) k.problems.push_back(error);
}

void probe_landlock(KernelLayers& k) {
  long abi = syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (abi > 0)
    k.landlock_abi = static_cast<int>(abi);
  else
    k.problems.push_back("landlock: " + errno_text(errno));
}

}  // namespace

KernelLayers probe_kernel_layers() {
  KernelLayers k;
  probe_lsm(k);
  k.cgroup_dev = probe_load("probe_dev", k);
  k.sock_create = probe_load("probe_sock_create", k);
  k.sysctl = probe_load("probe_sysctl", k);
  probe_seccomp(k);
  probe_landlock(k);
  return k;
}

}  // namespace ireactor::guard
