#include "entry/kmod_entry.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "io/open_file_table.h"
#include "ireactor/dispatcher.h"
#include "ireactor/handle_table.h"
#include "ireactor/io/file_object.h"
#include "ireactor/process.h"
#include "ireactor/user_memory.h"
#include "ntgate_uapi.h"

namespace ireactor::entry {

namespace {

// Handles past this many are served in userspace only (the kernel refuses indexes beyond it).
constexpr uint32_t kMirrorCapacity = 1u << 16;

int g_gate_fd = -1;
ntgate_handle* g_mirror = nullptr;

// The file handle's mirror entry as documented in ntgate_uapi.h and docs/kmod.md: the fd, the
// granted access, and what the kernel needs to know to serve I/O on it as ntcore would.
ntgate_handle mirror_entry(const HandleEntry& e) {
  ntgate_handle h{-1, e.access, 0, 0};
  if (e.object->type() != ObjectType::File) return h;
  const auto& f = static_cast<const FileObject&>(*e.object);
  h.fd = f.fd;
  h.flags = NTGATE_HANDLE_FILE;
  if (f.synchronous()) h.flags |= NTGATE_HANDLE_SYNCHRONOUS;
  if (f.is_disk()) h.flags |= NTGATE_HANDLE_DISK;
  if (f.directory) h.flags |= NTGATE_HANDLE_DIRECTORY;
  // Read without the open-file table's lock: republished after every change (open_file_table).
  if (f.record && (f.record->delete_pending || f.record->deleted))
    h.flags |= NTGATE_HANDLE_DELETE_PENDING;
  // A synchronous Disk file whose position is not in the fd cannot be served in the kernel, nor
  // can a console handle, whose bytes are converted between code pages (console/).
  if (f.synchronous() && f.is_disk() && !f.position_in_fd) h.fd = -1;
  if (f.console_role != ConsoleRole::None) h.fd = -1;
  return h;
}

class HandleMirror final : public HandleObserver {
 public:
  void published(uint32_t index, const HandleEntry& entry) override {
    if (index < kMirrorCapacity) store(index, mirror_entry(entry));
  }
  void closed(uint32_t index) override {
    if (index < kMirrorCapacity) store(index, ntgate_handle{-1, 0, 0, 0});
  }

 private:
  // The kernel reads an entry with one user copy while another thread may rewrite it; a handle
  // being made or closed is not one a correct caller uses at that moment, so torn reads only
  // reach calls that get STATUS_INVALID_HANDLE-like answers anyway (fd -1 is written first).
  static void store(uint32_t index, const ntgate_handle& h) {
    volatile ntgate_handle& slot = g_mirror[index];
    slot.fd = -1;
    slot.access = h.access;
    slot.flags = h.flags;
    slot.reserved = 0;
    slot.fd = h.fd;
  }
};

HandleMirror g_observer;

long ioctl_call(ntgate_call* call) {
  // The system call itself rather than glibc's ioctl(), which would set errno: this is the hot
  // path, and -ENOSYS (unhandled) is no error here.
  long r;
  asm volatile("syscall"
               : "=a"(r)
               : "0"(static_cast<long>(SYS_ioctl)), "D"(static_cast<long>(g_gate_fd)),
                 "S"(static_cast<unsigned long>(NTGATE_IOC_CALL)), "d"(call)
               : "rcx", "r11", "memory");
  return r;
}

int64_t kernel_call(uint32_t number, size_t arity, const SyscallFrame& frame) {
  if (arity > NTGATE_MAX_ARGS) return kServeInUserspace;  // no kernel implementation takes that
  // Only the header and the first `arity` arguments are read: the module zeroes the rest for
  // the implementation, so neither zeroing the struct nor trimming the register arguments is
  // needed (under TCG the zeroing was a rep stos of twelve rounds on every call).
  ntgate_call call;
  call.number = number;
  call.nargs = static_cast<uint32_t>(arity);
  std::copy_n(frame.arg, 4, call.args);
  // A wild stack is userspace's to report (it reads the same arguments and fails the same way).
  if (arity > 4 && !copy_from_user(&call.args[4], frame.user_stack_args, (arity - 4) * 8))
    return kServeInUserspace;
  const long r = ioctl_call(&call);
  // -errno: unhandled (-ENOSYS), or the gate refused (the process left its namespace's
  // cgroup...): userspace serves it. Anything else is the NTSTATUS, sign-extended from the int
  // the ioctl system call returns (ntgate_uapi.h).
  if (static_cast<unsigned long>(r) >= static_cast<unsigned long>(-4095L)) return kServeInUserspace;
  return static_cast<uint32_t>(r);
}

}  // namespace

bool attach_kmod_entry(uint32_t windows_build, std::string& error) {
  constexpr const char* kRefused =
      "/dev/ntgate refused the process: only processes of an ireactor namespace (its cgroup, "
      "`--ns NAME`) may use the kmod entry";
  const int fd = open("/dev/" NTGATE_DEVICE_NAME, O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    error = e == ENOENT  ? "/dev/ntgate is missing: load kmod-min (docs/kmod.md)"
            : e == EPERM ? kRefused
                         : std::string("cannot open /dev/ntgate: ") + std::strerror(e);
    return false;
  }
  const size_t bytes = sizeof(ntgate_handle) * kMirrorCapacity;
  void* mirror = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mirror == MAP_FAILED) {
    error = std::string("cannot map the handle mirror: ") + std::strerror(errno);
    close(fd);
    return false;
  }
  // Every entry starts as "not served in the kernel" (zeroed memory would say fd 0).
  auto* entries = static_cast<ntgate_handle*>(mirror);
  std::fill_n(entries, kMirrorCapacity, ntgate_handle{-1, 0, 0, 0});
  ntgate_attach attach{};
  attach.abi_version = NTGATE_ABI_VERSION;
  attach.build = windows_build;
  attach.handle_mirror = reinterpret_cast<uint64_t>(mirror);
  attach.handle_capacity = kMirrorCapacity;
  if (ioctl(fd, NTGATE_IOC_ATTACH, &attach) != 0) {
    const int e = errno;
    error =
        e == EPERM ? kRefused : std::string("cannot attach to /dev/ntgate: ") + std::strerror(e);
    munmap(mirror, bytes);
    close(fd);
    return false;
  }
  g_gate_fd = fd;
  g_mirror = entries;
  FileObject::keep_positions_in_fd(true);
  current_process().handles.add_observer(&g_observer);
  set_kernel_entry(&kernel_call);
  return true;
}

}  // namespace ireactor::entry
