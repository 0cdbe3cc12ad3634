// A namespace's cgroup v2: <cgroup2 mount>/<HostPaths::cgroup_parent>/<ns>, the kernel-side
// identity the guard keys on.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "ireactor/policy/host_paths.h"

namespace ireactor::policy {

// Where cgroup2 is mounted (/proc/self/mountinfo); mounts it at /sys/fs/cgroup/unified or
// /sys/fs/cgroup when it is not mounted anywhere. Throws std::runtime_error when impossible.
std::filesystem::path cgroup2_mount();

// Every mount point of a cgroup filesystem (v2 and v1 hierarchies), in mountinfo order: what a
// namespace denied cgroupWrite must not write beneath.
std::vector<std::filesystem::path> cgroup_mounts();

std::filesystem::path namespace_cgroup_dir(const HostPaths& paths, const std::string& ns);

// Creates the cgroup (and its parent) when missing; returns its directory.
std::filesystem::path ensure_namespace_cgroup(const HostPaths& paths, const std::string& ns);

// The cgroup id the kernel reports (bpf_get_current_cgroup_id): the directory's inode number.
uint64_t cgroup_id(const std::filesystem::path& cgroup_dir);

// Moves the calling process into the cgroup (writes "0" to cgroup.procs); nothing when it is in
// it already (a process a namespace process started, which may not write there).
void join_cgroup(const std::filesystem::path& cgroup_dir);

// Removes an empty namespace cgroup; false when processes still live in it.
bool remove_namespace_cgroup(const HostPaths& paths, const std::string& ns);

}  // namespace ireactor::policy
