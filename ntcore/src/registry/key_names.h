// Turning NtCreateKey/NtOpenKey's OBJECT_ATTRIBUTES into a starting key and path components.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ireactor/user_memory.h"
#include "registry/registry_key.h"

namespace ireactor::registry {

struct KeyName {
  std::shared_ptr<Key> root;  // the RootDirectory key, or nullptr for \Registry
  std::vector<std::u16string> components;
  uint32_t handle_attributes = 0;  // OBJ_INHERIT
};

// Captures the attributes and splits the name. Absolute names must lie under \Registry (always
// matched case-insensitively, as the registry does whatever OBJ_CASE_INSENSITIVE says); names
// relative to a key handle must not start with '\'. A trailing '\' is ignored.
nt::NTSTATUS capture_key_name(UserPtr<nt::OBJECT_ATTRIBUTES> oa_ptr, KeyName& out);

// Writes a new handle to `key` to `out`; closes it again if the write fails.
nt::NTSTATUS publish_key_handle(std::shared_ptr<Key> key, nt::ACCESS_MASK desired,
                                uint32_t attributes, UserPtr<nt::HANDLE> out);

}  // namespace ireactor::registry
