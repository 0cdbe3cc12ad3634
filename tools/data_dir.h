// Where ireactor keeps the default namespace's per-user data: $XDG_DATA_HOME/ireactor, or
// ~/.local/share/ireactor when XDG_DATA_HOME is unset or not absolute (the XDG base directory
// rules). Named namespaces are system-wide instead (policy::HostPaths: policy and state dirs).
#pragma once

#include <filesystem>
#include <string_view>

namespace ireactor::cli {

std::filesystem::path user_data_dir();

// The directory of namespace `name`: <user_data_dir>/namespaces/<name>.
std::filesystem::path namespace_dir(std::string_view name);

}  // namespace ireactor::cli
