// vm.bpf_lsm: an LSM program that refuses to open files named "ireactor-vm-lsm-denied". When
// opening such a file fails with EPERM while it is attached and works again once it is gone, BPF
// LSM is loaded, attached and enforcing in the guest kernel.
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define EPERM 1

static const char denied_name[] = "ireactor-vm-lsm-denied";

// Read back with bpftool map dump: how often the program said no.
__u64 denials = 0;

SEC("lsm/file_open")
int BPF_PROG(vm_lsm_probe, struct file* file) {
  char name[sizeof(denied_name) + 1];
  const unsigned char* dname = BPF_CORE_READ(file, f_path.dentry, d_name.name);

  // The read counts the NUL; the spare byte makes a longer name count more.
  if (bpf_probe_read_kernel_str(name, sizeof(name), dname) != sizeof(denied_name)) return 0;
  for (int i = 0; i < sizeof(denied_name); i++)
    if (name[i] != denied_name[i]) return 0;
  __sync_fetch_and_add(&denials, 1);
  return -EPERM;
}
