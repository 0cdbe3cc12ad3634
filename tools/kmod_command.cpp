#include "kmod_command.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include "cli_error.h"
#include "ireactor/policy/host_paths.h"
#include "ntgate_device.h"
#include "ntgate_hotpath.h"

namespace ireactor::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

fs::path bpffs_dir() {
  return policy::HostPaths::from_environment().bpffs_dir;
}

kmod::GateStatus gate_status() {
  try {
    return kmod::read_gate_status();
  } catch (const std::exception& e) {
    fail(e.what());  // DeviceMissing says to load kmod-min
  }
}

// attach, replace and detach load BPF programs and pin them on bpffs.
void require_root(const char* what) {
  if (geteuid() != 0)
    fail(std::string("ireactor kmod ") + what +
         " needs root (it loads BPF programs and pins them under /sys/fs/bpf)");
}

// The pins as far as this user may see them (bpffs directories are root's).
struct PinState {
  std::optional<kmod::PinnedLink> link;
  std::optional<size_t> numbering;
  std::string error;  // why they could not be read
};

PinState pin_state(const fs::path& dir) {
  PinState s;
  try {
    s.link = kmod::pinned_link(dir);
    s.numbering = kmod::pinned_numbering_size(dir);
  } catch (const std::exception& e) {
    s.error = e.what();
  }
  return s;
}

void print_status_json(const kmod::GateStatus& st, const kmod::HotpathPins& pins,
                       const PinState& ps) {
  json link = {{"path", pins.link.string()}};
  json numbering = {{"path", pins.numbering.string()}};
  if (!ps.error.empty()) {
    link["pinned"] = nullptr;
    link["error"] = ps.error;
    numbering["pinned"] = nullptr;
  } else {
    link["pinned"] = ps.link.has_value();
    if (ps.link) {
      link["link_id"] = ps.link->link_id;
      link["map_id"] = ps.link->map_id;
      link["implementation"] = ps.link->map_id ? json(ps.link->implementation) : json(nullptr);
    }
    numbering["pinned"] = ps.numbering.has_value();
    if (ps.numbering) numbering["entries"] = *ps.numbering;
  }
  json out = {{"device", kmod::kNtgateDevice.string()},
              {"abi_version", st.abi_version},
              {"attached", st.attached},
              {"implementation", st.attached ? json(st.implementation) : json(nullptr)},
              {"generation", st.generation},
              {"calls", st.calls},
              {"handled", st.handled},
              {"unhandled", st.unhandled},
              {"implementation_calls", st.implementation_calls},
              {"implementation_handled", st.implementation_handled},
              {"processes", st.processes},
              {"link", link},
              {"numbering", numbering}};
  std::printf("%s\n", out.dump(2).c_str());
}

void print_status_text(const kmod::GateStatus& st, const kmod::HotpathPins& pins,
                       const PinState& ps) {
  auto u = [](uint64_t v) { return static_cast<unsigned long long>(v); };
  std::printf("%s: ABI %u, %u attached process%s\n", kmod::kNtgateDevice.c_str(), st.abi_version,
              st.processes, st.processes == 1 ? "" : "es");
  if (st.attached)
    std::printf("implementation: %s (generation %llu): %llu calls, %llu served\n",
                st.implementation.c_str(), u(st.generation), u(st.implementation_calls),
                u(st.implementation_handled));
  else
    std::printf("implementation: none (generation %llu): every call goes to userspace\n",
                u(st.generation));
  std::printf("calls since load: %llu (%llu served in the kernel, %llu by userspace)\n",
              u(st.calls), u(st.handled), u(st.unhandled));
  if (!ps.error.empty()) {
    std::printf("pins: unknown (%s)\n", ps.error.c_str());
    return;
  }
  if (!ps.link)
    std::printf("link: none pinned at %s\n", pins.link.c_str());
  else if (!ps.link->map_id)
    std::printf("link: %s (id %u) is detached\n", pins.link.c_str(), ps.link->link_id);
  else
    std::printf("link: %s (id %u) runs %s\n", pins.link.c_str(), ps.link->link_id,
                ps.link->implementation.c_str());
  if (ps.numbering)
    std::printf("numbering: %zu entries in %s\n", *ps.numbering, pins.numbering.c_str());
  else
    std::printf("numbering: none pinned at %s\n", pins.numbering.c_str());
}

void run_status(bool as_json) {
  const kmod::GateStatus st = gate_status();
  const fs::path dir = bpffs_dir();
  const kmod::HotpathPins pins(dir);
  const PinState ps = pin_state(dir);
  if (as_json)
    print_status_json(st, pins, ps);
  else
    print_status_text(st, pins, ps);
}

void run_attach(const std::string& impl) {
  require_root("attach");
  gate_status();  // the module is loaded
  try {
    kmod::attach(bpffs_dir(), impl);
  } catch (const kmod::AlreadyAttached& e) {
    fail(std::string(e.what()) + "; `ireactor kmod replace` swaps it");
  }
  const kmod::GateStatus st = gate_status();
  std::printf("attached %s (generation %llu)\n", st.implementation.c_str(),
              static_cast<unsigned long long>(st.generation));
}

void run_replace(const std::string& impl) {
  require_root("replace");
  const kmod::GateStatus before = gate_status();
  std::string now;
  try {
    now = kmod::replace(bpffs_dir(), impl);
  } catch (const kmod::NotAttached& e) {
    fail(e.what());
  }
  const kmod::GateStatus st = gate_status();
  std::printf("replaced %s with %s (generation %llu)\n", before.implementation.c_str(),
              st.implementation.c_str(), static_cast<unsigned long long>(st.generation));
}

void run_detach() {
  require_root("detach");
  const kmod::GateStatus before = gate_status();
  try {
    kmod::detach(bpffs_dir());
  } catch (const kmod::NotAttached& e) {
    fail(e.what());
  }
  std::printf("detached %s: every NT call goes to userspace\n",
              before.attached ? before.implementation.c_str() : "the pinned link");
}

}  // namespace

void add_kmod_command(CLI::App& app) {
  CLI::App* kmod = app.add_subcommand(
      "kmod", "The kernel NT call path (/dev/ntgate): its struct_ops hot path and counters");
  kmod->require_subcommand(1);

  auto json_flag = std::make_shared<bool>(false);
  CLI::App* status = kmod->add_subcommand(
      "status", "Which implementation serves NT calls in the kernel, its call counts, the pins");
  status->add_flag("--json", *json_flag, "Print one JSON object");
  status->callback([json_flag] { run_status(*json_flag); });

  auto impl = std::make_shared<std::string>(kmod::default_implementation());
  CLI::App* attach =
      kmod->add_subcommand("attach", "Load and attach the hot path (pinned: it stays attached)");
  attach->add_option("--impl", *impl, "Which implementation")
      ->check(CLI::IsMember(kmod::implementations()))
      ->capture_default_str();
  attach->callback([impl] { run_attach(*impl); });

  auto replacement = std::make_shared<std::string>();
  CLI::App* replace = kmod->add_subcommand(
      "replace", "Swap the attached implementation live: every call is served by one of them");
  replace->add_option("--impl", *replacement, "The new one (default: the one not attached)")
      ->check(CLI::IsMember(kmod::implementations()));
  replace->callback([replacement] { run_replace(*replacement); });

  CLI::App* detach =
      kmod->add_subcommand("detach", "Detach the hot path: every NT call goes to userspace");
  detach->callback([] { run_detach(); });
}

}  // namespace ireactor::cli
