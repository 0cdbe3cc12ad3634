// Host paths as a Windows program sees them through a namespace's drives.
#pragma once

#include <optional>
#include <string>

#include "ireactor/windows_namespace.h"

namespace ireactor::cli {

// The DOS path ("C:\dir\file", "Z:\") of host_path, an absolute canonical path, through the
// mapped drive whose host directory contains it most closely; nullopt when no drive does or a
// component cannot be a Windows name (it holds \ : * ? " < > | or a control character).
std::optional<std::u16string> dos_path_of_host(const std::string& host_path,
                                               const WindowsNamespace& ns);

// The highest letter from Z: down to D: with no drive mapped; 0 when all are taken.
char free_drive_letter(const WindowsNamespace& ns);

}  // namespace ireactor::cli
