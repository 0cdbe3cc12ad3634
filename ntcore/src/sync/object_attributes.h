// OBJECT_ATTRIBUTES of the named-object services of sync/ (mutants and semaphores). There is no
// object namespace (\BaseNamedObjects...) yet: a name is looked up in a directory that does not
// exist, so it fails as Windows fails for a missing path.
#pragma once

#include <memory>

#include "ireactor/nt/status.h"
#include "ireactor/object.h"
#include "ireactor/user_memory.h"

namespace ireactor {

// For NtCreate*: NULL attributes or an empty name make an unnamed object. Returns the handle
// attributes (OBJ_INHERIT) to give the new handle. STATUS_OBJECT_PATH_NOT_FOUND for a name.
nt::NTSTATUS capture_create_attributes(UserPtr<nt::OBJECT_ATTRIBUTES> oa_ptr,
                                       uint32_t& handle_attributes);

// For NtOpen*: a name is required, and none can be found yet.
nt::NTSTATUS capture_open_attributes(UserPtr<nt::OBJECT_ATTRIBUTES> oa_ptr);

// Makes a handle to a new object and stores it at `out` (probed by the caller beforehand); the
// handle is closed again when that store fails.
nt::NTSTATUS return_new_handle(std::shared_ptr<Object> object, nt::ACCESS_MASK access,
                               uint32_t handle_attributes, UserPtr<nt::HANDLE> out);

}  // namespace ireactor
