#include "sync/object_attributes.h"

#include "ireactor/process.h"

namespace ireactor {

namespace {

// Checks the attributes and reads the name's length (0 without a name).
nt::NTSTATUS read_attributes(UserPtr<nt::OBJECT_ATTRIBUTES> oa_ptr, nt::OBJECT_ATTRIBUTES& oa,
                             nt::UNICODE_STRING& name) {
  if (!oa_ptr.read(oa)) return nt::STATUS_ACCESS_VIOLATION;
  if (oa.Length != sizeof(nt::OBJECT_ATTRIBUTES)) return nt::STATUS_INVALID_PARAMETER;
  if (oa.Attributes & ~nt::OBJ_VALID_ATTRIBUTES) return nt::STATUS_INVALID_PARAMETER;
  name = {};
  if (oa.ObjectName != 0 && !UserPtr<nt::UNICODE_STRING>(oa.ObjectName).read(name))
    return nt::STATUS_ACCESS_VIOLATION;
  return nt::STATUS_SUCCESS;
}

// Where a name leads when no directory object exists: a relative name needs a root directory
// (none can be a directory yet), an absolute one names a directory that is not there.
nt::NTSTATUS lookup_name(const nt::OBJECT_ATTRIBUTES& oa, const nt::UNICODE_STRING& name) {
  if (name.Length % 2 != 0) return nt::STATUS_OBJECT_NAME_INVALID;
  if (oa.RootDirectory != 0) {
    HandleEntry root;
    if (nt::NTSTATUS s = current_process().handles.get(oa.RootDirectory, root); !nt::nt_success(s))
      return s;
    return nt::STATUS_OBJECT_TYPE_MISMATCH;
  }
  char16_t first = 0;
  if (!copy_from_user(&first, name.Buffer, sizeof(first))) return nt::STATUS_ACCESS_VIOLATION;
  if (first != u'\\') return nt::STATUS_OBJECT_PATH_SYNTAX_BAD;
  return nt::STATUS_OBJECT_PATH_NOT_FOUND;
}

}  // namespace

nt::NTSTATUS capture_create_attributes(UserPtr<nt::OBJECT_ATTRIBUTES> oa_ptr,
                                       uint32_t& handle_attributes) {
  handle_attributes = 0;
  if (oa_ptr.null()) return nt::STATUS_SUCCESS;
  nt::OBJECT_ATTRIBUTES oa;
  nt::UNICODE_STRING name;
  if (nt::NTSTATUS s = read_attributes(oa_ptr, oa, name); !nt::nt_success(s)) return s;
  if (name.Length != 0) return lookup_name(oa, name);
  handle_attributes = oa.Attributes & nt::OBJ_INHERIT;
  return nt::STATUS_SUCCESS;
}

nt::NTSTATUS capture_open_attributes(UserPtr<nt::OBJECT_ATTRIBUTES> oa_ptr) {
  if (oa_ptr.null()) return nt::STATUS_ACCESS_VIOLATION;
  nt::OBJECT_ATTRIBUTES oa;
  nt::UNICODE_STRING name;
  if (nt::NTSTATUS s = read_attributes(oa_ptr, oa, name); !nt::nt_success(s)) return s;
  if (name.Length == 0) return nt::STATUS_OBJECT_PATH_SYNTAX_BAD;
  return lookup_name(oa, name);
}

nt::NTSTATUS return_new_handle(std::shared_ptr<Object> object, nt::ACCESS_MASK access,
                               uint32_t handle_attributes, UserPtr<nt::HANDLE> out) {
  HandleTable& handles = current_process().handles;
  nt::HANDLE handle = 0;
  if (nt::NTSTATUS s = handles.insert(std::move(object), access, handle_attributes, handle);
      !nt::nt_success(s))
    return s;
  if (!out.write(handle)) {
    // Unmapped since the probe: nobody can learn the handle, so do not leak it.
    handles.close(handle);
    return nt::STATUS_ACCESS_VIOLATION;
  }
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
