// How `ireactor` subcommands fail: an exception carrying the message and the exit status
// (1 = the operation failed, 2 = the command line was wrong), reported once by main().
#pragma once

#include <stdexcept>
#include <string>

namespace ireactor::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

class CliError : public std::runtime_error {
 public:
  CliError(int exit_status, const std::string& message)
      : std::runtime_error(message), exit_status_(exit_status) {}
  int exit_status() const { return exit_status_; }

 private:
  int exit_status_;
};

[[noreturn]] inline void fail(const std::string& message) {
  throw CliError(kExitFailure, message);
}
[[noreturn]] inline void usage_error(const std::string& message) {
  throw CliError(kExitUsage, message);
}

}  // namespace ireactor::cli
