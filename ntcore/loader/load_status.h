// The outcome of a loader step: the NTSTATUS Windows would return and, on failure, a message
// naming what was wrong (which file, which DLL, which export) for the user.
#pragma once

#include <string>

#include "ireactor/nt/status.h"

namespace ireactor::loader {

struct LoadStatus {
  nt::NTSTATUS status = nt::STATUS_SUCCESS;
  std::string message;

  bool ok() const { return nt::nt_success(status); }
  static LoadStatus success() { return {}; }
  static LoadStatus failure(nt::NTSTATUS s, std::string why) { return {s, std::move(why)}; }
};

}  // namespace ireactor::loader
