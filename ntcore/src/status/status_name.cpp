// Symbolic names of the NTSTATUS values listed in nt/status.h (for logs, traces and tests).
#include "ireactor/nt/status.h"

namespace ireactor::nt {

const char* status_name(NTSTATUS s) {
  switch (static_cast<uint32_t>(s)) {
#define IR_NTSTATUS_NAME_CASE(name, value) \
  case value:                              \
    return #name;
    IR_NTSTATUS_LIST(IR_NTSTATUS_NAME_CASE)
#undef IR_NTSTATUS_NAME_CASE
    default:
      return nullptr;
  }
}

}  // namespace ireactor::nt
