#include "namespace_root.h"

#include <spdlog/spdlog.h>

#include <system_error>

#include "cli_error.h"
#include "data_dir.h"

namespace ireactor::cli {

namespace fs = std::filesystem;

void check_namespace_name(std::string_view name) {
  auto ok_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  };
  bool ok =
      !name.empty() && name.size() <= 64 && name[0] != '.' && name[0] != '-' && name[0] != '_';
  for (char c : name) ok = ok && ok_char(c);
  if (!ok)
    usage_error("invalid namespace name \"" + std::string(name) +
                "\": use letters, digits, '.', '_' and '-', starting with a letter or digit");
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

fs::path namespace_c_root(std::string_view name) {
  check_namespace_name(name);
  const fs::path root = namespace_dir(name) / "c";
  if (name == kDefaultNamespace) {
    if (create_minimal_windows_tree(root))
      spdlog::info("created the default namespace: C: is {}", root.string());
    return root;
  }
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    fail("namespace \"" + std::string(name) + "\" does not exist (no directory " + root.string() +
         ")");
  return root;
}

}  // namespace ireactor::cli
