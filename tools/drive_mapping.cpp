#include "drive_mapping.h"

#include "cli_error.h"
#include "ireactor/io/drive_map.h"

namespace ireactor::cli {

void map_host_drive(WindowsNamespace& ns, char letter, const std::string& host_dir,
                    bool read_only) {
  std::string error;
  if (!map_drive(ns, letter, host_dir, read_only, error)) fail(error);
}

}  // namespace ireactor::cli
