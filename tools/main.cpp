// ireactor: the command line. Exit status 0 ok, 1 failure, 2 usage error; `run` exits with the
// Windows program's status instead.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>

#include "audit_command.h"
#include "builds_command.h"
#include "cli_error.h"
#include "kmod_command.h"
#include "logging.h"
#include "ns_command.h"
#include "policy_command.h"
#include "run_command.h"
#include "stats_command.h"
#include "trace_command.h"
#include "status_command.h"

#ifndef IREACTOR_VERSION
#define IREACTOR_VERSION "unknown"
#endif

int main(int argc, char** argv) {
  using namespace ireactor::cli;
  setup_logging();

  CLI::App app(
      "Runs Windows x64 programs natively on Linux; their NT system calls are served "
      "by ireactor's own NT executive.",
      "ireactor");
  app.set_version_flag("--version", "ireactor " IREACTOR_VERSION);
  app.require_subcommand(1);
  int verbosity = 0;
  int exit_status = kExitOk;
  app.add_flag("-v,--verbose", verbosity, "Log more (repeat for more detail)");
  add_run_command(app, &verbosity, &exit_status);
  add_builds_command(app);
  add_status_command(app);
  add_audit_command(app);
  add_ns_command(app);
  add_policy_command(app);
  add_stats_command(app);
  add_trace_command(app);
  add_kmod_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;  // --help, --version: 0
  } catch (const CliError& e) {
    std::fprintf(stderr, "ireactor: error: %s\n", e.what());
    if (e.exit_status() == kExitUsage)
      std::fprintf(stderr, "Run with --help for more information.\n");
    return e.exit_status();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ireactor: error: %s\n", e.what());
    return kExitFailure;
  }
  return exit_status;
}
