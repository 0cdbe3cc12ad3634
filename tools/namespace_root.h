// The host directory behind a namespace's C: drive.
#pragma once

#include <filesystem>
#include <string_view>

namespace ireactor::cli {

inline constexpr std::string_view kDefaultNamespace = "default";

// Namespace names are [A-Za-z0-9][A-Za-z0-9._-]*, at most 64 characters: they become directory
// (and later cgroup) names. Others are a usage error.
void check_namespace_name(std::string_view name);

// <namespace_dir(name)>/c. The default namespace's is created on first use, holding the minimal
// Windows tree below; any other namespace must exist already (the namespace store), else a
// failure naming the directory looked for.
std::filesystem::path namespace_c_root(std::string_view name);

// The directories a Windows program expects on C: (Windows, Windows\System32, Windows\Temp,
// Users\Default), created where missing. Returns whether root itself had to be created.
bool create_minimal_windows_tree(const std::filesystem::path& root);

}  // namespace ireactor::cli
