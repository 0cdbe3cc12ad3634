// What the thread services share: resolving a thread handle and the access a new thread
// handle is granted.
#pragma once

#include <memory>

#include "ireactor/nt/status.h"
#include "ireactor/process/thread_object.h"

namespace ireactor {

// The thread `handle` names, when the handle grants any of `any_of` (QUERY_INFORMATION implies
// QUERY_LIMITED_INFORMATION and SET_INFORMATION implies SET_LIMITED_INFORMATION, so callers
// pass both). STATUS_INVALID_HANDLE, STATUS_OBJECT_TYPE_MISMATCH, STATUS_ACCESS_DENIED.
nt::NTSTATUS reference_thread(nt::HANDLE handle, nt::ACCESS_MASK any_of,
                              std::shared_ptr<ThreadObject>& out);

// DesiredAccess of NtCreateThreadEx with the generic rights mapped (MAXIMUM_ALLOWED: all).
nt::ACCESS_MASK granted_thread_access(nt::ACCESS_MASK desired);

}  // namespace ireactor
