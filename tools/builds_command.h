// `ireactor builds [--json]`: the supported Windows builds and where their ntdll.dll is.
#pragma once

namespace CLI {
class App;
}

namespace ireactor::cli {

void add_builds_command(CLI::App& app);

}  // namespace ireactor::cli
