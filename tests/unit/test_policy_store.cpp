// The namespace store: policy files in a directory, stable namespace ids shared by processes,
// atomic installs. Everything under a temporary directory.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "ireactor/policy/host_paths.h"
#include "ireactor/policy/namespace_store.h"

using namespace ireactor::policy;
namespace fs = std::filesystem;

namespace {

struct TempPaths {
  fs::path root;
  HostPaths paths;
  TempPaths() {
    std::string pattern = (fs::temp_directory_path() / "ireactor-store-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    root = pattern;
    paths.policy_dir = root / "policy.d";
    paths.state_dir = root / "state";
    paths.run_dir = root / "run";
    paths.log_dir = root / "log";
  }
  ~TempPaths() { fs::remove_all(root); }
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string policy_text(const std::string& name, const std::string& extra = "") {
  return "apiVersion: ireactor/v1\nkind: Namespace\nmetadata: {name: " + name +
         "}\nspec:\n  drives: {C: /tmp}\n" + extra;
}

// Runs `child` in `n` forked processes at once; true when all exited 0.
template <typename F>
bool in_processes(int n, F child) {
  std::vector<pid_t> pids;
  for (int i = 0; i < n; ++i) {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(child(i));
    pids.push_back(pid);
  }
  bool ok = true;
  for (pid_t pid : pids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  return ok;
}

}  // namespace

TEST_CASE("host paths: defaults, and every one overridable by the environment") {
  const char* names[] = {"IREACTOR_POLICY_DIR", "IREACTOR_STATE_DIR", "IREACTOR_RUN_DIR",
                         "IREACTOR_LOG_DIR",    "IREACTOR_BPFFS_DIR", "IREACTOR_CGROUP"};
  std::vector<std::pair<std::string, std::string>> saved;
  for (const char* n : names)
    if (const char* v = std::getenv(n)) saved.push_back({n, v});
  for (const char* n : names) ::unsetenv(n);

  const HostPaths d = HostPaths::from_environment();
  CHECK(d.policy_dir == "/etc/ireactor/policy.d");
  CHECK(d.state_dir == "/var/lib/ireactor");
  CHECK(d.run_dir == "/run/ireactor");
  CHECK(d.log_dir == "/var/log/ireactor");
  CHECK(d.bpffs_dir == "/sys/fs/bpf/ireactor");
  CHECK(d.cgroup_parent == "ireactor");
  CHECK(d.status_file() == "/run/ireactor/status.json");
  CHECK(d.audit_log() == "/var/log/ireactor/audit.jsonl");
  CHECK(d.policy_file("office") == "/etc/ireactor/policy.d/office.yaml");
  CHECK(d.default_drive("office") == "/var/lib/ireactor/namespaces/office/c");

  for (const char* n : names) ::setenv(n, (std::string("/x/") + n).c_str(), 1);
  const HostPaths e = HostPaths::from_environment();
  CHECK(e.policy_dir == "/x/IREACTOR_POLICY_DIR");
  CHECK(e.state_dir == "/x/IREACTOR_STATE_DIR");
  CHECK(e.run_dir == "/x/IREACTOR_RUN_DIR");
  CHECK(e.log_dir == "/x/IREACTOR_LOG_DIR");
  CHECK(e.bpffs_dir == "/x/IREACTOR_BPFFS_DIR");
  CHECK(e.cgroup_parent == "/x/IREACTOR_CGROUP");
  ::setenv("IREACTOR_RUN_DIR", "", 1);  // empty counts as unset
  CHECK(HostPaths::from_environment().run_dir == "/run/ireactor");

  for (const char* n : names) ::unsetenv(n);
  for (const auto& [n, v] : saved) ::setenv(n.c_str(), v.c_str(), 1);
}

TEST_CASE("namespace names") {
  CHECK(valid_namespace_name("office"));
  CHECK(valid_namespace_name("gpu-compute_2"));
  CHECK(valid_namespace_name("0"));
  CHECK_FALSE(valid_namespace_name(""));
  CHECK_FALSE(valid_namespace_name("Office"));
  CHECK_FALSE(valid_namespace_name("-x"));
  CHECK_FALSE(valid_namespace_name("a.b"));
  CHECK_FALSE(valid_namespace_name("../etc"));
  CHECK_FALSE(valid_namespace_name(std::string(33, 'a')));
  CHECK(valid_namespace_name(std::string(32, 'a')));
}

TEST_CASE("namespace ids are small, stable and kept in state_dir/ns-ids") {
  TempPaths t;
  CHECK(namespace_id(t.paths, "office") == 1);
  CHECK(namespace_id(t.paths, "gpu") == 2);
  CHECK(namespace_id(t.paths, "office") == 1);
  CHECK(read_file(t.paths.state_dir / "ns-ids") == "office 1\ngpu 2\n");
  CHECK(namespace_id(t.paths, "lab") == 3);
  CHECK_THROWS_AS(namespace_id(t.paths, "Bad Name"), std::invalid_argument);
  // A damaged table is an error, never a reason to hand out an id twice.
  std::ofstream(t.paths.state_dir / "ns-ids", std::ios::app) << "garbage\n";
  CHECK_THROWS_AS(namespace_id(t.paths, "new"), std::runtime_error);
}

TEST_CASE("processes assigning ids at once never collide") {
  TempPaths t;
  constexpr int kProcesses = 8, kNames = 6;
  CHECK(in_processes(kProcesses, [&](int p) {
    for (int i = 0; i < kNames; ++i) {
      namespace_id(t.paths, "p" + std::to_string(p) + "-" + std::to_string(i));
      namespace_id(t.paths, "shared");
    }
    return 0;
  }));
  std::set<uint32_t> ids;
  std::istringstream table(read_file(t.paths.state_dir / "ns-ids"));
  std::string name;
  uint32_t id;
  int lines = 0;
  while (table >> name >> id) {
    ids.insert(id);
    ++lines;
  }
  CHECK(lines == kProcesses * kNames + 1);
  CHECK(ids.size() == static_cast<size_t>(lines));  // all distinct
  CHECK(*ids.begin() == 1);
  CHECK(*ids.rbegin() == static_cast<uint32_t>(lines));  // and dense
}

TEST_CASE("install_policy_file: creates the directory, writes NAME.yaml, leaves no temporary") {
  TempPaths t;
  install_policy_file(t.paths, "office", policy_text("office"));
  CHECK(read_file(t.paths.policy_dir / "office.yaml") == policy_text("office"));
  install_policy_file(t.paths, "office", policy_text("office", "# v2\n"));
  CHECK(read_file(t.paths.policy_dir / "office.yaml") == policy_text("office", "# v2\n"));
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(t.paths.policy_dir))
    names.push_back(e.path().filename().string());
  CHECK(names == std::vector<std::string>{"office.yaml"});
  CHECK((fs::status(t.paths.policy_dir / "office.yaml").permissions() & fs::perms::others_read) !=
        fs::perms::none);
  CHECK_THROWS_AS(install_policy_file(t.paths, "../evil", "x"), std::invalid_argument);
}

TEST_CASE("a reader never sees half of an installed file") {
  TempPaths t;
  // Two versions of very different sizes, so a torn read would show.
  const std::string a = policy_text("n", std::string(200000, '#') + "\n");
  const std::string b = policy_text("n", "# short\n");
  install_policy_file(t.paths, "n", a);
  const fs::path file = t.paths.policy_file("n");
  const pid_t reader = ::fork();
  if (reader == 0) {
    for (int i = 0; i < 3000; ++i) {
      const std::string s = read_file(file);
      if (s != a && s != b) ::_exit(1);
    }
    ::_exit(0);
  }
  for (int i = 0; i < 300; ++i) install_policy_file(t.paths, "n", i % 2 ? a : b);
  int status = 0;
  ::waitpid(reader, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("list and find namespaces") {
  TempPaths t;
  CHECK(list_namespaces(t.paths).empty());  // no directory yet
  install_policy_file(t.paths, "alpha", policy_text("alpha"));
  install_policy_file(t.paths, "broken", policy_text("broken", "  devices: {alow: []}\n"));
  install_policy_file(t.paths, "wrong", policy_text("other"));
  std::ofstream(t.paths.policy_dir / ".hidden.yaml") << policy_text("hidden");
  std::ofstream(t.paths.policy_dir / "notes.txt") << "not a policy";
  fs::create_directory(t.paths.policy_dir / "dir.yaml");

  const auto all = list_namespaces(t.paths);
  REQUIRE(all.size() == 3);
  CHECK(all[0].file == t.paths.policy_dir / "alpha.yaml");
  CHECK(all[0].parsed.ok());
  CHECK(all[1].file == t.paths.policy_dir / "broken.yaml");
  CHECK_FALSE(all[1].parsed.ok());
  CHECK_FALSE(all[2].parsed.ok());
  REQUIRE(all[2].parsed.diagnostics.size() == 1);
  CHECK(all[2].parsed.diagnostics[0].str() ==
        (t.paths.policy_dir / "wrong.yaml").string() +
            ":1:1: error: metadata.name is \"other\" but the file is wrong.yaml (a namespace's "
            "file is NAME.yaml)");

  const auto alpha = find_namespace(t.paths, "alpha");
  REQUIRE(alpha.has_value());
  CHECK(alpha->parsed.policy->name == "alpha");
  CHECK_FALSE(find_namespace(t.paths, "nosuch").has_value());
  CHECK_FALSE(find_namespace(t.paths, "../policy.d/alpha").has_value());
  CHECK_FALSE(find_namespace(t.paths, "hidden").has_value());
  const auto broken = find_namespace(t.paths, "broken");
  REQUIRE(broken.has_value());
  CHECK_FALSE(broken->parsed.ok());
}
