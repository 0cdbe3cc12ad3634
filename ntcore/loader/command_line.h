// The Windows command line built from an argv: each argument quoted so that the MS C runtime's
// parser (and CommandLineToArgvW) gives back exactly that argument.
#pragma once

#include <string>
#include <vector>

namespace ireactor::loader {

std::u16string quote_command_line_argument(const std::u16string& arg);
std::u16string build_command_line(const std::vector<std::u16string>& argv);

}  // namespace ireactor::loader
