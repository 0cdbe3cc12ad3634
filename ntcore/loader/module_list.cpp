#include "module_list.h"

#include <algorithm>
#include <functional>
#include <set>

#include "win_string.h"

namespace ireactor::loader {

std::string normalize_dll_name(std::string_view name) {
  std::string n(name);
  const size_t slash = n.find_last_of("\\/");
  if (slash != std::string::npos) n.erase(0, slash + 1);
  if (n.find('.') == std::string::npos) n += ".dll";
  return n;
}

LoadedModule* ModuleList::find(std::string_view name) const {
  const std::string want = normalize_dll_name(name);
  std::lock_guard lock(mutex_);
  for (const auto& m : modules_)
    if (iequals_ascii(m->name, want)) return m.get();
  return nullptr;
}

LoadedModule* ModuleList::find_by_address(uint64_t addr) const {
  std::lock_guard lock(mutex_);
  for (const auto& m : modules_)
    if (m->contains(addr)) return m.get();
  return nullptr;
}

LoadedModule* ModuleList::main_module() const {
  std::lock_guard lock(mutex_);
  for (const auto& m : modules_)
    if (!m->is_dll) return m.get();
  return nullptr;
}

LoadedModule& ModuleList::add(std::unique_ptr<LoadedModule> m) {
  std::lock_guard lock(mutex_);
  modules_.push_back(std::move(m));
  return *modules_.back();
}

std::unique_ptr<LoadedModule> ModuleList::remove(LoadedModule* m) {
  std::lock_guard lock(mutex_);
  for (auto it = modules_.begin(); it != modules_.end(); ++it) {
    if (it->get() != m) continue;
    std::unique_ptr<LoadedModule> out = std::move(*it);
    modules_.erase(it);
    for (auto& other : modules_) std::erase(other->imports, m);
    return out;
  }
  return nullptr;
}

std::vector<LoadedModule*> ModuleList::in_load_order() const {
  std::lock_guard lock(mutex_);
  std::vector<LoadedModule*> out;
  for (const auto& m : modules_) out.push_back(m.get());
  return out;
}

std::vector<LoadedModule*> ModuleList::in_initialization_order() const {
  std::lock_guard lock(mutex_);
  std::vector<LoadedModule*> out;
  std::set<const LoadedModule*> seen;
  // Depth-first post-order over imports; a cycle is cut where it closes, as Windows does.
  std::function<void(LoadedModule*)> visit = [&](LoadedModule* m) {
    if (!seen.insert(m).second) return;
    for (LoadedModule* dep : m->imports) visit(dep);
    out.push_back(m);
  };
  for (const auto& m : modules_)
    if (m->is_dll) visit(m.get());
  for (const auto& m : modules_)
    if (!m->is_dll) visit(m.get());
  return out;
}

size_t ModuleList::size() const {
  std::lock_guard lock(mutex_);
  return modules_.size();
}

ModuleList& loaded_modules() {
  static ModuleList list;
  return list;
}

}  // namespace ireactor::loader
