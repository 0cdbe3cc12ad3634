#include "stats_command.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli_error.h"
#include "namespace_ids.h"
#include "ireactor/dispatcher.h"
#include "ireactor/nt_trace.h"
#include "ireactor/policy/host_paths.h"
#include "ireactor/policy/namespace_store.h"
#include "trace.h"

namespace ireactor::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct StatsArgs {
  std::string ns;  // empty: every namespace
  bool json = false;
  bool detach = false;
};

std::string service_of(uint32_t number, const std::string& build) {
  if (build.empty() || !select_windows_build(build)) return "#" + std::to_string(number);
  std::string_view name = service_name(number);
  return name.empty() ? "#" + std::to_string(number) : std::string(name);
}

// bcc's log2 histogram: rows from the first to the last non-empty slot, stars scaled to the
// largest count.
void print_histogram(const ir_trace_stat& s) {
  int first = -1, last = -1;
  uint64_t max = 0;
  for (int i = 0; i < IR_TRACE_SLOTS; ++i) {
    if (!s.latency_log2[i]) continue;
    if (first < 0) first = i;
    last = i;
    max = std::max<uint64_t>(max, s.latency_log2[i]);
  }
  if (first < 0) return;
  constexpr int kWidth = 40;
  std::printf("%24s : %-8s %s\n", "nsecs", "count", "distribution");
  for (int i = first; i <= last; ++i) {
    uint64_t low = i == 0 ? 0 : uint64_t{1} << i, high = (uint64_t{1} << (i + 1)) - 1;
    int stars = static_cast<int>(s.latency_log2[i] * kWidth / max);
    std::printf("%10llu -> %-10llu : %-8llu |%s%*s|\n", static_cast<unsigned long long>(low),
                static_cast<unsigned long long>(high),
                static_cast<unsigned long long>(s.latency_log2[i]), std::string(stars, '*').c_str(),
                kWidth - stars, "");
  }
}

void run_stats(const StatsArgs& args) {
  const policy::HostPaths paths = policy::HostPaths::from_environment();
  if (args.detach) {
    trace::detach(paths.bpffs_dir);
    return;
  }
  std::map<uint32_t, NamespaceName> namespaces = known_namespaces(paths);
  std::optional<uint32_t> only;
  if (!args.ns.empty()) {
    for (const auto& [id, ns] : namespaces)
      if (ns.name == args.ns) only = id;
    if (!only)
      fail("no namespace " + args.ns + " has run (no id in " +
           (paths.state_dir / "ns-ids").string() + ")");
  }
  if (!trace::attached(paths.bpffs_dir)) {
    trace::attach(paths.bpffs_dir, fs::read_symlink("/proc/self/exe"));
    if (!args.json)
      std::printf("attached to ireactor:nt_enter/nt_exit; counting from now on (--detach stops)\n");
  }

  json out = json::array();
  uint32_t current_ns = UINT32_MAX;
  for (const trace::ServiceStats& s : trace::read_stats(paths.bpffs_dir)) {
    if (only && s.key.ns_id != *only) continue;
    auto ns_it = namespaces.find(s.key.ns_id);
    const std::string ns_name = namespace_label(namespaces, s.key.ns_id);
    const std::string service =
        service_of(s.key.number, ns_it != namespaces.end() ? ns_it->second.build : "");
    if (args.json) {
      json hist = json::array();
      for (uint64_t c : s.stat.latency_log2) hist.push_back(c);
      while (!hist.empty() && hist.back() == 0) hist.erase(hist.end() - 1);
      out.push_back({{"namespace", ns_name},
                     {"ns_id", s.key.ns_id},
                     {"number", s.key.number},
                     {"service", service},
                     {"calls", s.stat.calls},
                     {"errors", s.stat.errors},
                     {"warnings", s.stat.warnings},
                     {"total_ns", s.stat.total_ns},
                     {"latency_log2_ns", hist}});
      continue;
    }
    if (s.key.ns_id != current_ns) {
      current_ns = s.key.ns_id;
      std::printf("\nnamespace %s (id %u)\n", ns_name.c_str(), current_ns);
    }
    std::printf("\n%s (%#x): %llu calls, %llu errors, %llu warnings\n", service.c_str(),
                s.key.number, static_cast<unsigned long long>(s.stat.calls),
                static_cast<unsigned long long>(s.stat.errors),
                static_cast<unsigned long long>(s.stat.warnings));
    print_histogram(s.stat);
  }
  if (args.json) std::printf("%s\n", out.dump().c_str());
}

}  // namespace

void add_stats_command(CLI::App& app) {
  auto args = std::make_shared<StatsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "stats",
      "NT call counts, errors and latency histograms per namespace and service (attaches the "
      "tracer to the dispatcher's USDT probes if it is not attached)");
  cmd->add_option("--ns", args->ns, "Only this namespace (\"default\" for the default one)");
  cmd->add_flag("--json", args->json, "One JSON array of per-service objects");
  cmd->add_flag("--detach", args->detach, "Detach the tracer and remove its pinned map");
  cmd->callback([args] { run_stats(*args); });
}

}  // namespace ireactor::cli
