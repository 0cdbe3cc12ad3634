#include "process_threads.h"

#include <fstream>
#include <string>

namespace ireactor::cli {

int thread_count() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with("Threads:")) return std::stoi(line.substr(8));
  return 0;
}

}  // namespace ireactor::cli
