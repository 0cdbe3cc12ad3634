#include "ireactor/process.h"
#include "ireactor/services/object_services.h"

namespace ireactor {

// The object itself goes when its last reference does (a file's delete-on-close happens then).
nt::NTSTATUS NtClose(nt::HANDLE Handle) {
  return current_process().handles.close(Handle);
}

}  // namespace ireactor
