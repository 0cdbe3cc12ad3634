#include "namespace_root.h"

#include <spdlog/spdlog.h>

#include <system_error>

#include "cli_error.h"
#include "data_dir.h"
#include "ireactor/policy/namespace_store.h"

namespace ireactor::cli {

namespace fs = std::filesystem;

void check_namespace_name(std::string_view name) {
  if (!policy::valid_namespace_name(std::string(name)))
    usage_error("invalid namespace name \"" + std::string(name) +
                "\": use 1 to 32 of a-z, 0-9, '_' and '-', starting with a letter or digit");
}

bool create_minimal_windows_tree(const fs::path& root) {
  const bool created = !fs::exists(root);
  for (const char* dir : {"Windows/System32", "Windows/Temp", "Users/Default"}) {
    std::error_code ec;
    fs::create_directories(root / dir, ec);
    if (ec) fail("cannot create " + (root / dir).string() + ": " + ec.message());
  }
  return created;
}

fs::path default_namespace_c_root() {
  const fs::path root = namespace_dir(kDefaultNamespace) / "c";
  if (create_minimal_windows_tree(root))
    spdlog::info("created the default namespace: C: is {}", root.string());
  return root;
}

}  // namespace ireactor::cli
