#include "guard_test_support.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "ireactor/policy/namespace_cgroup.h"

namespace ireactor::guard::test {
namespace {

int wait_child(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Removes every file under a bpffs directory a failed test may have left, then the directory.
void remove_pins(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    int fd = bpf_obj_get(entry.path().c_str());
    if (fd >= 0) {
      bpf_link_detach(fd);  // a cgroup link goes now, not after its cgroup
      close(fd);
    }
    unlink(entry.path().c_str());
  }
  rmdir(dir.c_str());
}

// rmdir of a cgroup fails while an exited child is still being torn down: retry briefly.
void remove_cgroup_dir(const fs::path& dir) {
  for (int i = 0; i < 100; ++i) {
    if (rmdir(dir.c_str()) == 0 || errno == ENOENT) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

uint64_t feature_bit(ir_feature f) {
  return 1ull << f;
}

Sandbox::Sandbox() {
  const std::string tag = "ireactor-test-" + std::to_string(getpid());
  setenv("IREACTOR_CGROUP", tag.c_str(), 1);
  setenv("IREACTOR_BPFFS_DIR", ("/sys/fs/bpf/" + tag).c_str(), 1);
  paths_ = policy::HostPaths::from_environment();
  char templ[] = "/tmp/ireactor-guard-test-XXXXXX";
  if (!mkdtemp(templ)) throw std::runtime_error("mkdtemp: " + std::string(strerror(errno)));
  scratch_ = templ;
}

Sandbox::~Sandbox() {
  remove_pins(paths_.bpffs_dir);
  for (const std::string& ns : namespaces_)
    remove_cgroup_dir(policy::namespace_cgroup_dir(paths_, ns));
  remove_cgroup_dir(policy::cgroup2_mount() / paths_.cgroup_parent);
  std::error_code ec;
  fs::remove_all(scratch_, ec);
}

fs::path Sandbox::cgroup(const std::string& ns) {
  namespaces_.push_back(ns);
  return policy::ensure_namespace_cgroup(paths_, ns);
}

PolicyBuilder& PolicyBuilder::namespace_in(uint64_t cgroup_id, const NamespaceSettings& s) {
  PolicyEntry e{};
  e.value.ns.ns_id = s.ns_id;
  e.value.ns.generation = s.generation;
  e.value.ns.device_default = s.device_default;
  e.value.ns.ioctl_default = s.ioctl_default;
  e.value.ns.audit = s.audit;
  e.value.ns.kernel_deny = s.kernel_deny;
  e.key = {.id = cgroup_id, .ns_id = 0, .kind = IR_RULE_CGROUP, .chunk = 0};
  entries_.push_back(e);
  e.key = {.id = 0, .ns_id = s.ns_id, .kind = IR_RULE_NAMESPACE, .chunk = 0};
  entries_.push_back(e);
  return *this;
}

PolicyBuilder& PolicyBuilder::device(uint32_t ns_id, uint64_t dev_id, ir_effect effect,
                                     uint8_t access, uint32_t rule_id, bool audit) {
  PolicyEntry e{};
  e.key = {.id = dev_id, .ns_id = ns_id, .kind = IR_RULE_DEVICE, .chunk = 0};
  e.value.dev = {.rule_id = rule_id,
                 .effect = static_cast<uint8_t>(effect),
                 .access = access,
                 .audit = static_cast<uint8_t>(audit),
                 .pad = 0};
  entries_.push_back(e);
  return *this;
}

PolicyBuilder& PolicyBuilder::ioctls(uint32_t ns_id, uint64_t dev_id,
                                     const std::vector<ir_ioctl_range>& ranges) {
  const size_t chunks = ranges.size() / IR_IOCTL_RANGES_PER_CHUNK + 1;
  for (size_t c = 0; c < chunks && c < IR_IOCTL_MAX_CHUNKS; ++c) {
    PolicyEntry e{};
    e.key = {
        .id = dev_id, .ns_id = ns_id, .kind = IR_RULE_IOCTL, .chunk = static_cast<uint16_t>(c)};
    for (size_t i = c * IR_IOCTL_RANGES_PER_CHUNK;
         i < ranges.size() && i < (c + 1) * IR_IOCTL_RANGES_PER_CHUNK; ++i)
      e.value.ioctl.ranges[e.value.ioctl.count++] = ranges[i];
    entries_.push_back(e);
  }
  return *this;
}

uint64_t DeviceNumber::id() const {
  return ir_dev_id(type, major, minor);
}

DeviceNumber device_of(const fs::path& node) {
  struct stat st {};
  if (stat(node.c_str(), &st) != 0 || !(S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
    throw std::runtime_error(node.string() + " is not a device node");
  return {S_ISBLK(st.st_mode) ? IR_DEV_BLOCK : IR_DEV_CHAR, ::major(st.st_rdev),
          ::minor(st.st_rdev)};
}

int run_in(const fs::path& cgroup, const std::function<int()>& fn, pid_t* pid) {
  pid_t child = fork();
  if (child < 0) throw std::runtime_error("fork: " + std::string(strerror(errno)));
  if (child == 0) {
    prctl(PR_SET_NAME, kChildComm);
    int result = 0;
    try {
      if (!cgroup.empty()) policy::join_cgroup(cgroup);
      result = fn();
    } catch (...) {
      _exit(250);
    }
    _exit(result);
  }
  if (pid) *pid = child;
  return wait_child(child);
}

int try_open(const fs::path& path, int flags) {
  int fd = open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return errno;
  close(fd);
  return 0;
}

int try_mknod(const fs::path& path, uint32_t major, uint32_t minor) {
  if (mknod(path.c_str(), S_IFCHR | 0600, makedev(major, minor)) != 0) return errno;
  unlink(path.c_str());
  return 0;
}

int try_socket(int family, int type, int protocol) {
  int fd = socket(family, type | SOCK_CLOEXEC, protocol);
  if (fd < 0) return errno;
  close(fd);
  return 0;
}

int try_sysctl_write(const std::string& name) {
  const fs::path file = fs::path("/proc/sys") / name;
  int fd = open(file.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return errno;
  char value[256];
  ssize_t n = read(fd, value, sizeof(value));
  int result = 0;
  if (n <= 0)
    result = n < 0 ? errno : EIO;
  else if (pwrite(fd, value, n, 0) != n)
    result = errno;
  close(fd);
  return result;
}

int try_ioctl(const fs::path& path, unsigned long cmd) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  int arg = 0;
  int result = ioctl(fd, cmd, &arg) < 0 ? errno : 0;
  close(fd);
  return result;
}

Hammer::Hammer(const fs::path& cgroup, std::function<int()> fn) {
  int stop[2], result[2];
  if (pipe2(stop, O_CLOEXEC) != 0 || pipe2(result, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe: " + std::string(strerror(errno)));
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork: " + std::string(strerror(errno)));
  if (pid_ == 0) {
    prctl(PR_SET_NAME, kChildComm);
    close(stop[1]);
    close(result[0]);
    fcntl(stop[0], F_SETFL, O_NONBLOCK);
    try {
      policy::join_cgroup(cgroup);
    } catch (...) {
      _exit(250);
    }
    Result r;
    char byte;
    while (read(stop[0], &byte, 1) < 0 && errno == EAGAIN) {
      ++r.attempts;
      if (fn() == 0) ++r.successes;
    }
    (void)!write(result[1], &r, sizeof(r));
    _exit(0);
  }
  close(stop[0]);
  close(result[1]);
  stop_fd_ = stop[1];
  result_fd_ = result[0];
}

Hammer::Result Hammer::stop() {
  Result r;
  if (pid_ < 0) return r;
  (void)!write(stop_fd_, "x", 1);
  if (read(result_fd_, &r, sizeof(r)) != sizeof(r)) r = {};
  wait_child(pid_);
  pid_ = -1;
  close(stop_fd_);
  close(result_fd_);
  return r;
}

Hammer::~Hammer() {
  stop();
}

struct AuditReader::Ring {
  ring_buffer* rb = nullptr;
  std::vector<ir_audit_event>* sink = nullptr;
  ~Ring() { ring_buffer__free(rb); }
};

AuditReader::AuditReader(int ring_fd) : ring_(std::make_unique<Ring>()) {
  ring_->rb = ring_buffer__new(
      ring_fd,
      [](void* ctx, void* data, size_t size) -> int {
        auto* sink = static_cast<std::vector<ir_audit_event>*>(ctx);
        ir_audit_event e{};
        std::memcpy(&e, data, std::min(size, sizeof(e)));
        sink->push_back(e);
        return 0;
      },
      &pending_, nullptr);
  if (!ring_->rb) throw std::runtime_error("ring_buffer__new: " + std::string(strerror(errno)));
}

AuditReader::~AuditReader() = default;

std::vector<ir_audit_event> AuditReader::drain() {
  ring_buffer__consume(ring_->rb);
  std::vector<ir_audit_event> out;
  out.swap(pending_);
  return out;
}

std::vector<ir_audit_event> AuditReader::of_pid(pid_t pid, size_t min_count,
                                                std::chrono::milliseconds wait) {
  std::vector<ir_audit_event> matched;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    for (const ir_audit_event& e : drain())
      if (e.pid == static_cast<uint32_t>(pid)) matched.push_back(e);
    if (matched.size() >= min_count || std::chrono::steady_clock::now() >= deadline) break;
    ring_buffer__poll(ring_->rb, 50);
  }
  return matched;
}

void pin_foreign_link(const fs::path& pin, bool lsm) {
  const bpf_insn insns[] = {
      {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .src_reg = 0, .off = 0, .imm = 0},
      {.code = BPF_JMP | BPF_EXIT, .dst_reg = 0, .src_reg = 0, .off = 0, .imm = 0},
  };
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  if (lsm) {
    btf* vmlinux = btf__load_vmlinux_btf();
    opts.expected_attach_type = BPF_LSM_MAC;
    opts.attach_btf_id = btf__find_by_name_kind(vmlinux, "bpf_lsm_file_open", BTF_KIND_FUNC);
    btf__free(vmlinux);
  }
  int prog = bpf_prog_load(lsm ? BPF_PROG_TYPE_LSM : BPF_PROG_TYPE_RAW_TRACEPOINT, "foreign", "GPL",
                           insns, 2, &opts);
  if (prog < 0) throw std::runtime_error("load foreign program: " + std::string(strerror(-prog)));
  int link = lsm ? bpf_link_create(prog, 0, BPF_LSM_MAC, nullptr)
                 : bpf_raw_tracepoint_open("sys_exit", prog);
  close(prog);
  if (link < 0) throw std::runtime_error("attach foreign program: " + std::string(strerror(-link)));
  int err = bpf_obj_pin(link, pin.c_str());
  close(link);
  if (err) throw std::runtime_error("pin foreign link: " + std::string(strerror(-err)));
}

uint32_t pinned_map_id(const fs::path& pin) {
  int fd = bpf_obj_get(pin.c_str());
  if (fd < 0) return 0;
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  int err = bpf_map_get_info_by_fd(fd, &info, &len);
  close(fd);
  return err ? 0 : info.id;
}

std::optional<PinnedLinkInfo> pinned_link(const fs::path& pin) {
  int fd = bpf_obj_get(pin.c_str());
  if (fd < 0) return std::nullopt;
  bpf_link_info info{};
  uint32_t len = sizeof(info);
  int err = bpf_link_get_info_by_fd(fd, &info, &len);
  close(fd);
  if (err) return std::nullopt;
  return PinnedLinkInfo{info.id, info.prog_id};
}

}  // namespace ireactor::guard::test
