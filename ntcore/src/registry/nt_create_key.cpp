// NtCreateKey, NtOpenKey and NtOpenKeyEx.
#include <spdlog/spdlog.h>

#include "io/name_rules.h"
#include "ireactor/services/registry_services.h"
#include "registry/key_names.h"

namespace ireactor {

using namespace registry;

namespace {

std::string printable(const KeyName& n) {
  std::u16string path = n.root ? n.root->full_path() : u"\\Registry";
  for (const auto& c : n.components) path += u"\\" + c;
  std::string out;
  io::utf8_from_utf16(path, out);
  return out;
}

// The key `name` names (with the lock held).
nt::NTSTATUS open_existing(const KeyName& name, std::shared_ptr<Key>& out) {
  Key& start = name.root ? *name.root : registry_root();
  if (start.deleted) return STATUS_KEY_DELETED;
  if (name.components.empty()) {
    out = name.root ? name.root : registry_root_key();
    return nt::STATUS_SUCCESS;
  }
  out = find_key(start, name.components);
  return out ? nt::STATUS_SUCCESS : nt::STATUS_OBJECT_NAME_NOT_FOUND;
}

nt::NTSTATUS open_key(UserPtr<nt::HANDLE> handle, nt::ACCESS_MASK access,
                      UserPtr<nt::OBJECT_ATTRIBUTES> oa) {
  if (!probe_user(handle.addr(), sizeof(nt::HANDLE), true)) return nt::STATUS_ACCESS_VIOLATION;
  KeyName name;
  if (nt::NTSTATUS s = capture_key_name(oa, name); !nt::nt_success(s)) return s;
  std::shared_ptr<Key> key;
  nt::NTSTATUS s;
  {
    std::lock_guard lock(registry_lock());
    s = open_existing(name, key);
  }
  spdlog::debug("NtOpenKey {} -> {:#x}", printable(name), static_cast<uint32_t>(s));
  if (!nt::nt_success(s)) return s;
  return publish_key_handle(std::move(key), access, name.handle_attributes, handle);
}

}  // namespace

nt::NTSTATUS NtCreateKey(UserPtr<nt::HANDLE> KeyHandle, nt::ACCESS_MASK DesiredAccess,
                         UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes, nt::ULONG TitleIndex,
                         UserPtr<nt::UNICODE_STRING> Class, nt::ULONG CreateOptions,
                         UserPtr<nt::ULONG> Disposition) {
  if (!probe_user(KeyHandle.addr(), sizeof(nt::HANDLE), true)) return nt::STATUS_ACCESS_VIOLATION;
  constexpr nt::ULONG kValidOptions = REG_OPTION_VOLATILE | REG_OPTION_CREATE_LINK |
                                      REG_OPTION_BACKUP_RESTORE | REG_OPTION_OPEN_LINK;
  if (CreateOptions & ~kValidOptions) return nt::STATUS_INVALID_PARAMETER;
  // Symbolic links between keys (CurrentControlSet -> ControlSet001 on Windows) do not exist
  // here: the default tree has plain keys where Windows has links.
  if (CreateOptions & REG_OPTION_CREATE_LINK) return nt::STATUS_NOT_IMPLEMENTED;
  KeyName name;
  if (nt::NTSTATUS s = capture_key_name(ObjectAttributes, name); !nt::nt_success(s)) return s;
  std::u16string class_name;
  if (!Class.null()) {
    if (nt::NTSTATUS s = read_user_unicode_string(Class, class_name); !nt::nt_success(s)) return s;
  }

  std::shared_ptr<Key> key;
  nt::ULONG disposition = REG_OPENED_EXISTING_KEY;
  nt::NTSTATUS s = nt::STATUS_SUCCESS;
  {
    std::lock_guard lock(registry_lock());
    if (name.components.empty()) {
      s = open_existing(name, key);
    } else {
      std::vector<std::u16string> parent_path(name.components.begin(), name.components.end() - 1);
      Key& start = name.root ? *name.root : registry_root();
      std::shared_ptr<Key> parent_ref =
          parent_path.empty() ? name.root : find_key(start, parent_path);
      Key* parent = parent_path.empty() ? &start : parent_ref.get();
      if (start.deleted) {
        s = STATUS_KEY_DELETED;
      } else if (!parent) {
        s = nt::STATUS_OBJECT_NAME_NOT_FOUND;
      } else if (auto it = parent->subkeys.find(upcase(name.components.back()));
                 it != parent->subkeys.end()) {
        key = it->second;
      } else if (parent == &registry_root() || !parent->parent) {
        s = nt::STATUS_ACCESS_DENIED;  // only the hives live directly under \Registry
      } else if (parent->is_volatile && !(CreateOptions & REG_OPTION_VOLATILE)) {
        s = STATUS_CHILD_MUST_BE_VOLATILE;
      } else {
        key = std::make_shared<Key>();
        key->name = name.components.back();
        key->parent = parent;
        key->is_volatile = CreateOptions & REG_OPTION_VOLATILE;
        key->class_name = class_name;
        key->last_write = now_nt_time();
        parent->subkeys[upcase(key->name)] = key;
        parent->last_write = key->last_write;
        disposition = REG_CREATED_NEW_KEY;
        if (!key->is_volatile) save_registry();
      }
    }
  }
  spdlog::debug("NtCreateKey {} -> {:#x} ({})", printable(name), static_cast<uint32_t>(s),
                disposition == REG_CREATED_NEW_KEY ? "created" : "opened");
  if (!nt::nt_success(s)) return s;
  if (nt::NTSTATUS ps = publish_key_handle(key, DesiredAccess, name.handle_attributes, KeyHandle);
      !nt::nt_success(ps))
    return ps;
  // Windows writes the disposition last and ignores a failure to.
  if (!Disposition.null()) Disposition.write(disposition);
  return nt::STATUS_SUCCESS;
}

nt::NTSTATUS NtOpenKey(UserPtr<nt::HANDLE> KeyHandle, nt::ACCESS_MASK DesiredAccess,
                       UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes) {
  return open_key(KeyHandle, DesiredAccess, ObjectAttributes);
}

nt::NTSTATUS NtOpenKeyEx(UserPtr<nt::HANDLE> KeyHandle, nt::ACCESS_MASK DesiredAccess,
                         UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes, nt::ULONG OpenOptions) {
  // REG_OPTION_OPEN_LINK and REG_OPTION_BACKUP_RESTORE change nothing without links and security.
  constexpr nt::ULONG kValidOptions = REG_OPTION_BACKUP_RESTORE | REG_OPTION_OPEN_LINK;
  if (OpenOptions & ~kValidOptions) return nt::STATUS_INVALID_PARAMETER;
  return open_key(KeyHandle, DesiredAccess, ObjectAttributes);
}

}  // namespace ireactor
