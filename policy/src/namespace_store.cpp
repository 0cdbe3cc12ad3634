#include "ireactor/policy/namespace_store.h"

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "atomic_file.h"
#include "file_lock.h"

namespace ireactor::policy {

namespace fs = std::filesystem;

namespace {

// The file is the namespace: NAME.yaml must say metadata.name: NAME.
StoredNamespace read_stored(const fs::path& file) {
  StoredNamespace s{file, parse_policy_file(file)};
  const std::string stem = file.stem().string();
  if (s.parsed.policy && s.parsed.policy->name != stem) {
    s.parsed.diagnostics.push_back({s.parsed.policy->where, true,
                                    "metadata.name is \"" + s.parsed.policy->name +
                                        "\" but the file is " + file.filename().string() +
                                        " (a namespace's file is NAME.yaml)"});
    s.parsed.policy.reset();
  }
  return s;
}

bool is_policy_file_name(const std::string& name) {
  return name.size() > 5 && name.ends_with(".yaml") && name[0] != '.';
}

}  // namespace

bool valid_namespace_name(const std::string& name) {
  static const std::regex kName("[a-z0-9][a-z0-9_-]{0,31}");
  return std::regex_match(name, kName);
}

std::vector<StoredNamespace> list_namespaces(const HostPaths& paths) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(paths.policy_dir, ec))
    if (is_policy_file_name(e.path().filename().string()) && e.is_regular_file(ec))
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<StoredNamespace> out;
  for (const fs::path& f : files) out.push_back(read_stored(f));
  return out;
}

std::optional<StoredNamespace> find_namespace(const HostPaths& paths, const std::string& name) {
  if (!valid_namespace_name(name)) return std::nullopt;
  const fs::path file = paths.policy_file(name);
  std::error_code ec;
  if (!fs::exists(file, ec)) return std::nullopt;
  return read_stored(file);
}

uint32_t namespace_id(const HostPaths& paths, const std::string& name) {
  if (!valid_namespace_name(name))
    throw std::invalid_argument("\"" + name + "\" is not a namespace name");
  fs::create_directories(paths.state_dir);
  const fs::path table = paths.state_dir / "ns-ids";
  FileLock lock(paths.state_dir / "ns-ids.lock");

  std::ifstream in(table);
  std::string line, text;
  uint32_t highest = 0;
  for (int number = 1; std::getline(in, line); ++number) {
    text += line + "\n";
    std::istringstream fields(line);
    std::string n;
    uint32_t id = 0;
    if (line.empty()) continue;
    if (!(fields >> n >> id) || id == 0)
      throw std::runtime_error(table.string() + ":" + std::to_string(number) +
                               ": not \"NAME ID\": " + line);
    if (n == name) return id;
    highest = std::max(highest, id);
  }
  const uint32_t id = highest + 1;
  write_file_atomically(table, text + name + " " + std::to_string(id) + "\n");
  return id;
}

void install_policy_file(const HostPaths& paths, const std::string& name, const std::string& text) {
  if (!valid_namespace_name(name))
    throw std::invalid_argument("\"" + name + "\" is not a namespace name");
  fs::create_directories(paths.policy_dir);
  write_file_atomically(paths.policy_file(name), text);
}

}  // namespace ireactor::policy
