#include "ntdll_location.h"

#include <cstdlib>
#include <system_error>

namespace ireactor::cli {

namespace fs = std::filesystem;

std::vector<fs::path> ntdll_candidates(const std::string& build) {
  const fs::path leaf = fs::path(build) / "ntdll.dll";
  if (const char* dir = std::getenv("IREACTOR_NTDLL_DIR"); dir && *dir)
    return {fs::path(dir) / leaf};

  std::vector<fs::path> candidates;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec)
    candidates.push_back((self.parent_path() / ".." / "pe" / "ntdll" / leaf).lexically_normal());
#ifdef IREACTOR_BUILD_PE_DIR
  const fs::path built = fs::path(IREACTOR_BUILD_PE_DIR) / "ntdll" / leaf;
  if (candidates.empty() || candidates.front() != built) candidates.push_back(built);
#endif
  return candidates;
}

fs::path find_ntdll(const std::string& build) {
  for (const fs::path& p : ntdll_candidates(build)) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p;
  }
  return {};
}

}  // namespace ireactor::cli
