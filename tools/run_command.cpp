#include "run_command.h"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli_error.h"
#include "drive_mapping.h"
#include "ireactor/entry.h"
#include "logging.h"
#include "namespace_root.h"
#include "ntdll_location.h"
#include "process_start.h"
#include "win_string.h"
#include "windows_builds.h"
#include "windows_environment.h"
#include "windows_paths.h"

namespace ireactor::cli {

namespace fs = std::filesystem;

namespace {

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
  std::string entry = "gate";
  std::vector<std::string> program_and_args;  // everything from the program name on
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

int run(const RunArgs& args) {
  if (args.program_and_args.empty()) usage_error("run: PROGRAM.exe is required");
  const std::string& program_arg = args.program_and_args.front();
  check_build(args.build);
  const std::string ns_name = args.ns.empty() ? std::string(kDefaultNamespace) : args.ns;
  check_namespace_name(ns_name);

  const fs::path program = program_host_path(program_arg);
  const fs::path c_root = namespace_c_root(ns_name);

  StartOptions options;
  options.ns.name = ns_name;
  options.ns.windows_build = args.build;
  map_host_drive(options.ns, 'C', c_root.string(), /*read_only=*/false);

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
  options.current_directory = *cwd;
  options.environment = default_windows_environment();
  options.ntdll_path = ntdll_for(args.build).string();
  options.mode = args.entry == "sud" ? entry::Mode::Sud : entry::Mode::Gate;

  spdlog::info("namespace {} (C: is {}), Windows {}, entry {}", ns_name, c_root.string(),
               args.build, args.entry);
  spdlog::info("running {} in {} with {}", loader::utf16_to_utf8(*image_dos),
               loader::utf16_to_utf8(*cwd), options.ntdll_path);
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
                  "Windows namespace to run in (default: the embedded namespace \"default\")");
  cmd->add_option("--build", args->build, "Windows build whose system call numbering to present")
      ->default_str(kDefaultBuild);
  cmd->add_option("--entry", args->entry,
                  "How ntdll's stubs enter the runtime: gate (call through the gate page) or "
                  "sud (a syscall instruction, caught by Syscall User Dispatch)")
      ->check(CLI::IsMember({"gate", "sud"}))
      ->default_str("gate");
  cmd->add_flag("-v,--verbose", *verbosity, "Log more (repeat for more detail)");
  cmd->formatter(std::make_shared<RunFormatter>());
  cmd->footer(
      "PROGRAM.exe is a host path; everything after it, options included, goes to the program.\n"
      "Without --ns the program runs in the default namespace, whose C: drive is\n"
      "$XDG_DATA_HOME/ireactor/namespaces/default/c (~/.local/share/... when XDG_DATA_HOME is\n"
      "unset), created on first use with C:\\Windows\\System32, C:\\Windows\\Temp and\n"
      "C:\\Users\\Default. --ns NAME uses <same place>/namespaces/NAME/c, which must exist.\n"
      "A program outside the namespace's drives sees its own directory as a read-only drive,\n"
      "the highest free letter (Z: first). The exit status is the program's (low 8 bits).");
  cmd->callback([args, verbosity, exit_status] {
    apply_verbosity(*verbosity);
    *exit_status = run(*args);
  });
}

}  // namespace ireactor::cli
