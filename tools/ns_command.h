// `ireactor ns create|list|show|delete`: the namespace store, which is the policy directory
// (one NAME.yaml per namespace, policy::HostPaths).
#pragma once

namespace CLI {
class App;
}

namespace ireactor::cli {

void add_ns_command(CLI::App& app);

}  // namespace ireactor::cli
