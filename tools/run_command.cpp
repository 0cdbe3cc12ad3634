#include "run_command.h"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "child_launcher.h"
#include "cli_error.h"
#include "drive_mapping.h"
#include "ireactor/entry.h"
#include "ireactor/nt_trace.h"
#include "ireactor/policy/compile.h"
#include "ireactor/policy/host_paths.h"
#include "ireactor/policy/namespace_cgroup.h"
#include "ireactor/policy/namespace_store.h"
#include "logging.h"
#include "namespace_entry.h"
#include "namespace_root.h"
#include "ntdll_location.h"
#include "process_start.h"
#include "start_layers.h"
#include "win_string.h"
#include "windows_builds.h"
#include "windows_environment.h"
#include "windows_paths.h"

namespace ireactor::cli {

namespace fs = std::filesystem;

namespace {

// Wine's PE builds of the system DLLs (Debian's wine64), which C:\Windows\System32 stands for.
constexpr std::string_view kDefaultSystem32 = "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows";

// The usage line: the program is required and its own arguments follow it.
class RunFormatter : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App*, std::string name) const override {
    return "Usage: " + name + " [OPTIONS] PROGRAM.exe [ARGS...]\n";
  }
};

struct RunArgs {
  std::string ns;  // empty: the default namespace
  std::string build = kDefaultBuild;
  bool build_given = false;
  std::string entry = "gate";
  bool unenforced = false;
  std::string system32 = std::string(kDefaultSystem32);
  bool system32_given = false;
  std::vector<std::string> program_and_args;  // everything from the program name on
  // Given when ntcore starts this run as the child of a Windows program (child_launcher.cpp).
  std::string windows_command_line;
  std::vector<std::string> windows_env;
  int start_fd = -1;
  int status_fd = -1;
};

void check_build(const std::string& build) {
  const std::vector<std::string> builds = supported_builds();
  if (std::find(builds.begin(), builds.end(), build) != builds.end()) return;
  std::string list;
  for (const std::string& b : builds) list += (list.empty() ? "" : ", ") + b;
  usage_error("unknown Windows build \"" + build + "\"; supported builds: " + list);
}

fs::path program_host_path(const std::string& arg) {
  std::error_code ec;
  const fs::path path = fs::canonical(arg, ec);
  if (ec) fail("cannot find the program " + arg + ": " + ec.message());
  if (!fs::is_regular_file(path, ec)) fail(arg + " is not a file");
  return path;
}

fs::path ntdll_for(const std::string& build) {
  fs::path ntdll = find_ntdll(build);
  if (!ntdll.empty()) return ntdll;
  std::string looked;
  for (const fs::path& p : ntdll_candidates(build)) looked += "\n  " + p.string();
  fail("no ntdll.dll for Windows " + build + "; looked for:" + looked +
       "\n(build the pe_ntdll target, or point IREACTOR_NTDLL_DIR at a directory holding "
       "<build>/ntdll.dll)");
}

// A namespace of the store: its policy gives the drives and the Windows build.
policy::NamespacePolicy prepare_stored_namespace(const RunArgs& args, StartOptions& options) {
  check_namespace_name(args.ns);
  policy::NamespacePolicy policy =
      load_namespace_policy(policy::HostPaths::from_environment(), args.ns);
  if (args.build_given && args.build != policy.windows_build)
    usage_error("--build " + args.build + " conflicts with namespace " + args.ns +
                ", whose policy says Windows " + policy.windows_build +
                " (drop --build, or change spec.windows.build in " + policy.where.file + ")");
  check_build(policy.windows_build);
  options.ns.name = args.ns;
  options.ns.windows_build = policy.windows_build;
  for (const policy::Drive& d : policy.drives)
    map_host_drive(options.ns, d.letter, d.host_path.string(), d.read_only);
  return policy;
}

// The cgroup, the guard check and the process-start layers, in that order, while the process
// still has one thread: the runtime's threads (the KUSER_SHARED_DATA updater, Windows threads)
// all start later, inside start_process, so every one of them is in the cgroup and under the
// layers. Nothing the runtime does after this needs a system call the layers refuse: it maps
// memory, opens its DLLs for reading, creates threads, sets up signals and Syscall User Dispatch.
void enter_stored_namespace(const RunArgs& args, const policy::NamespacePolicy& policy,
                            const StartOptions& options) {
  const policy::HostPaths paths = policy::HostPaths::from_environment();
  const fs::path cgroup = namespace_cgroup(paths, args.ns);
  const GuardEnforcement guard = check_guard_enforces(paths, args.ns, policy::cgroup_id(cgroup),
                                                      policy.source_sha256, args.unenforced);
  join_namespace_cgroup(cgroup);
  set_namespace_id(policy::namespace_id(paths, args.ns));  // what the trace probes report
  install_start_layers(policy, options.ns, guard.enforced && guard.lsm);
}

int run(const RunArgs& args) {
  if (args.program_and_args.empty()) usage_error("run: PROGRAM.exe is required");
  const std::string& program_arg = args.program_and_args.front();

  StartOptions options;
  std::optional<policy::NamespacePolicy> policy;
  if (!args.ns.empty()) {
    policy = prepare_stored_namespace(args, options);
  } else {
    check_build(args.build);
    options.ns.name = std::string(kDefaultNamespace);
    options.ns.windows_build = args.build;
    map_host_drive(options.ns, 'C', default_namespace_c_root().string(), /*read_only=*/false);
  }
  const std::string& build = options.ns.windows_build;
  const fs::path program = program_host_path(program_arg);

  // A program outside every drive gets its directory as a drive of its own, read-only: it can
  // read what lies next to it (its DLLs, data) without gaining a writable view of the host.
  std::optional<std::u16string> image_dos = dos_path_of_host(program.string(), options.ns);
  if (!image_dos) {
    const char letter = free_drive_letter(options.ns);
    if (letter == 0) fail("no free drive letter for the program's directory");
    map_host_drive(options.ns, letter, program.parent_path().string(), /*read_only=*/true);
    image_dos = dos_path_of_host(program.string(), options.ns);
    if (!image_dos)
      fail("the file name " + program.filename().string() + " cannot be a Windows file name");
    spdlog::info("drive {}: is {} (read-only), the program's directory", letter,
                 program.parent_path().string());
  }

  // The current directory follows the shell's when a drive holds it, else the program's.
  std::error_code ec;
  std::optional<std::u16string> cwd = dos_path_of_host(fs::current_path(ec).string(), options.ns);
  if (!cwd) cwd = image_dos->substr(0, image_dos->find_last_of(u'\\') + 1);
  if (cwd->size() > 3 && cwd->back() == u'\\') cwd->pop_back();

  options.image_host_path = program.string();
  options.image_nt_path = u"\\??\\" + *image_dos;
  options.argv.push_back(loader::utf16_to_utf8(*image_dos));
  options.argv.insert(options.argv.end(), args.program_and_args.begin() + 1,
                      args.program_and_args.end());
  options.command_line = loader::utf8_to_utf16(args.windows_command_line);
  options.current_directory = *cwd;
  options.environment = args.windows_env.empty() ? default_windows_environment() : args.windows_env;
  options.start_fd = args.start_fd;
  options.status_fd = args.status_fd;
  options.ntdll_path = ntdll_for(build).string();
  if (!args.system32.empty()) {
    const fs::path sys = fs::canonical(args.system32, ec);
    if (!ec && fs::is_directory(sys, ec)) {
      options.system32_dir = sys.string();
    } else if (args.system32_given) {
      fail("--system32 " + args.system32 + " is not a directory");
    } else {
      spdlog::info("no system DLLs: {} is missing (Debian's wine64 package provides it)",
                   args.system32);
    }
  }
  options.mode = args.entry == "sud" ? entry::Mode::Sud : entry::Mode::Gate;
  options.divert_raw_syscalls = args.entry != "gate-only";
  options.kernel_entry = args.entry == "kmod";

  spdlog::info("namespace {} (C: is {}), Windows {}, entry {}", options.ns.name,
               options.ns.drive('C')->host_path, build, args.entry);
  spdlog::info("running {} in {} with {}", loader::utf16_to_utf8(*image_dos),
               loader::utf16_to_utf8(*cwd), options.ntdll_path);
  // ps and the guard's audit records name the Windows program rather than "ireactor".
  set_process_name(program.filename().string());
  if (policy) {
    enter_stored_namespace(args, *policy, options);
  } else if (args.unenforced) {
    spdlog::info("--unenforced: no namespace given, nothing to enforce");
  }
  install_child_launcher(ChildRunOptions{.ns = args.ns,
                                         .build = build,
                                         .entry = args.entry,
                                         .system32 = options.system32_dir,
                                         .unenforced = args.unenforced});
  // Returns only when the program could not be started.
  return start_process(options);
}

}  // namespace

void add_run_command(CLI::App& app, int* verbosity, int* exit_status) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "Run a Windows x64 program");
  // The program name and everything after it, options and "--" included, belong to the program.
  cmd->positionals_at_end();
  cmd->add_option("PROGRAM.exe ARGS", args->program_and_args,
                  "The program (a host path) and its arguments");
  cmd->add_option("--ns", args->ns,
                  "Windows namespace to run in, from the namespace store (`ireactor ns`); "
                  "without it: the embedded namespace \"default\", with no policy");
  CLI::Option* build_opt =
      cmd->add_option("--build", args->build,
                      "Windows build whose system call numbering to present (with --ns: the "
                      "namespace's, which this may only repeat)")
          ->default_str(kDefaultBuild);
  cmd->add_option("--entry", args->entry,
                  "How NT calls enter the runtime: gate (ntdll's stubs call through the gate "
                  "page; raw syscall instructions are caught by Syscall User Dispatch), "
                  "gate-only (the gate alone: a raw syscall is a Linux system call, and the "
                  "runtime's own system calls are cheaper), sud (every NT call is a syscall "
                  "instruction caught by Syscall User Dispatch), or kmod (as gate, but each NT "
                  "call is first offered to the kernel through /dev/ntgate, where kmod-min's "
                  "BPF hot path may serve it; needs the module and a namespace, docs/kmod.md)")
      ->check(CLI::IsMember({"gate", "gate-only", "sud", "kmod"}))
      ->default_str("gate");
  CLI::Option* system32_opt =
      cmd->add_option("--system32", args->system32,
                      "Host directory of the system DLLs (kernel32.dll, msvcrt.dll, ...): the "
                      "DLL search's C:\\Windows\\System32, after the program's directory; "
                      "empty: none. ntdll.dll is always ireactor's own")
          ->default_str(std::string(kDefaultSystem32));
  cmd->add_flag("--unenforced", args->unenforced,
                "With --ns: run even though ireactord does not enforce the namespace (only the "
                "process-start layers, seccomp and Landlock, are installed); warns loudly");
  cmd->add_flag("-v,--verbose", *verbosity, "Log more (repeat for more detail)");
  // How ntcore starts a Windows program's child processes (child_launcher.cpp): not for users.
  cmd->add_option("--windows-command-line", args->windows_command_line)->group("");
  cmd->add_option("--windows-env", args->windows_env)->allow_extra_args(false)->group("");
  cmd->add_option("--start-fd", args->start_fd)->group("");
  cmd->add_option("--status-fd", args->status_fd)->group("");
  cmd->formatter(std::make_shared<RunFormatter>());
  cmd->footer(
      "PROGRAM.exe is a host path; everything after it, options included, goes to the program.\n"
      "Without --ns the program runs in the default namespace, whose C: drive is\n"
      "$XDG_DATA_HOME/ireactor/namespaces/default/c (~/.local/share/... when XDG_DATA_HOME is\n"
      "unset), created on first use with C:\\Windows\\System32, C:\\Windows\\Temp and\n"
      "C:\\Users\\Default; no policy applies there. --ns NAME runs in a namespace of the store\n"
      "(`ireactor ns create`): its policy's drives and Windows build, its cgroup, the guard's\n"
      "rules (ireactord must enforce it, else --unenforced), and a seccomp filter and Landlock\n"
      "ruleset installed before the program's first instruction.\n"
      "A program outside the namespace's drives sees its own directory as a read-only drive,\n"
      "the highest free letter (Z: first). The exit status is the program's (low 8 bits).");
  cmd->callback([args, verbosity, exit_status, build_opt, system32_opt] {
    apply_verbosity(*verbosity);
    args->build_given = build_opt->count() > 0;
    args->system32_given = system32_opt->count() > 0;
    *exit_status = run(*args);
  });
}

}  // namespace ireactor::cli
