// The CLI's logging: spdlog to stderr (stdout belongs to the Windows program), level warn,
// raised by -v (info), -vv (debug), -vvv (trace); SPDLOG_LEVEL=debug etc. works as well.
#pragma once

namespace ireactor::cli {

void setup_logging();
void apply_verbosity(int verbosity);

}  // namespace ireactor::cli
