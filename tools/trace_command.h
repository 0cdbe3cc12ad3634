// `ireactor trace [--ns NAME] [--pid PID] [--service NtX,NtY] [--failed] [--json]`: one line per
// NT call of every running and future program of this ireactor executable, strace-style or as
// JSON lines (docs/trace-format.md); Ctrl-C prints a per-service summary (as `strace -c` does).
#pragma once

namespace CLI {
class App;
}

namespace ireactor::cli {

void add_trace_command(CLI::App& app);

}  // namespace ireactor::cli
