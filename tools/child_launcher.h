// How ntcore starts the processes a Windows program creates (NtCreateUserProcess): this program
// again, `ireactor run` in the same namespace with the same build, entry and system DLLs, given
// the child's exact command line, environment, standard handles and current directory.
#pragma once

#include <string>

namespace ireactor::cli {

struct ChildRunOptions {
  std::string ns;  // empty: the default namespace
  std::string build;
  std::string entry;
  std::string system32;
  bool unenforced = false;
};

// Makes ntcore start children this way.
void install_child_launcher(const ChildRunOptions& options);

}  // namespace ireactor::cli
