// Mapping drive letters of a Windows namespace to host directories.
#pragma once

#include <string>

#include "ireactor/windows_namespace.h"

namespace ireactor {

// Maps `letter` (A-Z, either case) to the host directory `host_dir`, held open (O_PATH) as the
// root every path on the drive resolves beneath; replaces an earlier mapping of the letter.
// False with a message in `error` when the letter is invalid or the directory cannot be opened.
bool map_drive(WindowsNamespace& ns, char letter, const std::string& host_dir, bool read_only,
               std::string& error);

}  // namespace ireactor
