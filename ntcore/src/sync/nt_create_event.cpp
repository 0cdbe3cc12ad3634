#include <memory>

#include "ireactor/process.h"
#include "ireactor/services/sync_services.h"
#include "ireactor/sync/event_object.h"
#include "sync/event_access.h"

namespace ireactor {

namespace {

// Validates the optional OBJECT_ATTRIBUTES of an event and returns the handle attributes.
// Only unnamed events exist so far: a non-empty name is STATUS_NOT_IMPLEMENTED until the object
// namespace (\BaseNamedObjects...) exists.
nt::NTSTATUS capture_event_attributes(UserPtr<nt::OBJECT_ATTRIBUTES> oa_ptr,
                                      uint32_t& handle_attributes) {
  handle_attributes = 0;
  if (oa_ptr.null()) return nt::STATUS_SUCCESS;
  nt::OBJECT_ATTRIBUTES oa;
  if (!oa_ptr.read(oa)) return nt::STATUS_ACCESS_VIOLATION;
  if (oa.Length != sizeof(nt::OBJECT_ATTRIBUTES)) return nt::STATUS_INVALID_PARAMETER;
  if (oa.Attributes & ~nt::OBJ_VALID_ATTRIBUTES) return nt::STATUS_INVALID_PARAMETER;
  if (oa.ObjectName != 0) {
    nt::UNICODE_STRING name;
    if (!UserPtr<nt::UNICODE_STRING>(oa.ObjectName).read(name)) return nt::STATUS_ACCESS_VIOLATION;
    if (name.Length != 0) return nt::STATUS_NOT_IMPLEMENTED;
  }
  handle_attributes = oa.Attributes & nt::OBJ_INHERIT;
  return nt::STATUS_SUCCESS;
}

}  // namespace

nt::NTSTATUS NtCreateEvent(UserPtr<nt::HANDLE> EventHandle, nt::ACCESS_MASK DesiredAccess,
                           UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes, nt::ULONG EventType,
                           nt::BOOLEAN InitialState) {
  // Windows probes the output handle first, so a bad pointer wins over every other error.
  if (!probe_user(EventHandle.addr(), sizeof(nt::HANDLE), true)) return nt::STATUS_ACCESS_VIOLATION;
  if (EventType != NotificationEvent && EventType != SynchronizationEvent)
    return nt::STATUS_INVALID_PARAMETER;
  uint32_t attributes = 0;
  if (nt::NTSTATUS s = capture_event_attributes(ObjectAttributes, attributes); !nt::nt_success(s))
    return s;

  auto event = std::make_shared<EventObject>(EventType, InitialState != 0);
  HandleTable& handles = current_process().handles;
  nt::HANDLE handle = 0;
  if (nt::NTSTATUS s =
          handles.insert(event, granted_event_access(DesiredAccess), attributes, handle);
      !nt::nt_success(s))
    return s;
  if (!EventHandle.write(handle)) {
    // Unmapped since the probe: nobody can learn the handle, so do not leak it.
    handles.close(handle);
    return nt::STATUS_ACCESS_VIOLATION;
  }
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
