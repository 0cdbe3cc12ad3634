#include "policy_command.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli_error.h"
#include "ireactor/policy/host_paths.h"
#include "ireactor/policy/namespace_store.h"
#include "ireactor/policy/parse.h"
#include "ireactor/policy/sha256.h"
#include "namespace_info.h"

namespace ireactor::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::optional<std::string> read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

size_t count_errors(const std::vector<policy::Diagnostic>& diags) {
  return std::count_if(diags.begin(), diags.end(), [](const auto& d) { return d.error; });
}

void print_diagnostics(const std::vector<policy::Diagnostic>& diags) {
  for (const policy::Diagnostic& d : diags) std::fprintf(stderr, "%s\n", d.str().c_str());
}

std::string plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// A process that exited but was not reaped yet (a zombie) still answers kill(pid, 0).
bool process_alive(long pid) {
  if (pid <= 0) return false;
  // Signal 0 only checks existence; EPERM: it exists but is not ours.
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) return false;
  const auto stat = read_text("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  const size_t paren = stat->rfind(')');  // the command name may hold spaces and parentheses
  return paren == std::string::npos || paren + 2 >= stat->size() || (*stat)[paren + 2] != 'Z';
}

// What ireactord last wrote in its status file (format: docs/agent.md) about one namespace.
struct AgentReport {
  fs::path status_file;
  std::string text;     // the whole file, to notice when the agent rewrites it
  std::string problem;  // why there is no usable status, else ""
  long pid = 0;
  bool running = false;               // pid names a live process
  std::optional<json> ns;             // namespaces[NAME]
  std::vector<std::string> rejected;  // the agent's diagnostics for NAME.yaml, if it refused it
  std::string apply_error;
};

AgentReport read_agent_report(const fs::path& status_file, const std::string& name) {
  AgentReport r;
  r.status_file = status_file;
  const auto text = read_text(status_file);
  if (!text) {
    r.problem = "no " + status_file.string();
    return r;
  }
  r.text = *text;
  try {
    const json j = json::parse(r.text);
    r.pid = j.value("pid", 0L);
    r.running = process_alive(r.pid);
    if (!r.running)
      r.problem = "its pid " + std::to_string(r.pid) + " in " + status_file.string() + " is gone";
    if (j.contains("namespaces") && j["namespaces"].contains(name)) r.ns = j["namespaces"][name];
    if (j.contains("rejected") && j["rejected"].is_object())
      for (const auto& [file, diags] : j["rejected"].items())
        if (fs::path(file).filename() == name + ".yaml")
          for (const auto& d : diags)
            r.rejected.push_back(d.is_string() ? d.get<std::string>() : d.dump());
    if (j.contains("apply_error") && j["apply_error"].is_string())
      r.apply_error = j["apply_error"].get<std::string>();
  } catch (const json::exception& e) {
    r.problem = status_file.string() + " is not valid JSON: " + e.what();
    r.running = false;
  }
  return r;
}

// ---- validate ----

void validate_files(const std::vector<std::string>& files) {
  size_t invalid = 0;
  for (const std::string& f : files) {
    const policy::ParseResult r = policy::parse_policy_file(f);
    print_diagnostics(r.diagnostics);
    if (r.ok()) {
      const size_t warnings = r.diagnostics.size();
      std::printf("%s: ok%s\n", f.c_str(),
                  warnings ? (" (" + plural(warnings, "warning") + ")").c_str() : "");
    } else {
      ++invalid;
    }
  }
  std::fflush(stdout);
  if (invalid)
    fail(std::to_string(invalid) + " of " + plural(files.size(), "policy file") +
         (invalid == 1 ? " has errors" : " have errors"));
}

// ---- apply ----

[[noreturn]] void no_agent(const AgentReport& r, const fs::path& installed) {
  fail("ireactord is not running (" + r.problem + "): " + installed.string() +
       " is installed and will be applied when ireactord starts");
}

void apply_policy(const std::string& file, double wait_seconds) {
  if (wait_seconds < 0) usage_error("--wait must not be negative");
  const auto text = read_text(file);
  if (!text) fail("cannot read " + file + ": " + std::strerror(errno));
  const policy::ParseResult r = policy::parse_policy_text(*text, file);
  print_diagnostics(r.diagnostics);
  if (!r.ok())
    fail(file + " has " + plural(count_errors(r.diagnostics), "error") + ": nothing was installed");
  const std::string name = r.policy->name;
  const std::string sha = r.policy->source_sha256;

  const policy::HostPaths paths = policy::HostPaths::from_environment();
  const fs::path dest = paths.policy_file(name);
  const std::string status_before = read_agent_report(paths.status_file(), name).text;
  try {
    policy::install_policy_file(paths, name, *text);
  } catch (const std::exception& e) {
    fail("cannot install " + dest.string() + ": " + e.what());
  }
  std::printf("installed %s as %s\n", file.c_str(), dest.c_str());
  std::fflush(stdout);

  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(wait_seconds));
  for (;;) {
    const AgentReport a = read_agent_report(paths.status_file(), name);
    if (!a.running) no_agent(a, dest);
    if (a.ns && a.ns->value("sha256", "") == sha) {
      std::printf("ireactord (pid %ld) applied it: namespace %s, generation %llu\n", a.pid,
                  name.c_str(),
                  static_cast<unsigned long long>(a.ns->value("generation", uint64_t{0})));
      return;
    }
    const bool rewritten = a.text != status_before;
    if (rewritten && !a.rejected.empty()) {
      for (const std::string& d : a.rejected) std::fprintf(stderr, "%s\n", d.c_str());
      fail("ireactord rejected " + dest.string() + "; namespace " + name +
           " keeps the policy it had");
    }
    if (rewritten && !a.apply_error.empty())
      fail("ireactord could not apply the policy set: " + a.apply_error);
    if (std::chrono::steady_clock::now() >= deadline) {
      char waited[32];
      std::snprintf(waited, sizeof waited, "%g", wait_seconds);
      fail("ireactord (pid " + std::to_string(a.pid) + ") has not applied " + dest.string() +
           " within " + waited + " s; `ireactor policy show " + name + "` tells when it has");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// ---- show ----

json in_force_json(const AgentReport& a, const std::string& file_sha) {
  json j = {{"statusFile", a.status_file.string()},
            {"agentRunning", a.running},
            {"agentPid", a.pid > 0 ? json(a.pid) : json(nullptr)},
            {"problem", a.problem.empty() ? json(nullptr) : json(a.problem)},
            {"present", a.ns.has_value()},
            {"rejected", a.rejected}};
  if (a.ns) {
    const json& ns = *a.ns;
    j["generation"] = ns.value("generation", json(nullptr));
    j["nsId"] = ns.value("ns_id", json(nullptr));
    j["cgroup"] = ns.value("cgroup", json(nullptr));
    j["cgroupId"] = ns.value("cgroup_id", json(nullptr));
    j["rules"] = ns.value("rules", json(nullptr));
    j["sha256"] = ns.value("sha256", json(nullptr));
    j["matchesFile"] = ns.value("sha256", std::string()) == file_sha;
  }
  return j;
}

std::string str(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

// "office.yaml:14:9" -> "14:9": the file is named once above the tables.
std::string line_col(const std::string& where) {
  const size_t last = where.rfind(':');
  if (last == std::string::npos || last == 0) return where;
  const size_t before = where.rfind(':', last - 1);
  return before == std::string::npos ? where : where.substr(before + 1);
}

void print_table(const std::vector<std::vector<std::string>>& rows, const char* indent) {
  std::vector<size_t> width;
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], row[c].size());
    }
  for (const auto& row : rows) {
    std::string line = indent;
    for (size_t c = 0; c < row.size(); ++c)
      line +=
          c + 1 == row.size() ? row[c] : row[c] + std::string(width[c] - row[c].size() + 2, ' ');
    std::printf("%s\n", line.c_str());
  }
}

void print_policy(const json& j) {
  std::printf("  Windows build  %s\n", str(j, "build").c_str());
  for (const json& d : j["drives"])
    std::printf("  drive %s       %s%s\n", str(d, "letter").c_str(), str(d, "path").c_str(),
                d.value("readOnly", false) ? " (read-only)" : "");

  std::printf("  devices        default %s\n", str(j["devices"], "default").c_str());
  std::vector<std::vector<std::string>> rows = {{"EFFECT", "DEVICE", "ACCESS", "AUDIT", "LINE"}};
  for (const json& r : j["devices"]["rules"])
    rows.push_back({str(r, "effect"), str(r, "device"), str(r, "access"),
                    r.value("audit", false) ? "yes" : "", line_col(str(r, "where"))});
  if (rows.size() > 1) print_table(rows, "    ");

  std::printf("  ioctls         default %s\n", str(j["ioctls"], "default").c_str());
  rows = {{"EFFECT", "DEVICE", "COMMANDS", "AUDIT", "LINE"}};
  for (const json& r : j["ioctls"]["rules"])
    rows.push_back({str(r, "effect"), r["device"].is_null() ? "(any device)" : str(r, "device"),
                    str(r, "cmd"), r.value("audit", false) ? "yes" : "",
                    line_col(str(r, "where"))});
  if (rows.size() > 1) print_table(rows, "    ");

  std::string allowed, denied;
  for (const auto& [f, e] : j["kernel"].items()) (e == "allow" ? allowed : denied) += " " + f;
  std::printf("  kernel         denied:%s\n", denied.empty() ? " (none)" : denied.c_str());
  std::printf("                 allowed:%s\n", allowed.empty() ? " (none)" : allowed.c_str());
  std::printf("  audit          devices %s, denials %s\n", str(j["audit"], "devices").c_str(),
              j["audit"].value("denials", false) ? "yes" : "no");
}

void print_in_force(const json& f) {
  std::printf("in force:\n");
  if (!f["agentRunning"].get<bool>())
    std::printf(
        "  ireactord is not running (%s)%s\n", str(f, "problem").c_str(),
        f["agentPid"].is_null() ? "" : "; what it had in force when it stopped stays pinned");
  else
    std::printf("  ireactord pid %ld\n", f["agentPid"].get<long>());
  if (f["present"].get<bool>()) {
    std::printf("  generation %llu, namespace id %llu, %llu rules, cgroup %s (id %llu)\n",
                f["generation"].is_number() ? f["generation"].get<unsigned long long>() : 0ull,
                f["nsId"].is_number() ? f["nsId"].get<unsigned long long>() : 0ull,
                f["rules"].is_number() ? f["rules"].get<unsigned long long>() : 0ull,
                str(f, "cgroup").c_str(),
                f["cgroupId"].is_number() ? f["cgroupId"].get<unsigned long long>() : 0ull);
    if (f["matchesFile"].get<bool>())
      std::printf("  sha256 %s: the file as it is now\n", str(f, "sha256").c_str());
    else
      std::printf("  sha256 %s: NOT the file as it is now (an earlier version is in force)\n",
                  str(f, "sha256").c_str());
  } else {
    std::printf("  namespace not in force\n");
  }
  if (!f["rejected"].empty()) {
    std::printf("  ireactord rejected the file:\n");
    for (const json& d : f["rejected"]) std::printf("    %s\n", d.get<std::string>().c_str());
  }
}

void show_namespace(const std::string& name, bool json_out) {
  if (!policy::valid_namespace_name(name))
    usage_error("\"" + name + "\" is not a namespace name ([a-z0-9][a-z0-9_-]*, 32 at most)");
  const policy::HostPaths paths = policy::HostPaths::from_environment();
  std::optional<policy::StoredNamespace> stored = policy::find_namespace(paths, name);
  if (!stored)
    fail("namespace \"" + name + "\" does not exist (no " + paths.policy_file(name).string() + ")");
  const std::string file_sha = policy::sha256_hex(read_text(stored->file).value_or(""));
  const bool valid = stored->parsed.ok();
  const std::vector<policy::Diagnostic> diags = stored->parsed.diagnostics;
  const fs::path file = stored->file;
  const NamespaceInfo info = namespace_info(paths, std::move(*stored));
  json j = namespace_json(info, true);
  j["sha256"] = file_sha;
  j["inForce"] = in_force_json(read_agent_report(paths.status_file(), name), file_sha);

  if (json_out) {
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf(
        "namespace %s: %s (%s)\n", name.c_str(), file.c_str(),
        valid ? (diags.empty() ? "valid" : ("valid, " + plural(diags.size(), "warning")).c_str())
              : "INVALID");
    for (const policy::Diagnostic& d : diags) std::printf("  %s\n", d.str().c_str());
    if (valid) print_policy(j);
    print_in_force(j["inForce"]);
  }
  std::fflush(stdout);
  if (!valid)
    fail(file.string() + " has " + plural(count_errors(diags), "error") +
         "; ireactord keeps the namespace's previous policy");
}

}  // namespace

void add_policy_command(CLI::App& app) {
  CLI::App* policy_cmd =
      app.add_subcommand("policy", "Validate, apply and show namespace policy files");
  policy_cmd->require_subcommand(1);

  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* validate_cmd = policy_cmd->add_subcommand(
      "validate", "Check policy files; every problem is printed as FILE:LINE:COLUMN");
  validate_cmd->add_option("FILE", *files, "Policy files (YAML)")->required();
  validate_cmd->callback([files] { validate_files(*files); });

  auto apply_file = std::make_shared<std::string>();
  auto wait = std::make_shared<double>(5.0);
  CLI::App* apply_cmd = policy_cmd->add_subcommand(
      "apply",
      "Validate a policy file, install it as NAME.yaml in the policy directory and wait "
      "for ireactord to apply it");
  apply_cmd->add_option("FILE", *apply_file, "Policy file (YAML)")->required();
  apply_cmd->add_option("--wait", *wait, "Seconds to wait for ireactord (default 5)");
  apply_cmd->callback([apply_file, wait] { apply_policy(*apply_file, *wait); });

  auto show_name = std::make_shared<std::string>();
  auto json_out = std::make_shared<bool>(false);
  CLI::App* show_cmd = policy_cmd->add_subcommand(
      "show", "A namespace's policy file, its rules, and what ireactord has in force");
  show_cmd->add_option("NAME", *show_name, "Namespace name")->required();
  show_cmd->add_flag("--json", *json_out, "Print JSON instead of text");
  show_cmd->callback([show_name, json_out] { show_namespace(*show_name, *json_out); });
}

}  // namespace ireactor::cli
