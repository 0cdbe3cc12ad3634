// The environment a Windows program starts with. The Linux environment is not passed on: its
// paths mean nothing on the Windows side.
#pragma once

#include <string>
#include <vector>

namespace ireactor::cli {

// "NAME=VALUE" strings, sorted case-insensitively as Windows keeps its environment block:
// the variables Windows itself always sets (SystemRoot, windir, SystemDrive, PATH, TEMP, TMP,
// USERPROFILE, USERNAME, COMPUTERNAME, OS, PROCESSOR_ARCHITECTURE, NUMBER_OF_PROCESSORS, ...).
std::vector<std::string> default_windows_environment();

}  // namespace ireactor::cli
