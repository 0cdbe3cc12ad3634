// NtDeleteKey, NtRenameKey, NtFlushKey and NtSetInformationKey.
#include "io/name_rules.h"
#include "ireactor/services/registry_services.h"
#include "registry/registry_key.h"

namespace ireactor {

using namespace registry;

namespace {

constexpr nt::ULONG KeyWriteTimeInformation = 0;

void save_if_persistent(const Key& k) {
  if (!k.is_volatile) save_registry();
}

}  // namespace

nt::NTSTATUS NtDeleteKey(nt::HANDLE KeyHandle) {
  std::shared_ptr<Key> key;
  if (nt::NTSTATUS s = reference_key(KeyHandle, nt::DELETE, key); !nt::nt_success(s)) return s;
  std::lock_guard lock(registry_lock());
  if (key->deleted) return STATUS_KEY_DELETED;
  if (!key->subkeys.empty()) return nt::STATUS_CANNOT_DELETE;
  // The hives and \Registry itself stay.
  if (!key->parent || !key->parent->parent) return nt::STATUS_ACCESS_DENIED;
  Key& parent = *key->parent;
  parent.subkeys.erase(upcase(key->name));
  parent.last_write = now_nt_time();
  key->deleted = true;
  key->parent = nullptr;  // open handles may outlive the parent
  save_if_persistent(parent);
  return nt::STATUS_SUCCESS;
}

nt::NTSTATUS NtRenameKey(nt::HANDLE KeyHandle, UserPtr<nt::UNICODE_STRING> NewName) {
  std::shared_ptr<Key> key;
  if (nt::NTSTATUS s = reference_key(KeyHandle, KEY_WRITE & ~nt::READ_CONTROL, key);
      !nt::nt_success(s))
    return s;
  std::u16string name;
  if (nt::NTSTATUS s = read_user_unicode_string(NewName, name); !nt::nt_success(s)) return s;
  if (name.empty() || name.size() > 255 || name.find(u'\\') != std::u16string::npos)
    return nt::STATUS_INVALID_PARAMETER;
  std::lock_guard lock(registry_lock());
  if (key->deleted) return STATUS_KEY_DELETED;
  if (!key->parent || !key->parent->parent) return nt::STATUS_ACCESS_DENIED;
  Key& parent = *key->parent;
  const std::u16string old_slot = upcase(key->name), new_slot = upcase(name);
  if (new_slot != old_slot && parent.subkeys.count(new_slot)) return nt::STATUS_CANNOT_DELETE;
  auto node = parent.subkeys.extract(old_slot);
  node.key() = new_slot;
  parent.subkeys.insert(std::move(node));
  key->name = name;
  key->last_write = now_nt_time();
  save_if_persistent(*key);
  return nt::STATUS_SUCCESS;
}

nt::NTSTATUS NtFlushKey(nt::HANDLE KeyHandle) {
  std::shared_ptr<Key> key;
  if (nt::NTSTATUS s = reference_key(KeyHandle, 0, key); !nt::nt_success(s)) return s;
  std::lock_guard lock(registry_lock());
  if (key->deleted) return STATUS_KEY_DELETED;
  // Every change is already written through; flushing writes the file again all the same.
  return save_registry();
}

nt::NTSTATUS NtSetInformationKey(nt::HANDLE KeyHandle, nt::ULONG KeySetInformationClass,
                                 UserPtr<void> KeySetInformation,
                                 nt::ULONG KeySetInformationLength) {
  std::shared_ptr<Key> key;
  if (nt::NTSTATUS s = reference_key(KeyHandle, KEY_SET_VALUE, key); !nt::nt_success(s)) return s;
  if (KeySetInformationClass != KeyWriteTimeInformation) return nt::STATUS_INVALID_INFO_CLASS;
  if (KeySetInformationLength != sizeof(int64_t)) return nt::STATUS_INFO_LENGTH_MISMATCH;
  int64_t time = 0;
  if (!KeySetInformation.as<int64_t>().read(time)) return nt::STATUS_ACCESS_VIOLATION;
  std::lock_guard lock(registry_lock());
  if (key->deleted) return STATUS_KEY_DELETED;
  key->last_write = time;
  save_if_persistent(*key);
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
