// Finding the ntdll.dll built for a Windows build.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ireactor::cli {

// The places looked at, in order, for <build>/ntdll.dll:
//   $IREACTOR_NTDLL_DIR/<build>/ntdll.dll   (when set: the only place)
//   <dir of this executable>/../pe/ntdll/<build>/ntdll.dll   (an installed or copied tree)
//   <build tree>/pe/ntdll/<build>/ntdll.dll   (IREACTOR_BUILD_PE_DIR, compiled in)
std::vector<std::filesystem::path> ntdll_candidates(const std::string& build);

// The first candidate that exists; empty when none does.
std::filesystem::path find_ntdll(const std::string& build);

}  // namespace ireactor::cli
