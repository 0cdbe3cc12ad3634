#include "ns_command.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli_error.h"
#include "ireactor/policy/compile.h"
#include "ireactor/policy/namespace_cgroup.h"
#include "ireactor/policy/namespace_store.h"
#include "ireactor/policy/parse.h"
#include "namespace_info.h"
#include "namespace_root.h"
#include "ns_policy_text.h"
#include "windows_builds.h"

namespace ireactor::cli {

namespace fs = std::filesystem;

namespace {

struct CreateArgs {
  std::string name;
  std::vector<std::string> drives;
  std::string build;
  std::string from;
};

void check_build_name(const std::string& build) {
  const std::vector<std::string> builds = supported_builds();
  if (std::find(builds.begin(), builds.end(), build) != builds.end()) return;
  std::string list;
  for (const std::string& b : builds) list += (list.empty() ? "" : ", ") + b;
  usage_error("unknown Windows build \"" + build + "\"; supported builds: " + list);
}

std::vector<DriveSpec> drive_specs(const std::vector<std::string>& args) {
  std::vector<DriveSpec> drives;
  for (const std::string& a : args) {
    DriveSpec d = parse_drive_spec(a);
    for (const DriveSpec& other : drives)
      if (other.letter == d.letter) usage_error("--drive: " + std::string(1, d.letter) + ": twice");
    std::error_code ec;
    if (!fs::is_directory(d.host_dir, ec))
      fail("--drive " + a + ": " + d.host_dir.string() + " is not a directory");
    drives.push_back(d);
  }
  return drives;
}

void create(const CreateArgs& a) {
  check_namespace_name(a.name);
  if (!a.build.empty()) check_build_name(a.build);
  const policy::HostPaths paths = policy::HostPaths::from_environment();
  const fs::path file = paths.policy_file(a.name);
  std::error_code ec;
  if (fs::exists(file, ec))
    fail("namespace \"" + a.name + "\" exists already (" + file.string() + ")");

  NewNamespace ns{a.name, std::nullopt, drive_specs(a.drives)};
  if (!a.build.empty()) ns.build = a.build;
  const bool own_c = std::none_of(ns.drives.begin(), ns.drives.end(),
                                  [](const DriveSpec& d) { return d.letter == 'C'; });
  if (own_c) ns.drives.push_back({'C', paths.default_drive(a.name), false});
  std::sort(ns.drives.begin(), ns.drives.end(),
            [](const DriveSpec& x, const DriveSpec& y) { return x.letter < y.letter; });

  const std::string text = a.from.empty() ? default_policy_text(ns) : policy_text_from(a.from, ns);
  // What is written must be what the agent and `run --ns` will accept.
  const policy::ParseResult check = policy::parse_policy_text(text, file.string());
  if (!check.ok()) {
    std::string msg = "internal: the policy written for \"" + a.name + "\" does not validate:";
    for (const policy::Diagnostic& d : check.diagnostics) msg += "\n" + d.str();
    fail(msg);
  }
  if (own_c) create_minimal_windows_tree(paths.default_drive(a.name));
  try {
    policy::install_policy_file(paths, a.name, text);
  } catch (const std::exception& e) {
    fail("cannot write " + file.string() + ": " + e.what());
  }
  std::printf("created namespace %s: %s\n", a.name.c_str(), file.c_str());
  for (const DriveSpec& d : ns.drives)
    std::printf("  %c: %s%s\n", d.letter, d.host_dir.c_str(), d.read_only ? " (read-only)" : "");
}

void list(bool json_out) {
  const policy::HostPaths paths = policy::HostPaths::from_environment();
  std::vector<NamespaceInfo> infos;
  for (policy::StoredNamespace& s : policy::list_namespaces(paths))
    infos.push_back(namespace_info(paths, std::move(s)));
  if (json_out) {
    nlohmann::json out = nlohmann::json::array();
    for (const NamespaceInfo& i : infos) out.push_back(namespace_json(i, false));
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  std::printf("%-16s %-11s %-9s %-8s %s\n", "NAME", "BUILD", "PROCS", "ENFORCED", "DRIVES");
  for (const NamespaceInfo& i : infos) {
    const std::string procs = i.cgroup.exists ? std::to_string(i.cgroup.procs) : "-";
    if (!i.stored.parsed.ok()) {
      size_t errors = 0;
      for (const auto& d : i.stored.parsed.diagnostics) errors += d.error;
      std::printf("%-16s %-11s %-9s %-8s (invalid: %zu error%s in %s)\n", i.name.c_str(), "-",
                  procs.c_str(), i.enforced ? "yes" : "no", errors, errors == 1 ? "" : "s",
                  i.stored.file.c_str());
      continue;
    }
    const policy::NamespacePolicy& p = *i.stored.parsed.policy;
    std::printf("%-16s %-11s %-9s %-8s %s\n", i.name.c_str(), p.windows_build.c_str(),
                procs.c_str(), i.enforced ? "yes" : "no", drives_text(p).c_str());
  }
}

void print_show(const NamespaceInfo& i) {
  const nlohmann::json j = namespace_json(i, true);
  std::printf("namespace %s\n  file: %s (%s)\n", i.name.c_str(), i.stored.file.c_str(),
              i.stored.parsed.ok() ? "valid" : "INVALID");
  for (const policy::Diagnostic& d : i.stored.parsed.diagnostics)
    std::printf("    %s\n", d.str().c_str());
  if (i.cgroup.exists)
    std::printf("  cgroup: %s (id %llu, %d process%s)\n", i.cgroup.dir.c_str(),
                static_cast<unsigned long long>(i.cgroup.id), i.cgroup.procs,
                i.cgroup.procs == 1 ? "" : "es");
  else
    std::printf("  cgroup: %s (not created yet)\n",
                i.cgroup.dir.empty() ? "(no cgroup2)" : i.cgroup.dir.c_str());
  std::printf("  enforced by the guard: %s\n", i.enforced ? "yes" : "no (see `ireactor status`)");
  if (!i.stored.parsed.ok()) return;
  const policy::NamespacePolicy& p = *i.stored.parsed.policy;
  std::printf("  Windows build: %s\n  drives:\n", p.windows_build.c_str());
  for (const policy::Drive& d : p.drives)
    std::printf("    %c: %s%s\n", d.letter, d.host_path.c_str(), d.read_only ? " (read-only)" : "");
  std::printf("  devices: default %s\n", j["devices"]["default"].get<std::string>().c_str());
  for (const auto& r : j["devices"]["rules"])
    std::printf("    %-5s %-20s %-3s%s  %s\n", r["effect"].get<std::string>().c_str(),
                r["device"].get<std::string>().c_str(), r["access"].get<std::string>().c_str(),
                r["audit"].get<bool>() ? " audit" : "", r["where"].get<std::string>().c_str());
  std::printf("  ioctls: default %s\n", j["ioctls"]["default"].get<std::string>().c_str());
  for (const auto& r : j["ioctls"]["rules"])
    std::printf("    %-5s %-20s %s%s  %s\n", r["effect"].get<std::string>().c_str(),
                r["device"].is_null() ? "(any device)" : r["device"].get<std::string>().c_str(),
                r["cmd"].get<std::string>().c_str(), r["audit"].get<bool>() ? " audit" : "",
                r["where"].get<std::string>().c_str());
  std::string allowed, denied;
  for (const auto& [f, e] : j["kernel"].items())
    (e == "allow" ? allowed : denied) += (std::string(" ") + f);
  std::printf("  kernel features denied:%s\n", denied.empty() ? " (none)" : denied.c_str());
  std::printf("  kernel features allowed:%s\n", allowed.empty() ? " (none)" : allowed.c_str());
  std::printf("  audit: devices %s, denials %s\n", j["audit"]["devices"].get<std::string>().c_str(),
              j["audit"]["denials"].get<bool>() ? "yes" : "no");
  const auto& sl = j["startLayers"];
  std::printf(
      "  at process start (fixed for the process's life): seccomp refuses %zu system "
      "call rule(s); device ioctls %s\n",
      sl["seccompDeny"].size(),
      sl["restrictDeviceIoctls"].get<bool>()
          ? ("only on " + std::to_string(sl["ioctlDevices"].size()) + " device node(s)").c_str()
          : "not restricted by Landlock");
}

void show(const std::string& name, bool json_out) {
  check_namespace_name(name);
  const policy::HostPaths paths = policy::HostPaths::from_environment();
  std::optional<policy::StoredNamespace> s = policy::find_namespace(paths, name);
  if (!s)
    fail("namespace \"" + name + "\" does not exist (no " + paths.policy_file(name).string() + ")");
  const NamespaceInfo info = namespace_info(paths, std::move(*s));
  if (json_out)
    std::printf("%s\n", namespace_json(info, true).dump(2).c_str());
  else
    print_show(info);
}

void remove_namespace(const std::string& name, bool purge) {
  check_namespace_name(name);
  const policy::HostPaths paths = policy::HostPaths::from_environment();
  std::optional<policy::StoredNamespace> s = policy::find_namespace(paths, name);
  if (!s)
    fail("namespace \"" + name + "\" does not exist (no " + paths.policy_file(name).string() + ")");

  fs::path cgroup;
  try {
    cgroup = policy::namespace_cgroup_dir(paths, name);
  } catch (const std::exception&) {
    // No cgroup2 at all: no cgroup to remove either.
  }
  if (const int procs = cgroup.empty() ? 0 : cgroup_process_count(cgroup); procs > 0)
    fail(std::to_string(procs) + " process" + (procs == 1 ? "" : "es") +
         " still run in namespace \"" + name + "\" (" + (cgroup / "cgroup.procs").string() +
         "); end them first");

  // The file first: the agent then stops enforcing and no longer recreates the cgroup.
  std::error_code ec;
  fs::remove(s->file, ec);
  if (ec) fail("cannot remove " + s->file.string() + ": " + ec.message());
  std::printf("deleted namespace %s (%s)\n", name.c_str(), s->file.c_str());
  if (!cgroup.empty()) {
    try {
      if (!policy::remove_namespace_cgroup(paths, name))
        std::fprintf(stderr, "ireactor: warning: a process joined %s meanwhile; it stays\n",
                     cgroup.c_str());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ireactor: warning: %s\n", e.what());
    }
  }
  if (!purge) return;

  const fs::path default_c = paths.default_drive(name);
  if (s->parsed.ok()) {
    for (const policy::Drive& d : s->parsed.policy->drives)
      if (d.letter == 'C' &&
          fs::weakly_canonical(d.host_path, ec) != fs::weakly_canonical(default_c, ec)) {
        std::printf("C: is %s, not the namespace's default drive: left in place\n",
                    d.host_path.c_str());
        return;
      }
  }
  const fs::path state = default_c.parent_path();  // state_dir/namespaces/NAME
  if (!fs::exists(state, ec)) return;
  fs::remove_all(state, ec);
  if (ec) fail("cannot remove " + state.string() + ": " + ec.message());
  std::printf("removed %s\n", state.c_str());
}

}  // namespace

void add_ns_command(CLI::App& app) {
  CLI::App* ns = app.add_subcommand(
      "ns", "Windows namespaces: create, list, show, delete (the policy directory is the store)");
  ns->require_subcommand(1);

  auto c = std::make_shared<CreateArgs>();
  CLI::App* create_cmd = ns->add_subcommand("create", "Create a namespace with a default policy");
  create_cmd->add_option("NAME", c->name, "Namespace name ([a-z0-9][a-z0-9_-]*, 32 at most)")
      ->required();
  create_cmd->add_option("--drive", c->drives,
                         "Map a drive: C:=DIR, or D:=DIR:ro for a read-only one (repeatable); "
                         "without C:, C: is a new directory under the state directory");
  create_cmd->add_option("--build", c->build, "Windows build (default: 10.0.19045)");
  create_cmd->add_option("--from", c->from,
                         "Start from this policy file (its rules, other drives and build), "
                         "renamed; --drive and --build still apply");
  create_cmd->callback([c] { create(*c); });

  auto list_json = std::make_shared<bool>(false);
  CLI::App* list_cmd = ns->add_subcommand("list", "List the namespaces");
  list_cmd->add_flag("--json", *list_json, "Print a JSON array");
  list_cmd->callback([list_json] { list(*list_json); });

  auto show_name = std::make_shared<std::string>();
  auto show_json = std::make_shared<bool>(false);
  CLI::App* show_cmd = ns->add_subcommand("show", "Show a namespace: policy, cgroup, enforcement");
  show_cmd->add_option("NAME", *show_name, "Namespace name")->required();
  show_cmd->add_flag("--json", *show_json, "Print a JSON object");
  show_cmd->callback([show_name, show_json] { show(*show_name, *show_json); });

  auto del_name = std::make_shared<std::string>();
  auto purge = std::make_shared<bool>(false);
  CLI::App* del_cmd = ns->add_subcommand(
      "delete",
      "Delete a namespace: its policy file, and its cgroup (refused while processes "
      "run in it)");
  del_cmd->add_option("NAME", *del_name, "Namespace name")->required();
  del_cmd->add_flag("--purge", *purge,
                    "Also delete the namespace's default C: directory under the state directory");
  del_cmd->callback([del_name, purge] { remove_namespace(*del_name, *purge); });
}

}  // namespace ireactor::cli
