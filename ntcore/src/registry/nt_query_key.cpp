// NtQueryKey and NtEnumerateKey: the KEY_*_INFORMATION records.
#include <algorithm>

#include "ireactor/services/registry_services.h"
#include "registry/info_output.h"
#include "registry/registry_key.h"

namespace ireactor {

using namespace registry;

namespace {

enum : nt::ULONG {
  KeyBasicInformation = 0,
  KeyNodeInformation = 1,
  KeyFullInformation = 2,
  KeyNameInformation = 3,
  KeyCachedInformation = 4,
};

constexpr nt::ULONG kNoClass = 0xFFFFFFFF;  // ClassOffset when the key has no class

nt::ULONG bytes(const std::u16string& s) {
  return static_cast<nt::ULONG>(s.size() * 2);
}

struct Counts {
  nt::ULONG subkeys = 0, max_name = 0, max_class = 0, values = 0, max_value_name = 0,
            max_value_data = 0;
};

Counts count(const Key& k) {
  Counts c;
  c.subkeys = static_cast<nt::ULONG>(k.subkeys.size());
  for (const auto& [_, sub] : k.subkeys) {
    c.max_name = std::max(c.max_name, bytes(sub->name));
    c.max_class = std::max(c.max_class, bytes(sub->class_name));
  }
  c.values = static_cast<nt::ULONG>(k.values.size());
  for (const Value& v : k.values) {
    c.max_value_name = std::max(c.max_value_name, bytes(v.name));
    c.max_value_data = std::max(c.max_value_data, static_cast<nt::ULONG>(v.data.size()));
  }
  return c;
}

// The record of `info_class` for `k`, or false for a class the key services do not know.
bool key_info(const Key& k, nt::ULONG info_class, InfoRecord& r) {
  switch (info_class) {
    case KeyBasicInformation:
      r = InfoRecord(16);
      r.put<int64_t>(0, k.last_write);
      r.put<nt::ULONG>(12, bytes(k.name));
      r.append(k.name);
      return true;
    case KeyNodeInformation:
      r = InfoRecord(24);
      r.put<int64_t>(0, k.last_write);
      r.put<nt::ULONG>(20, bytes(k.name));
      r.append(k.name);
      r.put<nt::ULONG>(12,
                       k.class_name.empty() ? kNoClass : static_cast<nt::ULONG>(r.bytes.size()));
      r.put<nt::ULONG>(16, bytes(k.class_name));
      r.append(k.class_name);
      return true;
    case KeyFullInformation: {
      r = InfoRecord(44);
      const Counts c = count(k);
      r.put<int64_t>(0, k.last_write);
      r.put<nt::ULONG>(12, k.class_name.empty() ? kNoClass : 44);
      r.put<nt::ULONG>(16, bytes(k.class_name));
      r.put<nt::ULONG>(20, c.subkeys);
      r.put<nt::ULONG>(24, c.max_name);
      r.put<nt::ULONG>(28, c.max_class);
      r.put<nt::ULONG>(32, c.values);
      r.put<nt::ULONG>(36, c.max_value_name);
      r.put<nt::ULONG>(40, c.max_value_data);
      r.append(k.class_name);
      return true;
    }
    case KeyNameInformation: {
      r = InfoRecord(4);
      const std::u16string path = k.full_path();
      r.put<nt::ULONG>(0, bytes(path));
      r.append(path);
      return true;
    }
    case KeyCachedInformation: {
      r = InfoRecord(40);
      const Counts c = count(k);
      r.put<int64_t>(0, k.last_write);
      r.put<nt::ULONG>(12, c.subkeys);
      r.put<nt::ULONG>(16, c.max_name);
      r.put<nt::ULONG>(20, c.values);
      r.put<nt::ULONG>(24, c.max_value_name);
      r.put<nt::ULONG>(28, c.max_value_data);
      r.put<nt::ULONG>(32, bytes(k.name));
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

nt::NTSTATUS NtQueryKey(nt::HANDLE KeyHandle, nt::ULONG KeyInformationClass,
                        UserPtr<void> KeyInformation, nt::ULONG Length,
                        UserPtr<nt::ULONG> ResultLength) {
  // Windows wants KEY_QUERY_VALUE for every class but the key's name (Wine checks no right).
  const nt::ACCESS_MASK needed = KeyInformationClass == KeyNameInformation ? 0 : KEY_QUERY_VALUE;
  std::shared_ptr<Key> key;
  if (nt::NTSTATUS s = reference_key(KeyHandle, needed, key); !nt::nt_success(s)) return s;
  InfoRecord r(0);
  {
    std::lock_guard lock(registry_lock());
    if (key->deleted) return STATUS_KEY_DELETED;
    if (!key_info(*key, KeyInformationClass, r)) return nt::STATUS_INVALID_PARAMETER;
  }
  return return_info(r, KeyInformation, Length, ResultLength);
}

nt::NTSTATUS NtEnumerateKey(nt::HANDLE KeyHandle, nt::ULONG Index, nt::ULONG KeyInformationClass,
                            UserPtr<void> KeyInformation, nt::ULONG Length,
                            UserPtr<nt::ULONG> ResultLength) {
  std::shared_ptr<Key> key;
  if (nt::NTSTATUS s = reference_key(KeyHandle, KEY_ENUMERATE_SUB_KEYS, key); !nt::nt_success(s))
    return s;
  if (KeyInformationClass != KeyBasicInformation && KeyInformationClass != KeyNodeInformation &&
      KeyInformationClass != KeyFullInformation)
    return nt::STATUS_INVALID_PARAMETER;
  InfoRecord r(0);
  {
    std::lock_guard lock(registry_lock());
    if (key->deleted) return STATUS_KEY_DELETED;
    if (Index >= key->subkeys.size()) return STATUS_NO_MORE_ENTRIES;
    auto it = key->subkeys.begin();
    std::advance(it, Index);
    key_info(*it->second, KeyInformationClass, r);
  }
  return return_info(r, KeyInformation, Length, ResultLength);
}

}  // namespace ireactor
