// Namespace names, and the C: drive of the embedded default namespace (`ireactor run` without
// --ns). Named namespaces live in the namespace store (policy files, see ns_command.h).
#pragma once

#include <filesystem>
#include <string_view>

namespace ireactor::cli {

inline constexpr std::string_view kDefaultNamespace = "default";

// Namespace names are what a policy's metadata.name may be, [a-z0-9][a-z0-9_-]{0,31}: they
// become policy file and cgroup names. Others are a usage error.
void check_namespace_name(std::string_view name);

// The default namespace's C:, <user_data_dir>/namespaces/default/c (data_dir.h: per user, so it
// works without root), created on first use holding the minimal Windows tree below.
std::filesystem::path default_namespace_c_root();

// The directories a Windows program expects on C: (Windows, Windows\System32, Windows\Temp,
// Users\Default), created where missing. Returns whether root itself had to be created.
bool create_minimal_windows_tree(const std::filesystem::path& root);

}  // namespace ireactor::cli
