#include "function_tables.h"

#include <map>
#include <mutex>
#include <shared_mutex>

#include "ireactor/user_memory.h"

namespace ireactor::loader {

namespace {

struct Registry {
  std::shared_mutex mutex;
  std::map<uint64_t, FunctionTable> by_base;
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

void register_function_table(const FunctionTable& table) {
  Registry& r = registry();
  std::unique_lock lock(r.mutex);
  r.by_base[table.image_base] = table;
}

void unregister_function_table(uint64_t image_base) {
  Registry& r = registry();
  std::unique_lock lock(r.mutex);
  r.by_base.erase(image_base);
}

std::optional<FunctionTable> function_table_for(uint64_t pc) {
  Registry& r = registry();
  std::shared_lock lock(r.mutex);
  auto it = r.by_base.upper_bound(pc);
  if (it == r.by_base.begin()) return std::nullopt;
  --it;
  const FunctionTable& t = it->second;
  if (pc - t.image_base >= t.image_size) return std::nullopt;
  return t;
}

std::optional<FunctionEntry> lookup_function_entry(uint64_t pc) {
  std::optional<FunctionTable> t = function_table_for(pc);
  if (!t || t->count == 0) return std::nullopt;
  const uint64_t rva = pc - t->image_base;
  UserPtr<win::RUNTIME_FUNCTION> entries(t->functions);
  uint32_t lo = 0, hi = t->count;  // binary search over [lo, hi)
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    win::RUNTIME_FUNCTION f;
    if (!entries.at(mid).read(f)) return std::nullopt;
    if (rva < f.BeginAddress) {
      hi = mid;
    } else if (rva >= f.EndAddress) {
      lo = mid + 1;
    } else {
      return FunctionEntry{t->image_base, f};
    }
  }
  return std::nullopt;
}

std::vector<FunctionTable> registered_function_tables() {
  Registry& r = registry();
  std::shared_lock lock(r.mutex);
  std::vector<FunctionTable> out;
  for (const auto& [base, t] : r.by_base) out.push_back(t);
  return out;
}

}  // namespace ireactor::loader
