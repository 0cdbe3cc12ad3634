// Object manager services (object/).
#pragma once

#include "ireactor/nt/status.h"
#include "ireactor/user_memory.h"

namespace ireactor {

nt::NTSTATUS NtClose(nt::HANDLE Handle);

// clang-format off
#define IR_OBJECT_SERVICES(X) \
  X(NtClose)
// clang-format on

}  // namespace ireactor
