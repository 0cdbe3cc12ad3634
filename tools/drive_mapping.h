// Mapping host directories as drives of the namespace a program runs in.
#pragma once

#include <string>

#include "ireactor/windows_namespace.h"

namespace ireactor::cli {

// Maps host_dir as drive `letter` of ns; a failure (missing directory, no access) is reported
// as a CLI failure naming the directory.
void map_host_drive(WindowsNamespace& ns, char letter, const std::string& host_dir, bool read_only);

}  // namespace ireactor::cli
