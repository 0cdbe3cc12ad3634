// Access rights of event objects and how generic rights map onto them (the event type's
// GENERIC_MAPPING on Windows).
#pragma once

#include "ireactor/nt/status.h"
#include "ireactor/sync/event_object.h"
#include "ireactor/user_memory.h"

namespace ireactor {

inline constexpr nt::ACCESS_MASK EVENT_QUERY_STATE = 0x0001;
inline constexpr nt::ACCESS_MASK EVENT_MODIFY_STATE = 0x0002;
inline constexpr nt::ACCESS_MASK EVENT_ALL_ACCESS = 0x001F0003;

// The access a new event handle gets. Objects have no security descriptors yet, so whatever is
// asked for is granted; MAXIMUM_ALLOWED grants everything.
constexpr nt::ACCESS_MASK granted_event_access(nt::ACCESS_MASK desired) {
  nt::ACCESS_MASK a = desired & EVENT_ALL_ACCESS;
  if (desired & nt::GENERIC_READ) a |= nt::READ_CONTROL | EVENT_QUERY_STATE;
  if (desired & nt::GENERIC_WRITE) a |= nt::READ_CONTROL | EVENT_MODIFY_STATE;
  if (desired & nt::GENERIC_EXECUTE) a |= nt::READ_CONTROL | nt::SYNCHRONIZE;
  if (desired & (nt::GENERIC_ALL | nt::MAXIMUM_ALLOWED)) a |= EVENT_ALL_ACCESS;
  return a;
}

// NtSetEvent and NtResetEvent: `change` is EventObject::set or ::reset. PreviousState is probed
// before the handle is looked at; writing it later may still fail (another thread unmapped it),
// which Windows ignores, and so do we.
nt::NTSTATUS change_event_state(nt::HANDLE handle, UserPtr<nt::LONG> previous_state,
                                bool (EventObject::*change)());

static_assert(granted_event_access(nt::GENERIC_READ) == 0x20001);
static_assert(granted_event_access(nt::GENERIC_EXECUTE) == 0x120000);
static_assert(granted_event_access(nt::MAXIMUM_ALLOWED) == EVENT_ALL_ACCESS);

}  // namespace ireactor
