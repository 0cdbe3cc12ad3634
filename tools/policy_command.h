// `ireactor policy validate|apply|show`: checking policy files, installing one for ireactord
// to apply, and showing a namespace's policy beside what the agent has in force.
#pragma once

namespace CLI {
class App;
}

namespace ireactor::cli {

void add_policy_command(CLI::App& app);

}  // namespace ireactor::cli
