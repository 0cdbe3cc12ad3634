#include "logging.h"

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace ireactor::cli {

void setup_logging() {
  auto logger = spdlog::stderr_color_mt("ireactor");
  logger->set_pattern("ireactor: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::warn);
  spdlog::cfg::load_env_levels();
}

void apply_verbosity(int verbosity) {
  if (verbosity <= 0) return;
  spdlog::set_level(verbosity == 1   ? spdlog::level::info
                    : verbosity == 2 ? spdlog::level::debug
                                     : spdlog::level::trace);
}

}  // namespace ireactor::cli
