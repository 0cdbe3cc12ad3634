// SPDX-License-Identifier: GPL-2.0
/* The guard: enforces namespace policies (policy/ compiles them into the `policy` map, layout in
 * guard_abi.h). Every program first looks up the caller's cgroup id in the policy set in force;
 * a process outside every namespace cgroup is allowed after that one lookup (the LSM file hooks
 * even check the inode type first, so regular files never reach the map). cgroup/dev first
 * looks in its cgroup's cache of opens it allowed silently (guard_dev_cache.bpf.h).
 *
 * Which hook covers what, and why:
 *
 *   feature / rule    LSM layer (guest; BPF LSM)           second layer (this host)
 *   ----------------  -----------------------------------  ----------------------------------
 *   device open       lsm.s/file_open (char/block inodes;  cgroup/dev (open and mknod; no
 *                     sleepable for bpf_d_path)            path: the hook has only the numbers)
 *   device mknod      cgroup/dev (both)                    cgroup/dev
 *   ioctl             lsm.s/file_ioctl, lsm/file_ioctl_    Landlock IOCTL_DEV at process start
 *                     compat (int 0x80 callers)            (`ireactor run`; not here)
 *   ptrace            lsm/ptrace_access_check (ATTACH      seccomp at process start
 *                     modes: ptrace, /proc/pid/mem,        (audited by raw_tp/sys_exit below)
 *                     process_vm_*, pidfd_getfd),
 *                     lsm/ptrace_traceme
 *   bpf               lsm/bpf (every command)              seccomp
 *   mount             lsm/sb_mount, sb_remount, sb_umount, seccomp
 *                     move_mount (new mount API, open_tree
 *                     clones), sb_pivotroot
 *   moduleLoad        lsm/kernel_read_file (finit_module), seccomp
 *                     kernel_load_data (init_module),
 *                     kernel_module_request (autoload on
 *                     the namespace's behalf), capable(CAP_
 *                     SYS_MODULE) (also delete_module)
 *   rawSockets        lsm/socket_create (SOCK_RAW in       cgroup/sock_create (inet sockets
 *                     inet/inet6)                          only, so raw but not packet)
 *   packetSockets     lsm/socket_create (PF_PACKET, and    seccomp (socket(AF_PACKET, ...))
 *                     SOCK_PACKET, which the kernel maps
 *                     to PF_PACKET before the hook)
 *   perfEvents        lsm/perf_event_open                  seccomp
 *   kexecReboot       lsm/kernel_read_file (kexec_file_    seccomp
 *                     load), kernel_load_data (kexec_load),
 *                     capable(CAP_SYS_BOOT): reboot() has
 *                     no LSM hook but needs the capability
 *   setTime           lsm/settime, capable(CAP_SYS_TIME)   seccomp
 *                     (adjtimex frequency changes check
 *                     only the capability)
 *   sysctlWrite       cgroup/sysctl (both: no LSM hook     cgroup/sysctl
 *                     sees /proc/sys writes as such)
 *   cgroupWrite       lsm/file_open (write-opens on a      Landlock at process start (no
 *                     cgroup fs), inode_mkdir, inode_rmdir writes beneath any cgroup mount)
 *                     there; clone3 (CLONE_INTO_CGROUP)    and seccomp (clone3: ENOSYS, so
 *                     by seccomp in both                   libc falls back to clone)
 *
 * Seccomp cannot report (the refused syscall never runs), so raw_tp/sys_exit reports, for a
 * process in a namespace with a seccomp filter, each syscall of a denied feature's seccomp set
 * that returned -EPERM (layer IR_LAYER_SECCOMP). tp_btf would be cheaper but needs ftrace
 * attachment, which this host refuses; the test for -EPERM comes before any map lookup, so the
 * common syscall pays a compare.
 *
 * clone3's ENOSYS is not reported: libc meets it on every thread it starts.
 *
 * Not covered by any hook here: mount_setattr and clone3 (no LSM hook; seccomp only). The cgroup
 * programs are attached per namespace cgroup by the loader; the LSM and tracing ones globally. */

#include "guard_dev_cache.bpf.h"
#include "guard_rules.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define S_IFMT 00170000
#define S_IFBLK 0060000
#define S_IFCHR 0020000
#define FMODE_READ 0x1
#define FMODE_WRITE 0x2
#define PTRACE_MODE_ATTACH 0x02
#define CAP_OPT_NOAUDIT 0x2
#define CAP_SYS_MODULE 16
#define CAP_SYS_BOOT 22
#define CAP_SYS_TIME 25
#define AF_INET 2
#define AF_INET6 10
#define AF_PACKET 17
#define SOCK_RAW 3
#define SOCK_TYPE_MASK 0xf
#define SECCOMP_MODE_FILTER 2
#define TS_COMPAT 0x0002
#define MINORBITS 20
#define BPF_DEVCG_DEV_BLOCK 1 /* uapi enum values absent from the kernel's BTF */
#define CGROUP_SUPER_MAGIC 0x27e0eb
#define CGROUP2_SUPER_MAGIC 0x63677270

/* detail of socket events: family and type. */
#define socket_detail(family, type) ((((__s64)(family)) << 16) | (type))

/* -EPERM, counted and reported, when the caller's namespace denies `feature`; else 0. */
static __always_inline int deny_feature(int feature, __s64 detail, bool audit) {
  struct ns_ctx nsc;
  if (!current_namespace(&nsc) || !feature_denied(&nsc, feature)) return 0;
  if (audit)
    feature_denial(&nsc, IR_LAYER_LSM, feature, detail);
  else
    count(IR_COUNTER_DENIED);
  return -EPERM;
}

/* ---- device nodes (LSM) ---- */

/* Type and numbers of a device inode; false for every other inode. */
static __always_inline bool inode_device(struct inode* inode, __u32* type, __u32* major,
                                         __u32* minor) {
  umode_t mode = inode->i_mode;
  if ((mode & S_IFMT) == S_IFCHR)
    *type = IR_DEV_CHAR;
  else if ((mode & S_IFMT) == S_IFBLK)
    *type = IR_DEV_BLOCK;
  else
    return false;
  dev_t rdev = inode->i_rdev;
  *major = rdev >> MINORBITS;
  *minor = rdev & ((1u << MINORBITS) - 1);
  return true;
}

/* An LSM hook's answer. -EPERM is -1, so clang would compute "-(denied)", and the 6.12
 * verifier forgets a negated value's range, then refuses the program for a return value outside
 * [-4095, 0]: hide the constant from the optimizer. */
static __always_inline int lsm_verdict(__u8 effect) {
  int eperm = -EPERM;
  barrier_var(eperm);
  return effect == IR_ALLOW ? 0 : eperm;
}

static __always_inline struct ir_audit_event* device_event(const struct ns_ctx* ctx,
                                                           const struct decision* d, __u16 kind,
                                                           __u8 layer, __u32 type, __u32 major,
                                                           __u32 minor, __u32 access) {
  struct ir_audit_event* e = event_begin(ctx, kind, d->effect, layer, d->rule_id);
  if (!e) return NULL;
  e->dev_type = type;
  e->major = major;
  e->minor = minor;
  e->access = access;
  return e;
}

/* ---- cgroup filesystems (LSM): cgroupWrite ---- */

/* Whether the inode lies on a cgroup filesystem: cgroup2, or a v1 hierarchy. */
static __always_inline bool on_cgroup_fs(struct inode* inode) {
  unsigned long magic = inode->i_sb->s_magic;
  return magic == CGROUP2_SUPER_MAGIC || magic == CGROUP_SUPER_MAGIC;
}

SEC("lsm/inode_mkdir")
int BPF_PROG(guard_inode_mkdir, struct inode* dir, struct dentry* dentry, umode_t mode) {
  return on_cgroup_fs(dir) ? deny_feature(IR_FEAT_CGROUP_WRITE, 0, true) : 0;
}

SEC("lsm/inode_rmdir")
int BPF_PROG(guard_inode_rmdir, struct inode* dir, struct dentry* dentry) {
  return on_cgroup_fs(dir) ? deny_feature(IR_FEAT_CGROUP_WRITE, 0, true) : 0;
}

SEC("lsm.s/file_open")
int BPF_PROG(guard_file_open, struct file* file) {
  __u32 type, major, minor;
  if (!inode_device(file->f_inode, &type, &major, &minor)) {
    /* Writing cgroup.procs or cgroup.threads moves a process out of its namespace's cgroup,
     * which every rule keys on; other cgroup files change limits and controllers. */
    if ((file->f_mode & FMODE_WRITE) && on_cgroup_fs(file->f_inode))
      return deny_feature(IR_FEAT_CGROUP_WRITE, 0, true);
    return 0;
  }
  struct ns_ctx nsc;
  if (!current_namespace(&nsc)) return 0;
  fmode_t fmode = file->f_mode;
  __u32 access =
      ((fmode & FMODE_READ) ? IR_ACC_READ : 0) | ((fmode & FMODE_WRITE) ? IR_ACC_WRITE : 0);
  if (!access) return 0;

  struct decision d = decide_device(&nsc, type, major, minor, access);
  bool audited = device_audited(&nsc, &d);
  count_decision(&d, audited);
  if (audited) {
    struct ir_audit_event* e =
        device_event(&nsc, &d, IR_EV_DEVICE_OPEN, IR_LAYER_LSM, type, major, minor, access);
    if (e) {
      bpf_d_path((struct path*)&file->f_path, e->path, sizeof(e->path));
      bpf_ringbuf_submit(e, 0);
    }
  }
  return lsm_verdict(d.effect);
}

static __always_inline int file_ioctl(struct file* file, unsigned int cmd, bool with_path) {
  __u32 type, major, minor;
  if (!inode_device(file->f_inode, &type, &major, &minor)) return 0;
  struct ns_ctx nsc;
  if (!current_namespace(&nsc)) return 0;

  struct decision d = decide_ioctl(&nsc, type, major, minor, cmd);
  bool audited = device_audited(&nsc, &d);
  count_decision(&d, audited);
  if (audited) {
    struct ir_audit_event* e =
        device_event(&nsc, &d, IR_EV_IOCTL, IR_LAYER_LSM, type, major, minor, 0);
    if (e) {
      e->ioctl_cmd = cmd;
      if (with_path) bpf_d_path((struct path*)&file->f_path, e->path, sizeof(e->path));
      bpf_ringbuf_submit(e, 0);
    }
  }
  return lsm_verdict(d.effect);
}

SEC("lsm.s/file_ioctl")
int BPF_PROG(guard_file_ioctl, struct file* file, unsigned int cmd, unsigned long arg) {
  return file_ioctl(file, cmd, true);
}

/* Not sleepable, so no bpf_d_path: the event names the device by its numbers only. */
SEC("lsm/file_ioctl_compat")
int BPF_PROG(guard_file_ioctl_compat, struct file* file, unsigned int cmd, unsigned long arg) {
  return file_ioctl(file, cmd, false);
}

/* ---- kernel features (LSM) ---- */

SEC("lsm/ptrace_access_check")
int BPF_PROG(guard_ptrace_access_check, struct task_struct* child, unsigned int mode) {
  /* Read-mode checks (/proc/pid/stat, kcmp) stay allowed: the feature is attaching to,
   * reading or writing another process's memory. */
  if (!(mode & PTRACE_MODE_ATTACH)) return 0;
  return deny_feature(IR_FEAT_PTRACE, mode, true);
}

SEC("lsm/ptrace_traceme")
int BPF_PROG(guard_ptrace_traceme, struct task_struct* parent) {
  return deny_feature(IR_FEAT_PTRACE, 0, true);
}

SEC("lsm/bpf")
int BPF_PROG(guard_bpf, int cmd) {
  return deny_feature(IR_FEAT_BPF, cmd, true);
}

SEC("lsm/sb_mount")
int BPF_PROG(guard_sb_mount, const char* dev_name, const struct path* path, const char* fstype,
             unsigned long flags) {
  return deny_feature(IR_FEAT_MOUNT, flags, true);
}

SEC("lsm/sb_remount")
int BPF_PROG(guard_sb_remount, struct super_block* sb) {
  return deny_feature(IR_FEAT_MOUNT, 0, true);
}

SEC("lsm/sb_umount")
int BPF_PROG(guard_sb_umount, struct vfsmount* mnt, int flags) {
  return deny_feature(IR_FEAT_MOUNT, flags, true);
}

SEC("lsm/sb_pivotroot")
int BPF_PROG(guard_sb_pivotroot, const struct path* old_path, const struct path* new_path) {
  return deny_feature(IR_FEAT_MOUNT, 0, true);
}

SEC("lsm/move_mount")
int BPF_PROG(guard_move_mount, const struct path* from_path, const struct path* to_path) {
  return deny_feature(IR_FEAT_MOUNT, 0, true);
}

SEC("lsm/kernel_read_file")
int BPF_PROG(guard_kernel_read_file, struct file* file, enum kernel_read_file_id id) {
  if (id == bpf_core_enum_value(enum kernel_read_file_id, READING_MODULE))
    return deny_feature(IR_FEAT_MODULE_LOAD, id, true);
  if (id == bpf_core_enum_value(enum kernel_read_file_id, READING_KEXEC_IMAGE) ||
      id == bpf_core_enum_value(enum kernel_read_file_id, READING_KEXEC_INITRAMFS))
    return deny_feature(IR_FEAT_KEXEC_REBOOT, id, true);
  return 0;
}

SEC("lsm/kernel_load_data")
int BPF_PROG(guard_kernel_load_data, enum kernel_load_data_id id) {
  if (id == bpf_core_enum_value(enum kernel_load_data_id, LOADING_MODULE))
    return deny_feature(IR_FEAT_MODULE_LOAD, id, true);
  if (id == bpf_core_enum_value(enum kernel_load_data_id, LOADING_KEXEC_IMAGE))
    return deny_feature(IR_FEAT_KEXEC_REBOOT, id, true);
  return 0;
}

SEC("lsm/kernel_module_request")
int BPF_PROG(guard_kernel_module_request, char* kmod_name) {
  return deny_feature(IR_FEAT_MODULE_LOAD, 0, true);
}

SEC("lsm/socket_create")
int BPF_PROG(guard_socket_create, int family, int type, int protocol, int kern) {
  if (kern) return 0;
  type &= SOCK_TYPE_MASK;
  if (family == AF_PACKET)
    return deny_feature(IR_FEAT_PACKET_SOCKETS, socket_detail(family, type), true);
  if (type == SOCK_RAW && (family == AF_INET || family == AF_INET6))
    return deny_feature(IR_FEAT_RAW_SOCKETS, socket_detail(family, type), true);
  return 0;
}

SEC("lsm/perf_event_open")
int BPF_PROG(guard_perf_event_open, struct perf_event_attr* attr, int type) {
  return deny_feature(IR_FEAT_PERF_EVENTS, type, true);
}

SEC("lsm/settime")
int BPF_PROG(guard_settime, const struct timespec64* ts, const struct timezone* tz) {
  return deny_feature(IR_FEAT_SET_TIME, 0, true);
}

/* Capabilities whose every use is one of the features: a syscall with no LSM hook of its own
 * (reboot, delete_module, adjtimex) still checks one of these. Probing checks (noaudit) are
 * refused without an event. */
SEC("lsm/capable")
int BPF_PROG(guard_capable, const struct cred* cred, struct user_namespace* ns, int cap,
             unsigned int opts) {
  int feature;
  if (cap == CAP_SYS_BOOT)
    feature = IR_FEAT_KEXEC_REBOOT;
  else if (cap == CAP_SYS_TIME)
    feature = IR_FEAT_SET_TIME;
  else if (cap == CAP_SYS_MODULE)
    feature = IR_FEAT_MODULE_LOAD;
  else
    return 0;
  return deny_feature(feature, cap, !(opts & CAP_OPT_NOAUDIT));
}

/* ---- cgroup layer: attached to each namespace cgroup ---- */

/* current_namespace() for cgroup/dev, which runs on every device open in a namespace: the
 * kernel runs cgroup programs inside an RCU read section (bpf_prog_run_array_cg) and they never
 * sleep, so that section already holds the slot read and the set taken from it together, as
 * bpf_rcu_read_lock() does for the sleepable LSM programs. Without those two kfunc calls an
 * open+close of a device node in a namespace took ~30 ns (~1%) less on this host. */
static __always_inline bool current_namespace_nonsleepable(struct ns_ctx* ctx) {
  __u32 zero = 0;
  __u32* active = bpf_map_lookup_elem(&policy_active, &zero);
  __u32 slot = active ? *active & (IR_POLICY_SLOTS - 1) : 0;
  void* set = bpf_map_lookup_elem(&policy, &slot);
  if (!set) return false;
  struct ir_rule_key key = {.id = bpf_get_current_cgroup_id(), .kind = IR_RULE_CGROUP};
  struct ir_rule_value* v = bpf_map_lookup_elem(set, &key);
  if (!v) return false;
  ctx->set = set;
  ctx->ns = &v->ns;
  return true;
}

SEC("cgroup/dev")
int guard_dev(struct bpf_cgroup_dev_ctx* dctx) {
  __u32 type = (dctx->access_type & 0xFFFF) == BPF_DEVCG_DEV_BLOCK ? IR_DEV_BLOCK : IR_DEV_CHAR;
  __u32 access = dctx->access_type >> 16; /* BPF_DEVCG_ACC_* == IR_ACC_* */
  __u32 major = dctx->major, minor = dctx->minor;
  __u16 kind = (access & IR_ACC_MKNOD) ? IR_EV_DEVICE_MKNOD : IR_EV_DEVICE_OPEN;
  /* Before the slot in force is read (guard_dev_cache.bpf.h). */
  struct dev_cache_ref cached = {};
  if (kind == IR_EV_DEVICE_OPEN && dev_cache_hit(&cached, type, major, minor, access)) return 1;

  struct ns_ctx nsc;
  if (!current_namespace_nonsleepable(&nsc)) return 1;
  struct decision d = decide_device(&nsc, type, major, minor, access);
  bool audited = device_audited(&nsc, &d);
  /* Cached only when nothing but the answer came of it, whichever layers run. */
  if (kind == IR_EV_DEVICE_OPEN && d.effect == IR_ALLOW && !audited) dev_cache_store(&cached);
  /* With the LSM layer attached, lsm/file_open reports the opens this program lets through. */
  if (lsm_layer && kind == IR_EV_DEVICE_OPEN && d.effect == IR_ALLOW) audited = false;
  count_decision(&d, audited);
  if (audited) {
    struct ir_audit_event* e =
        device_event(&nsc, &d, kind, IR_LAYER_CGROUP_DEV, type, major, minor, access);
    if (e) bpf_ringbuf_submit(e, 0);
  }
  return d.effect == IR_ALLOW;
}

/* Run by the loader (bpf_prog_test_run, bpf/policy_epoch.cpp) after each policy switch: one
 * atomic add, which a map update from userspace is not (it copies the value, byte by byte with
 * `rep movsb` on CPUs with fast short string moves), and a reader of a torn epoch could cache
 * under a future one. */
SEC("syscall")
int guard_epoch_bump(void* ctx) {
  __u32 zero = 0;
  __u64* epoch = bpf_map_lookup_elem(&policy_epoch, &zero);
  if (!epoch) return 1;
  __sync_fetch_and_add(epoch, 1);
  return 0;
}

SEC("cgroup/sock_create")
int guard_sock_create(struct bpf_sock* sk) {
  __u32 family = sk->family, type = sk->type;
  if (type != SOCK_RAW || (family != AF_INET && family != AF_INET6)) return 1;
  struct ns_ctx nsc;
  if (!current_namespace(&nsc) || !feature_denied(&nsc, IR_FEAT_RAW_SOCKETS)) return 1;
  feature_denial(&nsc, IR_LAYER_SOCK_CREATE, IR_FEAT_RAW_SOCKETS, socket_detail(family, type));
  return 0;
}

SEC("cgroup/sysctl")
int guard_sysctl(struct bpf_sysctl* sctx) {
  if (!sctx->write) return 1;
  struct ns_ctx nsc;
  if (!current_namespace(&nsc) || !feature_denied(&nsc, IR_FEAT_SYSCTL_WRITE)) return 1;
  count(IR_COUNTER_DENIED);
  if (nsc.ns->audit & IR_AUDIT_DENIALS) {
    struct ir_audit_event* e =
        event_begin(&nsc, IR_EV_FEATURE, IR_DENY, IR_LAYER_SYSCTL, IR_RULE_DEFAULT);
    if (e) {
      e->feature = IR_FEAT_SYSCTL_WRITE;
      /* "kernel/hostname": the sysctl's path under /proc/sys. */
      bpf_sysctl_get_name(sctx, e->path, sizeof(e->path), 0);
      bpf_ringbuf_submit(e, 0);
    }
  }
  return 0;
}

/* ---- seccomp refusals, seen on the way out ---- */

/* The feature whose seccomp set (policy StartLayers) holds this x86-64 syscall, or -1. */
static __always_inline int seccomp_feature(long nr, long arg0) {
  switch (nr) {
    case 101: /* ptrace */
      return IR_FEAT_PTRACE;
    case 321: /* bpf */
      return IR_FEAT_BPF;
    case 165: /* mount */
    case 166: /* umount2 */
    case 155: /* pivot_root */
    case 428: /* open_tree */
    case 429: /* move_mount */
    case 430: /* fsopen */
    case 431: /* fsconfig */
    case 432: /* fsmount */
    case 433: /* fspick */
    case 442: /* mount_setattr */
      return IR_FEAT_MOUNT;
    case 175: /* init_module */
    case 313: /* finit_module */
    case 176: /* delete_module */
      return IR_FEAT_MODULE_LOAD;
    case 41: /* socket */
      return arg0 == AF_PACKET ? IR_FEAT_PACKET_SOCKETS : -1;
    case 298: /* perf_event_open */
      return IR_FEAT_PERF_EVENTS;
    case 246: /* kexec_load */
    case 320: /* kexec_file_load */
    case 169: /* reboot */
      return IR_FEAT_KEXEC_REBOOT;
    case 164: /* settimeofday */
    case 227: /* clock_settime */
    case 159: /* adjtimex */
    case 305: /* clock_adjtime */
      return IR_FEAT_SET_TIME;
  }
  return -1;
}

SEC("raw_tp/sys_exit")
int BPF_PROG(guard_seccomp_audit, struct pt_regs* regs, long ret) {
  if (ret != -EPERM) return 0;
  struct ns_ctx nsc;
  if (!current_namespace(&nsc)) return 0;
  struct task_struct* task = (struct task_struct*)bpf_get_current_task();
  if (BPF_CORE_READ(task, seccomp.mode) != SECCOMP_MODE_FILTER) return 0;
  /* int 0x80 from a 64-bit process: the number is an i386 one, not in the table above. */
  if (bpf_core_field_exists(task->thread_info.status) &&
      (BPF_CORE_READ(task, thread_info.status) & TS_COMPAT))
    return 0;
  long nr = BPF_CORE_READ(regs, orig_ax);
  int feature = seccomp_feature(nr, BPF_CORE_READ(regs, di));
  if (feature < 0 || !feature_denied(&nsc, feature)) return 0;
  feature_denial(&nsc, IR_LAYER_SECCOMP, feature, nr);
  return 0;
}
