// A Windows namespace as the executive sees it: drive letters mapped to host directories (each
// held open as the root every path under it is resolved beneath) and the Windows build whose
// syscall numbering the namespace's ntdll uses.
#pragma once

#include <array>
#include <string>

namespace ireactor {

struct Drive {
  int root_fd = -1;        // O_PATH|O_DIRECTORY fd of the host directory; -1 when unmapped
  std::string host_path;   // for messages and NtQueryInformationProcess(ImageFileName)
  bool read_only = false;  // writes fail with STATUS_MEDIA_WRITE_PROTECTED
};

struct WindowsNamespace {
  std::string name = "default";
  std::string windows_build = "10.0.19045";
  std::array<Drive, 26> drives;  // index 0 = A:, 2 = C:

  Drive* drive(char letter);  // nullptr when not mapped; letter in either case
};

}  // namespace ireactor
