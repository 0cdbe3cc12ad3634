#include "process_start.h"

#include <asm/prctl.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <exception>

#include "command_line.h"
#include "console/console.h"
#include "entry/kmod_entry.h"
#include "ireactor/dispatcher.h"
#include "ireactor/io/file_information.h"
#include "ireactor/io/file_object.h"
#include "ireactor/io/host_fd.h"
#include "ireactor/process.h"
#include "ireactor/process/terminate.h"
#include "ireactor/services/process_services.h"
#include "ireactor/user_memory.h"
#include "module_init.h"
#include "pe_loader.h"
#include "peb_builder.h"
#include "process_parameters_builder.h"
#include "shared_user_data.h"
#include "thread_environment.h"
#include "win_string.h"
#include "windows_version.h"

namespace ireactor {

using namespace loader;

namespace {

// "\??\C:\dir\x" → "C:\dir\x"; other forms are kept.
std::u16string dos_path_of(const std::u16string& path) {
  static constexpr std::u16string_view kPrefix = u"\\??\\";
  if (path.starts_with(kPrefix)) return path.substr(kPrefix.size());
  return path;
}

std::string directory_of(const std::string& host_path) {
  const size_t slash = host_path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : host_path.substr(0, slash);
}

std::u16string dos_directory_of(const std::u16string& dos_path) {
  const size_t slash = dos_path.find_last_of(u'\\');
  return slash == std::u16string::npos ? u"C:\\" : dos_path.substr(0, slash + 1);
}

// A handle for one of the standard fds, with the access its open mode allows; 0 when closed.
nt::HANDLE standard_handle(int fd) {
  const int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return 0;
  nt::ACCESS_MASK access = 0;
  const int mode = flags & O_ACCMODE;
  if (mode == O_RDONLY || mode == O_RDWR) access |= nt::FILE_GENERIC_READ;
  if (mode == O_WRONLY || mode == O_RDWR)
    access |= nt::FILE_GENERIC_WRITE | nt::FILE_READ_ATTRIBUTES;
  nt::HANDLE h = 0;
  if (nt::NTSTATUS s = create_handle_for_host_fd(fd, access, h); !nt::nt_success(s)) {
    spdlog::warn("no Windows handle for host fd {}: NTSTATUS {:#010x}", fd,
                 static_cast<uint32_t>(s));
    return 0;
  }
  return h;
}

// Blocks until the parent releases the child (one byte) or goes away (end of file: false).
bool wait_for_start(int fd) {
  char go = 0;
  ssize_t r;
  do {
    r = read(fd, &go, 1);
  } while (r < 0 && errno == EINTR);
  close(fd);
  return r == 1;
}

// ProcessParameters.ConsoleHandle: kernelbase asks the console for its code pages and title
// through it. 0 when no standard fd is a terminal (a process without a console).
nt::HANDLE console_handle() {
  std::shared_ptr<FileObject> f;
  if (!nt::nt_success(console::open(ConsoleRole::Reference, f))) return 0;
  f->access = nt::FILE_GENERIC_READ | nt::FILE_GENERIC_WRITE;
  nt::HANDLE h = 0;
  if (!nt::nt_success(current_process().handles.insert(f, f->access, 0, h))) return 0;
  return h;
}

// The value of `name` in "NAME=VALUE" entries, case-insensitively as Windows compares names.
std::u16string environment_value(const std::vector<std::string>& env, std::string_view name) {
  for (const std::string& e : env) {
    const size_t eq = e.find('=', 1);
    if (eq != std::string::npos && iequals_ascii(std::string_view(e).substr(0, eq), name))
      return utf8_to_utf16(e.substr(eq + 1));
  }
  return {};
}

// Windows' standard DLL search directories: the application's, system32, then the current
// directory and PATH's (those through a mapped drive; duplicates of earlier ones dropped).
LoaderConfig loader_config(const StartOptions& o, const WindowsNamespace& ns,
                           const std::u16string& image_dos) {
  LoaderConfig c;
  c.ntdll_path = o.ntdll_path;
  c.app_dir = SearchDir{directory_of(o.image_host_path), dos_directory_of(image_dos)};
  if (!o.system32_dir.empty()) c.system32 = SearchDir{o.system32_dir, u"C:\\Windows\\System32\\"};
  for (size_t i = 0; i < ns.drives.size(); ++i)
    if (ns.drives[i].root_fd >= 0) c.drives[i] = ns.drives[i].host_path;
  const PeLoader mapper(c);  // only for its host_path_of
  std::vector<std::u16string> later{dos_path_of(o.current_directory)};
  const std::u16string path = environment_value(o.environment, "PATH");
  for (size_t i = 0; i <= path.size();) {
    size_t j = path.find(u';', i);
    if (j == std::u16string::npos) j = path.size();
    later.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  for (std::u16string dir : later) {
    if (dir.empty()) continue;
    if (dir.back() != u'\\') dir += u'\\';
    const std::optional<std::string> host = mapper.host_path_of(dir + u"x");
    if (!host) continue;
    SearchDir d{host->substr(0, host->size() - 2), dir};
    auto same = [&](const SearchDir& e) {
      return e.host == d.host || iequals_ascii(utf16_to_utf8(e.dos), utf16_to_utf8(d.dos));
    };
    if (same(c.app_dir) || (!c.system32.host.empty() && same(c.system32)) ||
        std::any_of(c.later_dirs.begin(), c.later_dirs.end(), same))
      continue;
    c.later_dirs.push_back(std::move(d));
  }
  return c;
}

uint32_t processor_count() {
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<uint32_t>(n) : 1;
}

// The whole reserve the image asks for, committed (pages are only allocated when touched), and
// at least the 1 MiB default.
uint64_t main_stack_size(const LoadedModule& exe) {
  constexpr uint64_t kMaxStack = 256ull << 20;
  return std::clamp<uint64_t>(exe.stack_reserve, kDefaultStackSize, kMaxStack);
}

int fail(const std::string& image, const LoadStatus& st) {
  const char* name = nt::status_name(st.status);
  spdlog::error("cannot start {}: {} ({} {:#010x})", image, st.message, name ? name : "NTSTATUS",
                static_cast<uint32_t>(st.status));
  return 1;
}

int start(const StartOptions& o) {
  const std::u16string image_dos = dos_path_of(o.image_nt_path);
  const std::string image = utf16_to_utf8(image_dos);

  const std::optional<WindowsVersion> version = parse_windows_version(o.ns.windows_build);
  if (!version)
    return fail(image, LoadStatus::failure(nt::STATUS_INVALID_PARAMETER,
                                           "unknown Windows build \"" + o.ns.windows_build + "\""));
  if (!select_windows_build(o.ns.windows_build))
    return fail(
        image, LoadStatus::failure(nt::STATUS_NOT_SUPPORTED,
                                   "no system call table for Windows build " + o.ns.windows_build));

  Process& process = create_process();
  process.ns = o.ns;
  process.image_path = o.image_nt_path;
  std::vector<std::u16string> argv;
  for (const std::string& a : o.argv) argv.push_back(utf8_to_utf16(a));
  if (argv.empty()) argv.push_back(image_dos);
  process.command_line = o.command_line.empty() ? build_command_line(argv) : o.command_line;
  process.exit_status_fd = o.status_fd;

  if (o.kernel_entry) {
    std::string why;
    if (!entry::attach_kmod_entry(version->build, why))
      return fail(image, LoadStatus::failure(nt::STATUS_NOT_SUPPORTED, why));
  }
  if (LoadStatus st = map_shared_user_data(*version); !st.ok()) return fail(image, st);
  // The gate's lanes serve what the kmod entry would serve in the kernel: one or the other.
  entry::install_gate_page(o.mode, /*fast_lanes=*/!o.kernel_entry);

  // Lives as long as the process: LdrLoadDll reaches it through process_loader().
  auto* loader = new PeLoader(loader_config(o, process.ns, image_dos));
  set_process_loader(loader);
  LoadedModule* ntdll = nullptr;
  if (LoadStatus st = loader->load_dll("ntdll.dll", ntdll); !st.ok()) return fail(image, st);
  LoadedModule* exe = nullptr;
  if (LoadStatus st = loader->load_image(o.image_host_path, image_dos, exe); !st.ok())
    return fail(image, st);
  if (exe->is_dll)
    return fail(image, LoadStatus::failure(nt::STATUS_INVALID_IMAGE_FORMAT,
                                           o.image_host_path + " is a DLL, not a program"));
  if (exe->entry == 0)
    return fail(image, LoadStatus::failure(nt::STATUS_INVALID_IMAGE_FORMAT,
                                           o.image_host_path + " has no entry point"));
  process.image_base = exe->base();

  ProcessParametersInput params_in;
  params_in.image_path = image_dos;
  params_in.command_line = process.command_line;
  params_in.current_directory = dos_path_of(o.current_directory);
  params_in.window_title = image_dos;
  for (const std::string& e : o.environment) params_in.environment.push_back(utf8_to_utf16(e));
  params_in.standard_input = standard_handle(0);
  params_in.standard_output = standard_handle(1);
  params_in.standard_error = standard_handle(2);
  params_in.console = console_handle();
  BuiltProcessParameters params;
  if (LoadStatus st = build_process_parameters(params_in, params); !st.ok()) return fail(image, st);

  uint64_t ldr = 0;
  if (LoadStatus st = build_ldr_data(loaded_modules(), ldr); !st.ok()) return fail(image, st);
  PebInput peb_in{.image = exe,
                  .subsystem = exe->subsystem,
                  .subsystem_major = exe->subsystem_major,
                  .subsystem_minor = exe->subsystem_minor,
                  .ldr = ldr,
                  .process_parameters = params.address,
                  .version = *version,
                  .number_of_processors = processor_count()};
  uint64_t peb = 0;
  if (LoadStatus st = build_peb(peb_in, peb); !st.ok()) return fail(image, st);
  process.peb = peb;

  WindowsThread thread;
  const uint32_t tid = static_cast<uint32_t>(gettid());
  if (LoadStatus st = create_windows_thread(ThreadInput{.peb = peb,
                                                        .pid = process.pid,
                                                        .tid = tid,
                                                        .stack_size = main_stack_size(*exe),
                                                        .initial_thread = true,
                                                        .modules = &loaded_modules()},
                                            thread);
      !st.ok())
    return fail(image, st);
  if (syscall(SYS_arch_prctl, ARCH_SET_GS, thread.teb) != 0)
    return fail(image, LoadStatus::failure(nt::STATUS_UNSUCCESSFUL, "cannot point GS at the TEB"));
  ThreadState& ts = current_thread();
  ts.teb = thread.teb;
  ts.stack_base = thread.stack_base;
  ts.stack_limit = thread.stack_limit;
  ts.tid = tid;

  spdlog::debug("starting {}: image at {:#x}, ntdll at {:#x}, PEB {:#x}, TEB {:#x}", image,
                exe->base(), ntdll->base(), peb, thread.teb);
  // Faults in Windows code and in copies of Windows memory must be ours before it runs.
  install_user_fault_handler();
  if (o.mode == entry::Mode::Sud || o.divert_raw_syscalls) entry::enable_syscall_user_dispatch();

  // A child waits for its parent's NtResumeThread; a parent gone before that ends it.
  if (o.start_fd >= 0 && !wait_for_start(o.start_fd))
    terminate_current_process(nt::STATUS_UNSUCCESSFUL);

  // From here on Windows code runs: DLL initialisation, the TLS callbacks, the entry point.
  if (LoadStatus st = initialize_modules(loaded_modules(), thread.stack_base); !st.ok()) {
    spdlog::error("{}: {}", image, st.message);
    NtTerminateProcess(nt::kCurrentProcess, st.status);
    return 1;
  }
  const auto status = static_cast<nt::NTSTATUS>(call_windows(thread.stack_base, exe->entry, peb));
  NtTerminateProcess(nt::kCurrentProcess, status);
  return status & 0xff;  // only if termination was refused
}

}  // namespace

int start_process(const StartOptions& options) {
  try {
    return start(options);
  } catch (const std::exception& e) {
    spdlog::error("cannot start {}: {}", options.image_host_path, e.what());
    return 1;
  }
}

}  // namespace ireactor
