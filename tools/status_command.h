// `ireactor status [--json]`: whether ireactord runs, what the kernel lets the guard enforce,
// which namespaces are in force (generation, cgroup), refused policy files, lost audit events,
// and what is pinned under the bpffs directory. Exit 1 when no agent runs.
#pragma once

namespace CLI {
class App;
}

namespace ireactor::cli {

void add_status_command(CLI::App& app);

}  // namespace ireactor::cli
