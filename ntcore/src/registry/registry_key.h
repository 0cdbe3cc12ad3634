// The registry's key tree: keys with their values, the key objects handles refer to, and the
// constants of the registry services. One tree per process, shared by all its threads and guarded
// by one mutex (registry_lock()); every function here expects it held unless it says otherwise.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ireactor/nt/status.h"
#include "ireactor/object.h"

namespace ireactor::registry {

// Statuses the shared status list lacks.
inline constexpr nt::NTSTATUS STATUS_NO_MORE_ENTRIES = static_cast<nt::NTSTATUS>(0x8000001A);
inline constexpr nt::NTSTATUS STATUS_KEY_DELETED = static_cast<nt::NTSTATUS>(0xC000017C);
inline constexpr nt::NTSTATUS STATUS_CHILD_MUST_BE_VOLATILE = static_cast<nt::NTSTATUS>(0xC0000181);

// Key access rights.
inline constexpr nt::ACCESS_MASK KEY_QUERY_VALUE = 0x0001;
inline constexpr nt::ACCESS_MASK KEY_SET_VALUE = 0x0002;
inline constexpr nt::ACCESS_MASK KEY_CREATE_SUB_KEY = 0x0004;
inline constexpr nt::ACCESS_MASK KEY_ENUMERATE_SUB_KEYS = 0x0008;
inline constexpr nt::ACCESS_MASK KEY_NOTIFY = 0x0010;
inline constexpr nt::ACCESS_MASK KEY_CREATE_LINK = 0x0020;
inline constexpr nt::ACCESS_MASK KEY_WOW64_MASK = 0x0300;  // view selectors, not rights
inline constexpr nt::ACCESS_MASK KEY_READ = 0x00020019;
inline constexpr nt::ACCESS_MASK KEY_WRITE = 0x00020006;
inline constexpr nt::ACCESS_MASK KEY_ALL_ACCESS = 0x000F003F;

// CreateOptions of NtCreateKey and the dispositions it reports.
inline constexpr nt::ULONG REG_OPTION_VOLATILE = 0x1;
inline constexpr nt::ULONG REG_OPTION_CREATE_LINK = 0x2;
inline constexpr nt::ULONG REG_OPTION_BACKUP_RESTORE = 0x4;
inline constexpr nt::ULONG REG_OPTION_OPEN_LINK = 0x8;
inline constexpr nt::ULONG REG_CREATED_NEW_KEY = 1;
inline constexpr nt::ULONG REG_OPENED_EXISTING_KEY = 2;

// Value types used by the default contents.
inline constexpr nt::ULONG REG_SZ = 1;
inline constexpr nt::ULONG REG_EXPAND_SZ = 2;
inline constexpr nt::ULONG REG_DWORD = 4;

// The access a new key handle gets (the key type's GENERIC_MAPPING). Keys have no security
// descriptors yet, so whatever is asked for is granted; MAXIMUM_ALLOWED grants everything.
constexpr nt::ACCESS_MASK granted_key_access(nt::ACCESS_MASK desired) {
  nt::ACCESS_MASK a = desired & (KEY_ALL_ACCESS | nt::SYNCHRONIZE);
  if (desired & nt::GENERIC_READ) a |= KEY_READ;
  if (desired & nt::GENERIC_WRITE) a |= KEY_WRITE;
  if (desired & nt::GENERIC_EXECUTE) a |= KEY_READ;
  if (desired & (nt::GENERIC_ALL | nt::MAXIMUM_ALLOWED)) a |= KEY_ALL_ACCESS;
  return a;
}

struct Value {
  std::u16string name;  // as set; looked up case-insensitively
  nt::ULONG type = 0;
  std::vector<uint8_t> data;
};

struct Key {
  std::u16string name;  // the last path component, as created
  Key* parent = nullptr;
  bool is_volatile = false;
  bool deleted = false;
  int64_t last_write = 0;  // NT time
  std::u16string class_name;
  // Subkeys by upcased name: enumeration order is Windows' (sorted case-insensitively).
  std::map<std::u16string, std::shared_ptr<Key>> subkeys;
  std::vector<Value> values;  // in the order they were first set, as Windows enumerates them

  Value* find_value(std::u16string_view name);
  std::u16string full_path() const;  // "\Registry\Machine\..."
};

// The object a key handle refers to.
class KeyObject final : public Object {
 public:
  static constexpr ObjectType kType = ObjectType::Key;
  explicit KeyObject(std::shared_ptr<Key> key) : Object(ObjectType::Key), key(std::move(key)) {}
  std::shared_ptr<Key> key;
};

std::u16string upcase(std::u16string_view s);
int64_t now_nt_time();

// The process's registry, loaded (and its default contents made) on first use.
std::mutex& registry_lock();
Key& registry_root();  // \Registry
std::shared_ptr<Key> registry_root_key();

// The key named by the path components below `from`; nullptr when one is missing.
std::shared_ptr<Key> find_key(Key& from, const std::vector<std::u16string>& components);
// Writes the non-volatile part of the tree to the namespace's registry file (when it has one).
// Called after every change to a non-volatile key, and by NtFlushKey.
nt::NTSTATUS save_registry();

// Looks up the handle's key with `access` (no lock needed). Callers check Key::deleted (with
// the lock held) and answer STATUS_KEY_DELETED.
nt::NTSTATUS reference_key(nt::HANDLE handle, nt::ACCESS_MASK access, std::shared_ptr<Key>& out);

}  // namespace ireactor::registry
