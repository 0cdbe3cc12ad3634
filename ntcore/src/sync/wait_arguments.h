// Argument capture shared by the wait services.
#pragma once

#include <memory>

#include "ireactor/nt/status.h"
#include "ireactor/object.h"
#include "ireactor/sync/wait.h"
#include "ireactor/user_memory.h"

namespace ireactor {

// Reads the optional NT timeout (NULL = infinite). STATUS_ACCESS_VIOLATION for a bad pointer.
nt::NTSTATUS capture_timeout(UserPtr<int64_t> timeout, WaitDeadline& out);

// Looks a handle up for waiting: STATUS_INVALID_HANDLE, STATUS_ACCESS_DENIED without SYNCHRONIZE,
// STATUS_OBJECT_TYPE_MISMATCH for objects that cannot be waited on (so far that includes File
// objects, which Windows lets synchronous-I/O callers wait on).
nt::NTSTATUS reference_waitable(nt::HANDLE handle, std::shared_ptr<Object>& out);

}  // namespace ireactor
