// `ireactor stats [--ns NAME] [--json] [--detach]`: per (namespace, NT service) call counts,
// error counts and log2 latency histograms from the dispatcher's USDT probes. Attaches the
// tracer (bpf/trace.h) to this ireactor executable for every process when it is not attached
// yet; it then stays attached (pinned under the bpffs directory) until --detach.
#pragma once

namespace CLI {
class App;
}

namespace ireactor::cli {

void add_stats_command(CLI::App& app);

}  // namespace ireactor::cli
