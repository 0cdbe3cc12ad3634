// NtQueryValueKey, NtEnumerateValueKey, NtSetValueKey and NtDeleteValueKey.
#include <spdlog/spdlog.h>

#include "io/name_rules.h"
#include "ireactor/services/registry_services.h"
#include "registry/info_output.h"
#include "registry/registry_key.h"

namespace ireactor {

using namespace registry;

namespace {

enum : nt::ULONG {
  KeyValueBasicInformation = 0,
  KeyValueFullInformation = 1,
  KeyValuePartialInformation = 2,
  KeyValueFullInformationAlign64 = 3,
  KeyValuePartialInformationAlign64 = 4,
};

constexpr size_t kMaxValueNameChars = 16383;

bool value_info(const Value& v, nt::ULONG info_class, InfoRecord& r) {
  const auto name_bytes = static_cast<nt::ULONG>(v.name.size() * 2);
  const auto data_bytes = static_cast<nt::ULONG>(v.data.size());
  switch (info_class) {
    case KeyValueBasicInformation:
      r = InfoRecord(12);
      r.put<nt::ULONG>(4, v.type);
      r.put<nt::ULONG>(8, name_bytes);
      r.append(v.name);
      return true;
    case KeyValueFullInformation:
    case KeyValueFullInformationAlign64: {
      r = InfoRecord(20);
      r.put<nt::ULONG>(4, v.type);
      r.put<nt::ULONG>(12, data_bytes);
      r.put<nt::ULONG>(16, name_bytes);
      r.append(v.name);
      // The data follows the name, aligned as the class says.
      r.align(info_class == KeyValueFullInformationAlign64 ? 8 : 4);
      r.put<nt::ULONG>(8, static_cast<nt::ULONG>(r.bytes.size()));
      r.append(v.data.data(), v.data.size());
      return true;
    }
    case KeyValuePartialInformation:
      r = InfoRecord(12);
      r.put<nt::ULONG>(4, v.type);
      r.put<nt::ULONG>(8, data_bytes);
      r.append(v.data.data(), v.data.size());
      return true;
    case KeyValuePartialInformationAlign64:
      r = InfoRecord(8);
      r.put<nt::ULONG>(0, v.type);
      r.put<nt::ULONG>(4, data_bytes);
      r.append(v.data.data(), v.data.size());
      return true;
    default:
      return false;
  }
}

// A value name: NULL or empty names the key's default value.
nt::NTSTATUS capture_value_name(UserPtr<nt::UNICODE_STRING> p, std::u16string& out) {
  out.clear();
  if (p.null()) return nt::STATUS_SUCCESS;
  if (nt::NTSTATUS s = read_user_unicode_string(p, out); !nt::nt_success(s)) return s;
  return out.size() > kMaxValueNameChars ? nt::STATUS_INVALID_PARAMETER : nt::STATUS_SUCCESS;
}

void changed(Key& k) {
  k.last_write = now_nt_time();
  if (!k.is_volatile) save_registry();
}

}  // namespace

nt::NTSTATUS NtQueryValueKey(nt::HANDLE KeyHandle, UserPtr<nt::UNICODE_STRING> ValueName,
                             nt::ULONG KeyValueInformationClass, UserPtr<void> KeyValueInformation,
                             nt::ULONG Length, UserPtr<nt::ULONG> ResultLength) {
  std::shared_ptr<Key> key;
  if (nt::NTSTATUS s = reference_key(KeyHandle, KEY_QUERY_VALUE, key); !nt::nt_success(s)) return s;
  std::u16string name;
  if (nt::NTSTATUS s = capture_value_name(ValueName, name); !nt::nt_success(s)) return s;
  InfoRecord r(0);
  {
    std::lock_guard lock(registry_lock());
    if (key->deleted) return STATUS_KEY_DELETED;
    const Value* v = key->find_value(name);
    if (!v) {
      // What programs look for and do not find is what the default tree may lack.
      std::string where;
      io::utf8_from_utf16(key->full_path() + u"\\" + name, where);
      spdlog::debug("NtQueryValueKey {}: not found", where);
      return nt::STATUS_OBJECT_NAME_NOT_FOUND;
    }
    if (!value_info(*v, KeyValueInformationClass, r)) return nt::STATUS_INVALID_PARAMETER;
  }
  return return_info(r, KeyValueInformation, Length, ResultLength);
}

nt::NTSTATUS NtEnumerateValueKey(nt::HANDLE KeyHandle, nt::ULONG Index,
                                 nt::ULONG KeyValueInformationClass,
                                 UserPtr<void> KeyValueInformation, nt::ULONG Length,
                                 UserPtr<nt::ULONG> ResultLength) {
  std::shared_ptr<Key> key;
  if (nt::NTSTATUS s = reference_key(KeyHandle, KEY_QUERY_VALUE, key); !nt::nt_success(s)) return s;
  InfoRecord r(0);
  {
    std::lock_guard lock(registry_lock());
    if (key->deleted) return STATUS_KEY_DELETED;
    if (Index >= key->values.size()) return STATUS_NO_MORE_ENTRIES;
    if (!value_info(key->values[Index], KeyValueInformationClass, r))
      return nt::STATUS_INVALID_PARAMETER;
  }
  return return_info(r, KeyValueInformation, Length, ResultLength);
}

nt::NTSTATUS NtSetValueKey(nt::HANDLE KeyHandle, UserPtr<nt::UNICODE_STRING> ValueName,
                           nt::ULONG TitleIndex, nt::ULONG Type, UserPtr<void> Data,
                           nt::ULONG DataSize) {
  std::shared_ptr<Key> key;
  if (nt::NTSTATUS s = reference_key(KeyHandle, KEY_SET_VALUE, key); !nt::nt_success(s)) return s;
  std::u16string name;
  if (nt::NTSTATUS s = capture_value_name(ValueName, name); !nt::nt_success(s)) return s;
  std::vector<uint8_t> data(DataSize);
  if (!copy_from_user(data.data(), Data.addr(), DataSize)) return nt::STATUS_ACCESS_VIOLATION;
  std::lock_guard lock(registry_lock());
  if (key->deleted) return STATUS_KEY_DELETED;
  if (Value* v = key->find_value(name)) {
    v->type = Type;
    v->data = std::move(data);
  } else {
    key->values.push_back(Value{std::move(name), Type, std::move(data)});
  }
  changed(*key);
  return nt::STATUS_SUCCESS;
}

nt::NTSTATUS NtDeleteValueKey(nt::HANDLE KeyHandle, UserPtr<nt::UNICODE_STRING> ValueName) {
  std::shared_ptr<Key> key;
  if (nt::NTSTATUS s = reference_key(KeyHandle, KEY_SET_VALUE, key); !nt::nt_success(s)) return s;
  std::u16string name;
  if (nt::NTSTATUS s = capture_value_name(ValueName, name); !nt::nt_success(s)) return s;
  std::lock_guard lock(registry_lock());
  if (key->deleted) return STATUS_KEY_DELETED;
  Value* v = key->find_value(name);
  if (!v) return nt::STATUS_OBJECT_NAME_NOT_FOUND;
  key->values.erase(key->values.begin() + (v - key->values.data()));
  changed(*key);
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
