#include "trace_command.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli_error.h"
#include "ireactor/nt_trace.h"
#include "ireactor/policy/host_paths.h"
#include "ireactor/policy/namespace_store.h"
#include "namespace_ids.h"
#include "nt_call_format.h"
#include "nt_signatures.h"
#include "trace_session.h"

namespace ireactor::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct TraceArgs {
  std::string ns;
  std::optional<uint32_t> pid;
  std::vector<std::string> services;
  bool failed = false;
  bool json = false;
  std::string binary;
};

std::atomic<bool> g_stop{false};

void on_stop_signal(int) {
  g_stop.store(true);
}

// SIGINT/SIGTERM end the session instead of the process, so the summary gets printed and the
// programs are detached cleanly. No SA_RESTART: the ring buffer wait returns at once.
void install_stop_handlers() {
  struct sigaction act {};
  act.sa_handler = on_stop_signal;
  sigemptyset(&act.sa_mask);
  sigaction(SIGINT, &act, nullptr);
  sigaction(SIGTERM, &act, nullptr);
}

uint32_t namespace_filter(const policy::HostPaths& paths, const std::string& name) {
  if (name == "default") return 0;
  for (const auto& [id, ns] : known_namespaces(paths))
    if (ns.name == name) return id;
  // A namespace that has not run yet: give it its id now, so its first program is traced.
  if (policy::find_namespace(paths, name)) return policy::namespace_id(paths, name);
  throw CliError(kExitUsage, "no namespace " + name + " (ireactor ns list)");
}

// --pid must name a running process of the executable whose probes get attached: service ids
// are per executable, and a probe in another file would never fire.
void check_traced_process(uint32_t pid, const fs::path& binary, bool binary_given) {
  const fs::path exe = "/proc/" + std::to_string(pid) + "/exe";
  struct stat traced {
  }, ours{};
  if (stat(exe.c_str(), &traced) != 0) {
    if (errno == ENOENT) throw CliError(kExitUsage, "no process " + std::to_string(pid));
    fail("cannot read " + exe.string() + ": " + std::strerror(errno));
  }
  if (stat(binary.c_str(), &ours) != 0)
    fail("cannot read " + binary.string() + ": " + std::strerror(errno));
  if (traced.st_dev == ours.st_dev && traced.st_ino == ours.st_ino) return;
  std::error_code ec;
  const std::string runs = fs::read_symlink(exe, ec).string();
  throw CliError(kExitUsage, "process " + std::to_string(pid) + " runs " + runs + ", not " +
                                 binary.string() +
                                 (binary_given ? ""
                                               : " (--binary names the ireactor executable "
                                                 "it runs, if it is the same build)"));
}

std::vector<uint16_t> service_filter(const std::vector<std::string>& names) {
  std::vector<uint16_t> ids;
  for (const std::string& name : names) {
    auto id = service_id(name);
    if (!id)
      throw CliError(kExitUsage, "no NT service " + name + " in any supported Windows build");
    ids.push_back(*id);
  }
  return ids;
}

std::vector<std::pair<uint16_t, ir_trace_spec>> capture_specs() {
  std::vector<std::pair<uint16_t, ir_trace_spec>> specs;
  for (const ntdecode::Signature& sig : ntdecode::signatures())
    if (auto id = service_id(sig.service)) specs.emplace_back(*id, ntdecode::capture_spec(sig));
  return specs;
}

std::string service_label(const ir_trace_event& ev) {
  std::string_view name = service_id_name(ev.service);
  if (!name.empty()) return std::string(name);
  char b[24];
  std::snprintf(b, sizeof b, "#0x%x", ev.number);
  return b;
}

// strace -c's table: per service, share of the time, total, mean, calls and failures.
struct ServiceTotals {
  uint64_t calls = 0;
  uint64_t errors = 0;  // !NT_SUCCESS
  uint64_t total_ns = 0;
};

class Summary {
 public:
  void add(const std::string& service, const ir_trace_event& ev) {
    if (ev.flags & IR_EV_ENTRY) return;  // counted when (if) it returns
    ServiceTotals& t = by_service_[service];
    ++t.calls;
    if (ev.status >> 31) ++t.errors;
    t.total_ns += ev.duration_ns;
  }

  void print_text(const ir_trace_counters& c, uint64_t received) const {
    uint64_t all_ns = 0, all_calls = 0, all_errors = 0;
    for (const auto& [name, t] : by_service_) {
      all_ns += t.total_ns;
      all_calls += t.calls;
      all_errors += t.errors;
    }
    std::vector<std::pair<std::string, ServiceTotals>> rows(by_service_.begin(), by_service_.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return a.second.total_ns > b.second.total_ns;
    });
    const char* rule = "------ ----------- ----------- --------- --------- ----------------";
    std::fprintf(stderr, "%6s %11s %11s %9s %9s %s\n%s\n", "% time", "seconds", "usecs/call",
                 "calls", "errors", "service", rule);
    for (const auto& [name, t] : rows) {
      std::fprintf(
          stderr, "%6.2f %11.6f %11llu %9llu %9s %s\n",
          all_ns ? 100.0 * static_cast<double>(t.total_ns) / static_cast<double>(all_ns) : 0.0,
          static_cast<double>(t.total_ns) / 1e9,
          static_cast<unsigned long long>(t.calls ? t.total_ns / t.calls / 1000 : 0),
          static_cast<unsigned long long>(t.calls),
          t.errors ? std::to_string(t.errors).c_str() : "", name.c_str());
    }
    std::fprintf(stderr, "%s\n%6.2f %11.6f %11s %9llu %9s total\n", rule, 100.0,
                 static_cast<double>(all_ns) / 1e9, "", static_cast<unsigned long long>(all_calls),
                 all_errors ? std::to_string(all_errors).c_str() : "");
    std::fprintf(stderr, "events: %llu received, %llu lost, %llu untracked\n",
                 static_cast<unsigned long long>(received), static_cast<unsigned long long>(c.lost),
                 static_cast<unsigned long long>(c.untracked));
  }

  json to_json(const ir_trace_counters& c, uint64_t received) const {
    json services = json::array();
    for (const auto& [name, t] : by_service_)
      services.push_back(
          {{"service", name}, {"calls", t.calls}, {"errors", t.errors}, {"total_ns", t.total_ns}});
    return {{"type", "summary"},
            {"services", services},
            {"received", received},
            {"lost", c.lost},
            {"untracked", c.untracked}};
  }

 private:
  std::map<std::string, ServiceTotals> by_service_;
};

void run_trace(const TraceArgs& args) {
  const policy::HostPaths paths = policy::HostPaths::from_environment();
  trace::SessionOptions options;
  options.binary = args.binary.empty() ? fs::read_symlink("/proc/self/exe") : fs::path(args.binary);
  options.pid = args.pid;
  if (args.pid) check_traced_process(*args.pid, options.binary, !args.binary.empty());
  if (!args.ns.empty()) options.ns_id = namespace_filter(paths, args.ns);
  options.services = service_filter(args.services);
  options.failed_only = args.failed;
  options.specs = capture_specs();

  install_stop_handlers();
  std::unique_ptr<trace::EventSession> attached;
  try {
    attached = std::make_unique<trace::EventSession>(options);
  } catch (const std::exception& e) {
    if (geteuid() == 0) throw;
    throw std::runtime_error(std::string(e.what()) +
                             "\n(tracing loads BPF programs: run it as root, or with CAP_BPF, "
                             "CAP_PERFMON and CAP_SYS_RESOURCE)");
  }
  trace::EventSession& session = *attached;
  std::fprintf(stderr, "ireactor trace: attached to %s; Ctrl-C stops\n", options.binary.c_str());

  std::map<uint32_t, NamespaceName> namespaces = known_namespaces(paths);
  Summary summary;
  uint64_t received = 0, lost_reported = 0;
  auto on_event = [&](const ir_trace_event& ev) {
    ++received;
    if (!namespaces.count(ev.ns_id)) {
      namespaces = known_namespaces(paths);  // a namespace that got its id after we started
      if (!namespaces.count(ev.ns_id))       // gone from ns-ids: do not look again for each call
        namespaces[ev.ns_id] = {"#" + std::to_string(ev.ns_id), ""};
    }
    ntdecode::CallContext ctx{namespace_label(namespaces, ev.ns_id), service_label(ev)};
    summary.add(ctx.service, ev);
    if (args.json) {
      json j = ntdecode::format_json(ev, ctx);
      j["type"] = "call";
      std::printf("%s\n", j.dump().c_str());
    } else {
      std::printf("%s\n", ntdecode::format_text(ev, ctx).c_str());
    }
  };
  while (!g_stop.load()) {
    session.poll(100, on_event);
    std::fflush(stdout);
    if (const uint64_t lost = session.counters().lost; lost > lost_reported) {
      std::fprintf(stderr, "ireactor trace: %llu events lost (ring buffer full)\n",
                   static_cast<unsigned long long>(lost - lost_reported));
      lost_reported = lost;
    }
  }
  while (session.poll(0, on_event) > 0) {
  }
  const ir_trace_counters c = session.counters();
  if (args.json)
    std::printf("%s\n", summary.to_json(c, received).dump().c_str());
  else
    summary.print_text(c, received);
  std::fflush(stdout);
}

}  // namespace

void add_trace_command(CLI::App& app) {
  auto args = std::make_shared<TraceArgs>();
  CLI::App* cmd = app.add_subcommand(
      "trace",
      "Print every NT call of running and future Windows programs, strace-style (Ctrl-C: "
      "summary)");
  cmd->add_option("--ns", args->ns, "Only this namespace (\"default\" for the default one)");
  cmd->add_option("--pid", args->pid, "Only this process");
  cmd->add_option("--service", args->services, "Only these services (NtCreateFile,NtReadFile...)")
      ->delimiter(',');
  cmd->add_flag("--failed", args->failed, "Only calls that fail (NTSTATUS not a success)");
  cmd->add_flag("--json", args->json, "One JSON object per line (docs/trace-format.md)");
  cmd->add_option("--binary", args->binary,
                  "The ireactor executable the programs run under (default: this one)")
      ->check(CLI::ExistingFile);
  cmd->callback([args] { run_trace(*args); });
}

}  // namespace ireactor::cli
