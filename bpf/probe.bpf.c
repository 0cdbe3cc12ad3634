// SPDX-License-Identifier: GPL-2.0
/* Minimal programs of each type the guard uses, loaded one at a time by probe_kernel_layers()
 * (kernel_layers.cpp) to find out what this kernel allows. The LSM and sys_exit ones also record
 * that they ran: an LSM program can attach while the bpf LSM is inactive (not in lsm=) and then
 * never runs, and whether a seccomp-refused syscall reaches sys_exit is a kernel detail. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define EPERM 1
#define SECCOMP_MODE_FILTER 2

long target_syscall = -1; /* sys_exit: the syscall the prober's child has seccomp refuse */
__u32 lsm_ran = 0;        /* any file_open at all: the prober opens one while attached */
__u32 seccomp_refusal_seen = 0;

SEC("lsm/file_open")
int BPF_PROG(probe_lsm, struct file* file) {
  lsm_ran = 1;
  return 0;
}

SEC("cgroup/dev")
int probe_dev(struct bpf_cgroup_dev_ctx* ctx) {
  return 1;
}

SEC("cgroup/sock_create")
int probe_sock_create(struct bpf_sock* sk) {
  return 1;
}

SEC("cgroup/sysctl")
int probe_sysctl(struct bpf_sysctl* ctx) {
  return 1;
}

SEC("raw_tp/sys_exit")
int BPF_PROG(probe_sys_exit, struct pt_regs* regs, long ret) {
  if (ret != -EPERM || BPF_CORE_READ(regs, orig_ax) != target_syscall) return 0;
  struct task_struct* task = (struct task_struct*)bpf_get_current_task();
  if (BPF_CORE_READ(task, seccomp.mode) == SECCOMP_MODE_FILTER) seccomp_refusal_seen = 1;
  return 0;
}
