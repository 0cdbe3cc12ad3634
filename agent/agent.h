// ireactord's life: probe the kernel, open (or pick up) the pinned guard, apply the policy
// directory, then serve events until SIGTERM: policy changes, the audit ring, the lost-event
// counter. Enforcement stays pinned when it exits.
#pragma once

#include <chrono>
#include <set>
#include <string>

#include "ireactor/policy/host_paths.h"

namespace ireactor::agent {

struct AgentOptions {
  policy::HostPaths paths;
  std::set<std::string> require;  // layers that must work: lsm, cgroup_dev, sock_create, sysctl
  bool once = false;              // apply the policy directory and exit
  bool seccomp_audit = true;      // audit refusals seen on sys_exit (raw_tp), system-wide cost
  std::chrono::milliseconds debounce{25};
};

// Returns the exit status: 0 clean stop (or --once applied with no file refused), 1 failure.
int run_agent(const AgentOptions& options);

// --uninstall: unpins and detaches the guard, so nothing is enforced any more.
int uninstall_guard(const AgentOptions& options);

}  // namespace ireactor::agent
