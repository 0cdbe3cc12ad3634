// NtCreateUserProcess: a new process running an image of the namespace. The child is another
// ireactor process (the launcher of child_process.h starts it in the same namespace) with the
// image, command line, current directory, environment and standard handles of the
// RTL_USER_PROCESS_PARAMETERS given. Its initial thread is held before any Windows code runs
// until NtResumeThread releases it, and it reports its full 32-bit exit status through a pipe
// (a Linux exit code keeps 8 bits).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string>
#include <thread>

#include "io/open_file.h"
#include "ireactor/io/file_object.h"
#include "ireactor/io/path_resolver.h"
#include "ireactor/process.h"
#include "ireactor/process/child_process.h"
#include "ireactor/process/process_information.h"
#include "ireactor/process/process_object.h"
#include "ireactor/process/thread_information.h"
#include "ireactor/services/process_services.h"
#include "ireactor/text/utf.h"
#include "ireactor/win/process_parameters.h"
#include "object/access_mapping.h"
#include "process/thread_handle.h"

namespace ireactor {

namespace {

constexpr nt::ULONG_PTR PS_ATTRIBUTE_IMAGE_NAME = 0x20005;
constexpr nt::ULONG_PTR PS_ATTRIBUTE_IMAGE_INFO = 0x00006;
constexpr nt::ULONG PROCESS_CREATE_FLAGS_SUSPENDED = 0x00000200;
constexpr nt::ULONG RTL_USER_PROC_PARAMS_NORMALIZED = 0x01;
constexpr nt::NTSTATUS STATUS_INVALID_IMAGE_NOT_MZ = nt::status(0xC000012F);
constexpr size_t kMaxEnvironmentChars = 1u << 20;

// A UNICODE_STRING of the parameters: absolute, or an offset from them when not normalized.
nt::NTSTATUS read_param_string(const win::RTL_USER_PROCESS_PARAMETERS& p, uint64_t base,
                               const nt::UNICODE_STRING& us, std::u16string& out) {
  out.assign(us.Length / 2, u'\0');
  if (!us.Length) return nt::STATUS_SUCCESS;
  const uint64_t at = (p.Flags & RTL_USER_PROC_PARAMS_NORMALIZED) ? us.Buffer : base + us.Buffer;
  return copy_from_user(out.data(), at, us.Length) ? nt::STATUS_SUCCESS
                                                   : nt::STATUS_ACCESS_VIOLATION;
}

// The environment block: "NAME=VALUE" strings up to an empty one. Entries Windows keeps for
// itself ("=C:=C:\dir", the per-drive directories) have no host form and are left out.
nt::NTSTATUS read_environment(const win::RTL_USER_PROCESS_PARAMETERS& p, uint64_t base,
                              std::vector<std::string>& out) {
  if (!p.Environment) return nt::STATUS_SUCCESS;
  uint64_t at = (p.Flags & RTL_USER_PROC_PARAMS_NORMALIZED) ? p.Environment : base + p.Environment;
  std::u16string entry;
  for (size_t n = 0; n < kMaxEnvironmentChars; ++n, at += 2) {
    char16_t c;
    if (!copy_from_user(&c, at, sizeof c)) return nt::STATUS_ACCESS_VIOLATION;
    if (c) {
      entry += c;
      continue;
    }
    if (entry.empty()) return nt::STATUS_SUCCESS;
    if (entry[0] != u'=') out.push_back(text::utf16_to_utf8(entry));
    entry.clear();
  }
  return nt::STATUS_INVALID_PARAMETER;
}

// The image name attribute, and where the outputs (client id, image information) go.
struct Attributes {
  std::u16string image_name;
  uint64_t client_id = 0;
  uint64_t image_info = 0;
  nt::SIZE_T image_info_size = 0;
};

nt::NTSTATUS read_attributes(UserPtr<void> list, Attributes& out) {
  if (list.null()) return nt::STATUS_INVALID_PARAMETER;  // the image name is required
  nt::SIZE_T total = 0;
  if (!copy_from_user(&total, list.addr(), sizeof total)) return nt::STATUS_ACCESS_VIOLATION;
  const size_t count =
      total > sizeof(nt::SIZE_T) ? (total - sizeof(nt::SIZE_T)) / sizeof(nt::PS_ATTRIBUTE) : 0;
  for (size_t i = 0; i < count; ++i) {
    nt::PS_ATTRIBUTE a;
    if (!copy_from_user(&a, list.addr() + sizeof(nt::SIZE_T) + i * sizeof a, sizeof a))
      return nt::STATUS_ACCESS_VIOLATION;
    if (a.Attribute == PS_ATTRIBUTE_IMAGE_NAME) {
      if (a.Size > 0xFFFE || (a.Size & 1)) return nt::STATUS_INVALID_PARAMETER;
      out.image_name.assign(a.Size / 2, u'\0');
      if (!copy_from_user(out.image_name.data(), a.Value, a.Size))
        return nt::STATUS_ACCESS_VIOLATION;
    } else if (a.Attribute == nt::PS_ATTRIBUTE_CLIENT_ID && a.Size >= sizeof(nt::CLIENT_ID)) {
      out.client_id = a.Value;
    } else if (a.Attribute == PS_ATTRIBUTE_IMAGE_INFO) {
      out.image_info = a.Value;
      out.image_info_size = a.Size;
    }
  }
  return out.image_name.empty() ? nt::STATUS_OBJECT_NAME_INVALID : nt::STATUS_SUCCESS;
}

// Opens an NT name of the namespace as NtOpenFile would, and gives its host path.
nt::NTSTATUS host_path_of(std::u16string name, bool directory, std::string& out) {
  io::OpenTarget target;
  target.name = std::move(name);
  if (nt::NTSTATUS s = io::parse_absolute_name(target.name, current_process().ns, target.parsed);
      !nt::nt_success(s))
    return s;
  target.captured = true;
  io::OpenParams p;
  p.desired = nt::FILE_READ_DATA | nt::SYNCHRONIZE | (directory ? 0 : nt::FILE_EXECUTE);
  p.share = nt::FILE_SHARE_READ | nt::FILE_SHARE_WRITE | nt::FILE_SHARE_DELETE;
  p.options = directory ? nt::FILE_DIRECTORY_FILE : nt::FILE_NON_DIRECTORY_FILE;
  io::OpenOutcome opened;
  if (nt::NTSTATUS s = io::open_file(target, p, opened); !nt::nt_success(s)) return s;
  if (!directory) {
    char mz[2] = {};
    if (pread(opened.file->fd, mz, 2, 0) != 2 || mz[0] != 'M' || mz[1] != 'Z')
      return STATUS_INVALID_IMAGE_NOT_MZ;
  }
  char path[4096];
  const std::string link = "/proc/self/fd/" + std::to_string(opened.file->fd);
  const ssize_t n = readlink(link.c_str(), path, sizeof path);
  if (n <= 0 || static_cast<size_t>(n) >= sizeof path) return nt::STATUS_OBJECT_PATH_NOT_FOUND;
  out.assign(path, static_cast<size_t>(n));
  return nt::STATUS_SUCCESS;
}

// "C:\dir\" (DOS) as NT.
std::u16string nt_name_of_dos(std::u16string dos) {
  if (dos.size() > 3 && dos.back() == u'\\') dos.pop_back();
  return u"\\??\\" + dos;
}

// The host fd behind a standard handle of the parameters; -1 for none.
int std_fd_of(nt::HANDLE h) {
  if (!h) return -1;
  std::shared_ptr<FileObject> f;
  if (!nt::nt_success(current_process().handles.reference<FileObject>(h, 0, f))) return -1;
  return f->fd;
}

struct Pipe {
  int read = -1, write = -1;
  bool open() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return false;
    read = fds[0];
    write = fds[1];
    return true;
  }
};

// Waits for the child's end: its exit status from the pipe, or - when it died without writing
// one (killed) - the status NtTerminateProcess asked for, else one from the Linux status.
void watch_child(std::shared_ptr<ProcessObject> process, std::shared_ptr<ThreadObject> thread,
                 int status_fd, pid_t pid) {
  std::thread([process, thread, status_fd, pid] {
    int32_t reported = 0;
    size_t got = 0;
    while (got < sizeof reported) {
      ssize_t r = read(status_fd, reinterpret_cast<char*>(&reported) + got, sizeof reported - got);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      got += static_cast<size_t>(r);
    }
    close(status_fd);
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
    }
    nt::NTSTATUS status = reported;
    if (got != sizeof reported) {
      const nt::NTSTATUS asked = process->terminate_status.load();
      status = asked != 0x103 ? asked : WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    }
    process->mark_exited(status);
    thread->mark_exited(status);
  }).detach();
}

}  // namespace

nt::NTSTATUS NtCreateUserProcess(UserPtr<nt::HANDLE> ProcessHandle,
                                 UserPtr<nt::HANDLE> ThreadHandle,
                                 nt::ACCESS_MASK ProcessDesiredAccess,
                                 nt::ACCESS_MASK ThreadDesiredAccess,
                                 UserPtr<nt::OBJECT_ATTRIBUTES> ProcessObjectAttributes,
                                 UserPtr<nt::OBJECT_ATTRIBUTES> ThreadObjectAttributes,
                                 nt::ULONG ProcessFlags, nt::ULONG ThreadFlags,
                                 UserPtr<void> ProcessParameters, UserPtr<void> CreateInfo,
                                 UserPtr<void> AttributeList) {
  (void)ProcessObjectAttributes;
  (void)ThreadObjectAttributes;
  (void)CreateInfo;
  if (!probe_user(ProcessHandle.addr(), sizeof(nt::HANDLE), true) ||
      !probe_user(ThreadHandle.addr(), sizeof(nt::HANDLE), true))
    return nt::STATUS_ACCESS_VIOLATION;
  if (!child_launcher()) return nt::STATUS_NOT_SUPPORTED;
  win::RTL_USER_PROCESS_PARAMETERS params;
  if (ProcessParameters.null()) return nt::STATUS_INVALID_PARAMETER;
  if (!copy_from_user(&params, ProcessParameters.addr(), sizeof params))
    return nt::STATUS_ACCESS_VIOLATION;
  Attributes attrs;
  if (nt::NTSTATUS s = read_attributes(AttributeList, attrs); !nt::nt_success(s)) return s;

  ChildLaunch launch;
  std::u16string cwd;
  if (nt::NTSTATUS s = read_param_string(params, ProcessParameters.addr(), params.CommandLine,
                                         launch.command_line);
      !nt::nt_success(s))
    return s;
  if (nt::NTSTATUS s =
          read_param_string(params, ProcessParameters.addr(), params.CurrentDirectory.DosPath, cwd);
      !nt::nt_success(s))
    return s;
  if (nt::NTSTATUS s = read_environment(params, ProcessParameters.addr(), launch.environment);
      !nt::nt_success(s))
    return s;
  if (nt::NTSTATUS s = host_path_of(attrs.image_name, false, launch.image_host_path);
      !nt::nt_success(s))
    return s;
  if (!cwd.empty() && !nt::nt_success(host_path_of(nt_name_of_dos(cwd), true, launch.host_cwd)))
    return nt::STATUS_OBJECT_PATH_NOT_FOUND;
  launch.std_fds[0] = std_fd_of(params.StandardInput);
  launch.std_fds[1] = std_fd_of(params.StandardOutput);
  launch.std_fds[2] = std_fd_of(params.StandardError);

  Pipe start, status;
  if (!start.open()) return nt::STATUS_INSUFFICIENT_RESOURCES;
  if (!status.open()) {
    close(start.read);
    close(start.write);
    return nt::STATUS_INSUFFICIENT_RESOURCES;
  }
  launch.start_fd = start.read;
  launch.status_fd = status.write;
  const int pid = child_launcher()(launch);
  close(start.read);
  close(status.write);
  if (pid < 0) {
    close(start.write);
    close(status.read);
    return nt::status_from_errno(-pid);
  }

  auto process = std::make_shared<ProcessObject>();
  process->child_pid = static_cast<uint32_t>(pid);
  auto thread = std::make_shared<ThreadObject>(static_cast<uint32_t>(pid));
  uint32_t previous = 0;
  thread->suspend(previous);
  const int start_write = start.write;
  thread->set_start_action([start_write] {
    const char go = 1;
    (void)!write(start_write, &go, 1);
    close(start_write);
  });
  watch_child(process, thread, status.read, pid);

  HandleTable& handles = current_process().handles;
  nt::HANDLE ph = 0, th = 0;
  nt::NTSTATUS s =
      handles.insert(process, granted_access(ObjectType::Process, ProcessDesiredAccess), 0, ph);
  if (nt::nt_success(s))
    s = handles.insert(thread, granted_thread_access(ThreadDesiredAccess), 0, th);
  if (nt::nt_success(s) && (!ProcessHandle.write(ph) || !ThreadHandle.write(th)))
    s = nt::STATUS_ACCESS_VIOLATION;
  const nt::CLIENT_ID id{static_cast<nt::ULONG_PTR>(pid), static_cast<nt::ULONG_PTR>(pid)};
  if (nt::nt_success(s) && attrs.client_id && !copy_to_user(attrs.client_id, &id, sizeof id))
    s = nt::STATUS_ACCESS_VIOLATION;
  if (nt::nt_success(s) && attrs.image_info) {
    // SECTION_IMAGE_INFORMATION: nothing kernelbase reads back; zeroed rather than left stale.
    const std::string zeros(std::min<nt::SIZE_T>(attrs.image_info_size, 64), '\0');
    if (!copy_to_user(attrs.image_info, zeros.data(), zeros.size()))
      s = nt::STATUS_ACCESS_VIOLATION;
  }
  if (!nt::nt_success(s)) {
    if (ph) handles.close(ph);
    if (th) handles.close(th);
    process->terminate_status.store(s);
    kill(pid, SIGKILL);
    thread->resume();  // closes the start pipe
    return s;
  }
  const bool suspended = (ThreadFlags & nt::THREAD_CREATE_FLAGS_CREATE_SUSPENDED) ||
                         (ProcessFlags & PROCESS_CREATE_FLAGS_SUSPENDED);
  if (!suspended) thread->resume();
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
