// Builds RTL_USER_PROCESS_PARAMETERS in Windows memory, normalized (string Buffers are absolute
// addresses) as Windows hands them to a new process, with the environment block in its own
// allocation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ireactor/nt/types.h"
#include "load_status.h"

namespace ireactor::loader {

struct ProcessParametersInput {
  std::u16string image_path;  // DOS path, "C:\dir\prog.exe"
  std::u16string command_line;
  std::u16string current_directory;  // DOS path; a trailing backslash is added if missing
  std::u16string dll_path;
  std::u16string window_title;
  std::u16string desktop_info = u"WinSta0\\Default";
  std::vector<std::u16string> environment;  // "NAME=VALUE" each
  nt::HANDLE standard_input = 0, standard_output = 0, standard_error = 0;
  nt::HANDLE console = 0;  // ConsoleHandle: the console the process is attached to, if any
};

struct BuiltProcessParameters {
  uint64_t address = 0, size = 0;  // the RTL_USER_PROCESS_PARAMETERS block
  uint64_t environment = 0, environment_size = 0;
};

// The environment block: every string NUL-terminated, then one more NUL.
std::u16string build_environment_block(const std::vector<std::u16string>& environment);

LoadStatus build_process_parameters(const ProcessParametersInput& in, BuiltProcessParameters& out);

}  // namespace ireactor::loader
