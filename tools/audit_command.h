// `ireactor audit [-f] [--ns NAME] [--json] [-n N] [--file PATH]`: the audit log ireactord
// writes (audit.jsonl), one aligned line per event or the JSON lines as they are, filtered by
// namespace; -f follows the file like `tail -f`, across logrotate.
#pragma once

namespace CLI {
class App;
}

namespace ireactor::cli {

void add_audit_command(CLI::App& app);

}  // namespace ireactor::cli
