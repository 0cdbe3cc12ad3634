#include "status_command.h"

#include <signal.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "cli_error.h"
#include "ireactor/policy/host_paths.h"

namespace ireactor::cli {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The agent of status.json is alive when its pid exists and still is ireactord (not a reused
// pid). An agent run with --once has exited by design: its status stays, its pid is gone.
bool agent_alive(const json& status) {
  if (!status.is_object() || !status.contains("pid") || !status["pid"].is_number_integer())
    return false;
  const int pid = status["pid"].get<int>();
  if (pid <= 0 || (::kill(pid, 0) != 0 && errno != EPERM)) return false;
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  return !comm || !std::getline(comm, name) || name == "ireactord";
}

std::vector<std::string> pins(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

bool layer(const json& layers, const char* name) {
  return layers.is_object() && layers.value(name, false);
}

// What enforces each part of a policy given the layers the agent found, worded so it never
// claims more than the kernel gives: parts only seccomp or Landlock cover are fixed when a
// program starts and do not follow policy reloads.
json enforcement(const json& layers) {
  const bool lsm = layer(layers, "lsm");
  const int landlock = layers.is_object() ? layers.value("landlock_abi", 0) : 0;
  const bool seccomp = layer(layers, "seccomp");
  json e = json::object();
  e["device_opens"] = lsm                           ? "BPF LSM file_open and cgroup/dev"
                      : layer(layers, "cgroup_dev") ? "cgroup/dev (open and mknod)"
                                                    : "not enforced";
  e["ioctls"] = lsm             ? "BPF LSM file_ioctl (per command)"
                : landlock >= 5 ? "Landlock at program start: per device, not per command; "
                                  "no hot reload"
                                : "not enforced";
  std::string features;
  if (lsm) {
    features = "BPF LSM";
  } else {
    if (layer(layers, "sock_create")) features += "raw sockets: cgroup/sock_create; ";
    if (layer(layers, "sysctl")) features += "sysctl writes: cgroup/sysctl; ";
    features +=
        seccomp ? "others: seccomp at program start, no hot reload" : "others: not enforced";
  }
  e["kernel_features"] = features;
  e["audit_of_seccomp_refusals"] = layer(layers, "seccomp_audit");
  return e;
}

json read_status(const fs::path& file, std::string& problem) {
  std::ifstream in(file);
  if (!in) {
    problem = "no " + file.string() + " (ireactord has not run with this run directory)";
    return nullptr;
  }
  json j = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    problem = file.string() + " is not a status file (not a JSON object)";
    return nullptr;
  }
  return j;
}

std::string str(const json& j, const char* key, const char* fallback = "?") {
  if (!j.is_object() || !j.contains(key)) return fallback;
  const json& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return fallback;
  return v.dump();
}

void print_text(const json& out, const json& status, const std::string& problem) {
  const bool running = out["running"].get<bool>();
  if (running)
    std::printf("agent:       running, pid %s, since %s%s\n", str(status, "pid").c_str(),
                str(status, "started").c_str(),
                status.value("resumed", false) ? " (picked up the pinned guard)" : "");
  else if (status.is_object())
    std::printf("agent:       NOT running (status.json left by pid %s, started %s)\n",
                str(status, "pid").c_str(), str(status, "started").c_str());
  else
    std::printf("agent:       NOT running: %s\n", problem.c_str());

  const auto& pinned = out["pins"];
  std::string pin_list;
  for (const auto& p : pinned) pin_list += " " + p.get<std::string>();
  std::printf("pins:        %s:%s\n", out["bpffs_dir"].get<std::string>().c_str(),
              pinned.empty() ? " none (nothing is enforced)" : pin_list.c_str());
  if (!running && !pinned.empty())
    std::printf("             the pinned guard keeps enforcing the last generation applied\n");
  if (!status.is_object()) return;

  const json& layers = status.value("layers", json::object());
  std::printf("kernel:      BPF LSM %s\n",
              layer(layers, "lsm")
                  ? "available"
                  : ("UNAVAILABLE (" + str(layers, "lsm_error", "no reason") + ")").c_str());
  std::printf(
      "             cgroup/dev %s, cgroup/sock_create %s, cgroup/sysctl %s, seccomp %s, "
      "Landlock ABI %s\n",
      layer(layers, "cgroup_dev") ? "yes" : "no", layer(layers, "sock_create") ? "yes" : "no",
      layer(layers, "sysctl") ? "yes" : "no", layer(layers, "seccomp") ? "yes" : "no",
      str(layers, "landlock_abi", "0").c_str());
  const json& enf = out["enforcement"];
  std::printf("enforced:    device opens     %s\n", enf["device_opens"].get<std::string>().c_str());
  std::printf("             ioctls           %s\n", enf["ioctls"].get<std::string>().c_str());
  std::printf("             kernel features  %s\n",
              enf["kernel_features"].get<std::string>().c_str());
  std::printf("generation:  %s\n", str(status, "generation").c_str());
  if (!status.value("apply_error", json()).is_null())
    std::printf("apply error: %s (the previous generation stays in force)\n",
                str(status, "apply_error").c_str());

  const json& namespaces = status.value("namespaces", json::object());
  if (namespaces.empty()) {
    std::printf("namespaces:  none in force\n");
  } else {
    std::printf("namespaces:\n  %-16s %-6s %-10s %-6s %s\n", "NAME", "NS_ID", "GENERATION", "RULES",
                "CGROUP");
    for (const auto& [name, ns] : namespaces.items())
      std::printf("  %-16s %-6s %-10s %-6s %s\n", name.c_str(), str(ns, "ns_id").c_str(),
                  str(ns, "generation").c_str(), str(ns, "rules").c_str(),
                  str(ns, "cgroup").c_str());
  }
  const json& rejected = status.value("rejected", json::object());
  if (!rejected.empty()) {
    std::printf(
        "rejected:    (these files are not in force; their namespaces keep the policy "
        "they had)\n");
    for (const auto& [file, diags] : rejected.items()) {
      std::printf("  %s\n", file.c_str());
      for (const auto& d : diags)
        std::printf("    %s\n", d.is_string() ? d.get<std::string>().c_str() : d.dump().c_str());
    }
  }
  for (const auto& w : status.value("warnings", json::array()))
    std::printf("warning:     %s\n", w.is_string() ? w.get<std::string>().c_str() : "?");
  std::printf("audit lost:  %s%s\n", str(status, "audit_lost", "0").c_str(),
              status.value("audit_lost", 0) ? " events (the ring buffer was full)" : "");
}

void show_status(bool as_json) {
  const auto paths = policy::HostPaths::from_environment();
  std::string problem;
  const json status = read_status(paths.status_file(), problem);
  const bool running = agent_alive(status);

  json out = status.is_object() ? status : json::object();
  out["running"] = running;
  out["status_file"] = paths.status_file().string();
  out["bpffs_dir"] = paths.bpffs_dir.string();
  out["pins"] = pins(paths.bpffs_dir);
  out["enforcement"] =
      enforcement(status.is_object() ? status.value("layers", json::object()) : json::object());
  if (!problem.empty()) out["problem"] = problem;

  if (as_json)
    std::printf("%s\n", out.dump(2).c_str());
  else
    print_text(out, status, problem);
  std::fflush(stdout);
  if (!running) throw CliError(kExitFailure, "ireactord is not running");
}

}  // namespace

void add_status_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "status",
      "Show whether ireactord runs, what this kernel lets it enforce, and what is in "
      "force");
  auto json_flag = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json_flag, "Print status.json with what this command checked");
  cmd->callback([json_flag] { show_status(*json_flag); });
}

}  // namespace ireactor::cli
