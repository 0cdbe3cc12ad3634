// ireactord: loads and pins the BPF guard, keeps it in step with the policy directory, and
// writes the audit log. Exit status 0 ok, 1 failure, 2 usage error. docs/agent.md.
#include <CLI/CLI.hpp>
#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "agent.h"
#include "event_loop.h"

#ifndef IREACTOR_VERSION
#define IREACTOR_VERSION "unknown"
#endif

namespace {

void setup_logging(int verbosity) {
  auto logger = spdlog::stderr_color_mt("ireactord");
  // Under systemd the journal stamps each line itself.
  logger->set_pattern(std::getenv("JOURNAL_STREAM") ? "%^%l%$: %v"
                                                    : "%Y-%m-%d %H:%M:%S.%e ireactord: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbosity <= 0 ? spdlog::level::info : spdlog::level::debug);
  spdlog::cfg::load_env_levels();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ireactor;
  // Before anything can be interrupted: SIGTERM during startup waits for the loop.
  agent::block_agent_signals();

  agent::AgentOptions options;
  options.paths = policy::HostPaths::from_environment();
  std::string cgroup_parent = options.paths.cgroup_parent;
  std::vector<std::string> require;
  bool uninstall = false, foreground = true;
  int verbosity = 0;
  int debounce_ms = static_cast<int>(options.debounce.count());

  CLI::App app(
      "ireactord: loads the BPF guard that enforces ireactor namespace policies in the kernel, "
      "applies the policy directory as it changes, and writes the audit log.",
      "ireactord");
  app.set_version_flag("--version", "ireactord " IREACTOR_VERSION);
  app.add_option("--policy-dir", options.paths.policy_dir,
                 "Policy files, one NAME.yaml per namespace")
      ->capture_default_str();
  app.add_option("--state-dir", options.paths.state_dir, "Namespace ids and saved policies")
      ->capture_default_str();
  app.add_option("--run-dir", options.paths.run_dir, "Where status.json is written")
      ->capture_default_str();
  app.add_option("--log-dir", options.paths.log_dir, "Where audit.jsonl is written")
      ->capture_default_str();
  app.add_option("--bpffs-dir", options.paths.bpffs_dir,
                 "Where the guard's maps and links are pinned")
      ->capture_default_str();
  app.add_option("--cgroup-parent", cgroup_parent, "Namespace cgroups are <cgroup2>/PARENT/NAME")
      ->capture_default_str();
  app.add_option("--require", require,
                 "Refuse to start unless this enforcement layer works (lsm, cgroup_dev, "
                 "sock_create, sysctl); repeatable")
      ->check(CLI::IsMember({"lsm", "cgroup_dev", "sock_create", "sysctl"}));
  app.add_flag("--foreground", foreground,
               "Stay in the foreground (the default and only mode: systemd Type=simple)");
  app.add_flag("--once", options.once, "Apply the policy directory once and exit");
  app.add_flag("!--no-seccomp-audit", options.seccomp_audit,
               "Do not audit seccomp (and Landlock) refusals of kernel features: spares every "
               "process on the machine a program on each system call's exit, at the price of "
               "leaving those refusals unaudited");
  app.add_flag("--uninstall", uninstall,
               "Unpin and detach the guard (nothing is enforced afterwards) and exit");
  app.add_option("--debounce-ms", debounce_ms,
                 "Wait this long after a policy file event before applying")
      ->check(CLI::Range(0, 10000))
      ->capture_default_str();
  app.add_flag("-v,--verbose", verbosity, "Log debug detail");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (uninstall && options.once) {
    std::fprintf(stderr, "ireactord: error: --uninstall and --once exclude each other\n");
    return 2;
  }
  options.paths.cgroup_parent = cgroup_parent;
  options.require.insert(require.begin(), require.end());
  options.debounce = std::chrono::milliseconds(debounce_ms);

  setup_logging(verbosity);
  try {
    return uninstall ? agent::uninstall_guard(options) : agent::run_agent(options);
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
}
