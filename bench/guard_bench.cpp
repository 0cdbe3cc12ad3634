// The guard's cost (issue 3): open+close of a device node and of a regular file from a
// namespace whose policy has 1,000 rules, against the same calls from outside any namespace with
// the guard loaded, and the time to reload a 10,000-rule policy (parse, compile, swap). Needs
// root and BPF; prints "name value" lines for bench/run_guard_benchmarks.py.
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "guard.h"
#include "ireactor/policy/compile.h"
#include "ireactor/policy/namespace_cgroup.h"
#include "ireactor/policy/parse.h"

namespace {

using namespace ireactor;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

// A policy with `rules` device rules: /dev/null allowed, the rest distinct char devices that
// the benchmark never opens (they fill the map the lookups search). `extra`: more keys for each
// of those rules (another policy over the same devices).
std::string policy_text(int rules, const std::string& extra = "") {
  std::string y =
      "apiVersion: ireactor/v1\nkind: Namespace\nmetadata: {name: bench}\nspec:\n"
      "  drives: {C: /tmp}\n  devices:\n    default: deny\n    allow:\n"
      "      - {path: /dev/null}\n";
  for (int i = 1; i < rules; ++i)
    y += "      - {class: char, major: " + std::to_string(200 + i / 1000) +
         ", minor: " + std::to_string(i % 1000) + extra + "}\n";
  y += "  kernel: {rawSockets: deny}\n  audit: {devices: none, denials: true}\n";
  return y;
}

std::vector<guard::PolicyEntry> compile(const policy::NamespacePolicy& p, uint64_t cgroup_id,
                                        uint32_t generation) {
  policy::CompiledSet set = policy::compile_policy_set({{&p, 1, cgroup_id}}, generation);
  std::vector<guard::PolicyEntry> out;
  out.reserve(set.entries.size());
  for (const auto& e : set.entries) out.push_back({e.key, e.value});
  return out;
}

// ns per open+close of `path`: the fastest of `rounds` batches (interference only adds time).
double open_close_ns(const char* path, int iterations, int rounds) {
  std::vector<double> batch;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = Clock::now();
    for (int i = 0; i < iterations; ++i) {
      int fd = open(path, O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        std::perror(path);
        std::exit(1);
      }
      close(fd);
    }
    batch.push_back(std::chrono::duration<double, std::nano>(Clock::now() - t0).count() /
                    iterations);
  }
  return *std::min_element(batch.begin(), batch.end());
}

// Runs the measurement in a child placed in `cgroup` (empty: stays outside), so the parent's
// own cgroup never changes. Returns ns per call.
double measure_in(const std::filesystem::path& cgroup, const char* path, int iterations,
                  int rounds) {
  int fds[2];
  if (pipe(fds) != 0) std::exit(1);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    if (!cgroup.empty()) policy::join_cgroup(cgroup);
    double v = open_close_ns(path, iterations, rounds);
    if (write(fds[1], &v, sizeof v) != sizeof v) _exit(1);
    _exit(0);
  }
  close(fds[1]);
  double v = -1;
  if (read(fds[0], &v, sizeof v) != sizeof v) v = -1;
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (v < 0) {
    std::fprintf(stderr, "guard_bench: measuring child failed\n");
    std::exit(1);
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 20;
  if (geteuid() != 0) {
    std::fprintf(stderr, "SKIP: guard_bench needs root (BPF, cgroups)\n");
    return 77;
  }
  const std::string tag = std::to_string(getpid());
  setenv("IREACTOR_CGROUP", ("ireactor-bench-" + tag).c_str(), 1);
  setenv("IREACTOR_BPFFS_DIR", ("/sys/fs/bpf/ireactor-bench-" + tag).c_str(), 1);
  const policy::HostPaths paths = policy::HostPaths::from_environment();
  const std::string file = "/tmp/ireactor-guard-bench-" + tag;
  {
    FILE* f = std::fopen(file.c_str(), "w");
    if (f) std::fclose(f);
  }

  guard::KernelLayers layers = guard::probe_kernel_layers();
  // As ireactord decides: the seccomp audit unless turned off (--no-seccomp-audit).
  if (std::getenv("IREACTOR_BENCH_NO_SECCOMP_AUDIT")) layers.seccomp_audit = false;
  std::printf("layer_seccomp_audit %d\n", layers.seccomp_audit ? 1 : 0);
  std::printf("layer_lsm %d\nlayer_cgroup_dev %d\n", layers.lsm ? 1 : 0, layers.cgroup_dev ? 1 : 0);

  // Before anything is loaded: the floor.
  std::printf("open_close_dev_noguard %.1f\n", measure_in({}, "/dev/null", iterations, rounds));
  std::printf("open_close_file_noguard %.1f\n", measure_in({}, file.c_str(), iterations, rounds));

  auto g = guard::Guard::open(paths.bpffs_dir, layers);
  const auto cgroup = policy::ensure_namespace_cgroup(paths, "bench");
  const uint64_t cg = policy::cgroup_id(cgroup);
  g->attach_namespace("bench", cgroup);

  policy::ParseResult small = policy::parse_policy_text(policy_text(1000), "bench-1000.yaml");
  if (!small.ok()) {
    for (const auto& d : small.diagnostics) std::fprintf(stderr, "%s\n", d.str().c_str());
    return 1;
  }
  g->swap_policy(compile(*small.policy, cg, 1));

  // Alternate outside/inside so drift in machine load hits both; the fastest of each kind.
  std::vector<double> dev_out, dev_in, file_out, file_in;
  for (int r = 0; r < 7; ++r) {
    dev_out.push_back(measure_in({}, "/dev/null", iterations, rounds));
    dev_in.push_back(measure_in(cgroup, "/dev/null", iterations, rounds));
    file_out.push_back(measure_in({}, file.c_str(), iterations, rounds));
    file_in.push_back(measure_in(cgroup, file.c_str(), iterations, rounds));
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  auto fastest = [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); };
  std::printf("open_close_dev_outside %.1f\nopen_close_dev_namespace %.1f\n", fastest(dev_out),
              fastest(dev_in));
  std::printf("open_close_file_outside %.1f\nopen_close_file_namespace %.1f\n", fastest(file_out),
              fastest(file_in));

  // Reload of a 10,000-rule policy: the three steps timed apart, median of five. Also the
  // parse's own CPU time: on a shared machine the rest of its wall time is waiting for a CPU.
  const std::string big_text = policy_text(10000);
  std::vector<double> parse_ms, parse_cpu_ms, compile_ms, swap_ms;
  for (int r = 0; r < 5; ++r) {
    auto t0 = Clock::now();
    const double cpu0 = thread_cpu_ms();
    policy::ParseResult big = policy::parse_policy_text(big_text, "bench-10000.yaml");
    parse_ms.push_back(ms_since(t0));
    parse_cpu_ms.push_back(thread_cpu_ms() - cpu0);
    if (!big.ok()) return 1;
    t0 = Clock::now();
    auto entries = compile(*big.policy, cg, 2 + r);
    compile_ms.push_back(ms_since(t0));
    t0 = Clock::now();
    g->swap_policy(entries);
    swap_ms.push_back(ms_since(t0));
  }
  std::printf("reload10k_parse_ms %.2f\nreload10k_compile_ms %.2f\nreload10k_swap_ms %.2f\n",
              median(parse_ms), median(compile_ms), median(swap_ms));
  std::printf("reload10k_parse_cpu_ms %.2f\n", median(parse_cpu_ms));

  // The swap when every rule changes (each device's access): all 10,000 entries written, as
  // between two unrelated policies; the two sets alternate, a tenth of a second apart (the
  // staging of the previous switch done, as for a policy file edited by hand), median of five.
  policy::ParseResult read_only =
      policy::parse_policy_text(policy_text(10000, ", access: r"), "bench-10000-r.yaml");
  policy::ParseResult read_write = policy::parse_policy_text(big_text, "bench-10000.yaml");
  if (!read_only.ok() || !read_write.ok()) return 1;
  std::vector<double> changed_ms;
  for (int r = 0; r < 5; ++r) {
    const auto entries = compile(r % 2 ? *read_write.policy : *read_only.policy, cg, 7 + r);
    usleep(100 * 1000);
    auto t0 = Clock::now();
    g->swap_policy(entries);
    changed_ms.push_back(ms_since(t0));
  }
  std::printf("reload10k_swap_all_changed_ms %.2f\n", median(changed_ms));

  g->remove();
  policy::remove_namespace_cgroup(paths, "bench");
  std::filesystem::remove(policy::namespace_cgroup_dir(paths, "bench").parent_path());
  std::filesystem::remove(file);
  return 0;
}
