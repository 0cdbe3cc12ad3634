// The Windows builds ireactor can present (one system call numbering and ntdll.dll each).
#pragma once

#include <string>
#include <vector>

namespace ireactor::cli {

inline constexpr const char* kDefaultBuild = "10.0.19045";

// Sorted; each has a numbering table in the dispatcher.
std::vector<std::string> supported_builds();

// "Windows 10 22H2" for a build we know the release of, else "Windows 10" / "Windows 11" by
// build number, else "".
std::string windows_release_name(const std::string& build);

}  // namespace ireactor::cli
