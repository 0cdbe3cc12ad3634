// The process's key tree: lookup, names and the one-time load of the registry.
#include <spdlog/spdlog.h>

#include "io/name_rules.h"
#include "ireactor/process.h"
#include "ireactor/system/nt_time.h"
#include "registry/registry_defaults.h"
#include "registry/registry_key.h"
#include "registry/registry_store.h"

namespace ireactor::registry {

namespace {

struct Registry {
  std::mutex mutex;
  std::shared_ptr<Key> root;
  std::string file;
};

std::shared_ptr<Key> add_root_child(Key& parent, const char16_t* name) {
  auto k = std::make_shared<Key>();
  k->name = name;
  k->parent = &parent;
  k->last_write = now_nt_time();
  parent.subkeys[upcase(name)] = k;
  return k;
}

Registry& registry() {
  static Registry r;
  static std::once_flag once;
  std::call_once(once, [] {
    r.root = std::make_shared<Key>();
    r.root->name = u"Registry";
    r.root->last_write = now_nt_time();
    add_root_child(*r.root, u"Machine");
    add_root_child(*r.root, u"User");
    r.file = registry_file_path();
    if (!r.file.empty()) load_registry_file(*r.root, r.file);
    add_default_contents(*r.root, current_process().ns);
    spdlog::debug("registry: {}", r.file.empty() ? "not persisted" : r.file);
  });
  return r;
}

}  // namespace

std::u16string upcase(std::u16string_view s) {
  std::u16string u(s);
  for (char16_t& c : u) c = io::upcase(c);
  return u;
}

int64_t now_nt_time() {
  return current_system_time();
}

Value* Key::find_value(std::u16string_view name) {
  for (Value& v : values)
    if (io::equal_nocase(v.name, name)) return &v;
  return nullptr;
}

std::u16string Key::full_path() const {
  if (!parent) return u"\\" + name;
  return parent->full_path() + u"\\" + name;
}

std::mutex& registry_lock() {
  return registry().mutex;
}

Key& registry_root() {
  return *registry().root;
}

std::shared_ptr<Key> registry_root_key() {
  return registry().root;
}

std::shared_ptr<Key> find_key(Key& from, const std::vector<std::u16string>& components) {
  Key* k = &from;
  std::shared_ptr<Key> found;
  for (const std::u16string& c : components) {
    auto it = k->subkeys.find(upcase(c));
    if (it == k->subkeys.end()) return nullptr;
    found = it->second;
    k = found.get();
  }
  return found;
}

nt::NTSTATUS save_registry() {
  Registry& r = registry();
  if (r.file.empty()) return nt::STATUS_SUCCESS;
  if (!save_registry_file(*r.root, r.file)) {
    spdlog::warn("registry: cannot write {}", r.file);
    return nt::STATUS_UNSUCCESSFUL;
  }
  return nt::STATUS_SUCCESS;
}

nt::NTSTATUS reference_key(nt::HANDLE handle, nt::ACCESS_MASK access, std::shared_ptr<Key>& out) {
  std::shared_ptr<KeyObject> obj;
  if (nt::NTSTATUS s = current_process().handles.reference(handle, access, obj); !nt::nt_success(s))
    return s;
  out = obj->key;
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor::registry
