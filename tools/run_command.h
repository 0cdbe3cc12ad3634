// `ireactor run`: runs a Windows program in a namespace.
#pragma once

namespace CLI {
class App;
}

namespace ireactor::cli {

// The run subcommand; its callback sets the exit status through *exit_status (it only returns
// when the program could not be started: a started program exits inside NtTerminateProcess).
void add_run_command(CLI::App& app, int* verbosity, int* exit_status);

}  // namespace ireactor::cli
