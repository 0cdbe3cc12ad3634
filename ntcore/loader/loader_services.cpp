// The loader's private services (services/loader_services.h): LdrLoadDll / LdrUnloadDll /
// LdrAddRefDll of our ntdll reach the PE loader here. Windows code never runs in these; ntdll
// asks for the entry points owed an attach or detach and calls them on the calling thread.
#include "ireactor/services/loader_services.h"

#include <algorithm>
#include <mutex>
#include <vector>

#include "ireactor/process.h"
#include "ireactor/win/pe_format.h"
#include "ireactor/win/teb.h"
#include "pe_loader.h"
#include "peb_builder.h"
#include "tls_setup.h"
#include "win_string.h"

namespace ireactor {

using namespace loader;

namespace {

constexpr size_t kMaxSearchPath = 32767;  // characters, as a UNICODE_STRING could hold

std::mutex g_queue_mutex;
std::vector<LoadedModule*> g_detach_queue;  // owed DLL_PROCESS_DETACH, in that order
std::vector<LoadedModule*> g_unmap_queue;   // detached, unmapped once the queue is empty

nt::NTSTATUS read_search_path(UserPtr<char16_t> p, std::vector<SearchDir>& dirs,
                              const PeLoader& loader) {
  std::u16string path;
  for (size_t i = 0;; ++i) {
    if (i >= kMaxSearchPath) return nt::STATUS_NAME_TOO_LONG;
    char16_t c;
    if (!p.at(i).read(c)) return nt::STATUS_ACCESS_VIOLATION;
    if (c == 0) break;
    path += c;
  }
  // ';'-separated DOS directories; those outside the namespace's drives are skipped.
  for (size_t i = 0; i <= path.size();) {
    size_t j = path.find(u';', i);
    if (j == std::u16string::npos) j = path.size();
    std::u16string dir = path.substr(i, j - i);
    i = j + 1;
    if (dir.empty()) continue;
    if (dir.back() != u'\\') dir += u'\\';
    if (std::optional<std::string> host = loader.host_path_of(dir + u"x"))
      dirs.push_back(SearchDir{host->substr(0, host->size() - 2), dir});
  }
  return nt::STATUS_SUCCESS;
}

LoadedModule* module_at(uint64_t base) {
  for (LoadedModule* m : loaded_modules().in_load_order())
    if (m->base() == base) return m;
  return nullptr;
}

// One reference less; at none the module is queued with the imports it held.
void release(LoadedModule* m) {
  if (m->pinned || m->load_count == 0) return;
  if (--m->load_count > 0) {
    update_ldr_entry_count(*m);
    return;
  }
  g_detach_queue.push_back(m);
  for (LoadedModule* dep : m->imports) release(dep);
}

}  // namespace

nt::NTSTATUS IrLdrLoadDll(UserPtr<char16_t> SearchPath, nt::ULONG Flags,
                          UserPtr<nt::UNICODE_STRING> Name, UserPtr<uint64_t> BaseAddress) {
  PeLoader* loader = process_loader();
  if (!loader) return nt::STATUS_NOT_SUPPORTED;
  std::u16string name;
  if (nt::NTSTATUS s = read_user_unicode_string(Name, name); !nt::nt_success(s)) return s;
  if (name.empty()) return nt::STATUS_INVALID_PARAMETER;
  std::vector<SearchDir> dirs;
  if (SearchPath)
    if (nt::NTSTATUS s = read_search_path(SearchPath, dirs, *loader); !nt::nt_success(s)) return s;
  const bool find_only = Flags & kIrLdrFindOnly;
  if (!find_only && !BaseAddress) return nt::STATUS_INVALID_PARAMETER;

  std::lock_guard lock(loaded_modules().load_lock());
  const std::vector<LoadedModule*> before = loaded_modules().in_load_order();
  LoadedModule* m = nullptr;
  LoadStatus st = loader->load_dynamic(name, SearchPath ? &dirs : nullptr, find_only, m);
  if (!st.ok()) return st.status;
  if (find_only) {
    // The base of a module already loaded under that name; 0 when it would have to be loaded.
    if (BaseAddress && !BaseAddress.write(m ? m->base() : 0)) return nt::STATUS_ACCESS_VIOLATION;
    return nt::STATUS_SUCCESS;
  }
  std::vector<LoadedModule*> added;
  for (LoadedModule* n : loaded_modules().in_load_order()) {
    if (std::find(before.begin(), before.end(), n) != before.end()) {
      update_ldr_entry_count(*n);
      continue;
    }
    added.push_back(n);
    if (LoadStatus a = append_ldr_entry(*n); !a.ok()) return a.status;
  }
  // The calling thread's TLS vector gains blocks for the new modules with TLS (the only thread
  // with Windows code that loads today; threads started later get every module's block).
  if (const uint64_t teb = current_thread().teb) {
    const uint64_t slot = teb + offsetof(win::TEB, ThreadLocalStoragePointer);
    uint64_t vector = 0;
    if (!copy_from_user(&vector, slot, sizeof vector)) return nt::STATUS_ACCESS_VIOLATION;
    if (LoadStatus t = extend_thread_tls(loaded_modules(), added, vector); !t.ok()) return t.status;
    copy_to_user(slot, &vector, sizeof vector);
  }
  if (!BaseAddress.write(m->base())) return nt::STATUS_ACCESS_VIOLATION;
  return nt::STATUS_SUCCESS;
}

nt::NTSTATUS IrLdrNextInit(UserPtr<uint64_t> BaseAddress, UserPtr<uint64_t> EntryPoint) {
  std::lock_guard lock(loaded_modules().load_lock());
  for (LoadedModule* m : loaded_modules().in_initialization_order()) {
    if (m->initialized) continue;
    if (!BaseAddress.write(m->base()) || !EntryPoint.write(m->is_dll ? m->entry : 0))
      return nt::STATUS_ACCESS_VIOLATION;
    m->initialized = true;  // before its code runs, so a load from DllMain does not repeat it
    mark_ldr_entry_attached(*m);
    return nt::STATUS_SUCCESS;
  }
  return kStatusNoMoreEntries;
}

nt::NTSTATUS IrLdrUnloadDll(nt::ULONG_PTR BaseAddress) {
  std::lock_guard lock(loaded_modules().load_lock());
  LoadedModule* m = module_at(BaseAddress);
  if (!m) return nt::STATUS_DLL_NOT_FOUND;
  std::lock_guard queue(g_queue_mutex);
  release(m);
  return nt::STATUS_SUCCESS;
}

nt::NTSTATUS IrLdrNextDetach(UserPtr<uint64_t> BaseAddress, UserPtr<uint64_t> EntryPoint) {
  std::lock_guard lock(loaded_modules().load_lock());
  std::lock_guard queue(g_queue_mutex);
  if (!g_detach_queue.empty()) {
    LoadedModule* m = g_detach_queue.front();
    const uint64_t entry = m->is_dll && m->initialized ? m->entry : 0;
    if (!BaseAddress.write(m->base()) || !EntryPoint.write(entry))
      return nt::STATUS_ACCESS_VIOLATION;
    g_detach_queue.erase(g_detach_queue.begin());
    g_unmap_queue.push_back(m);
    return nt::STATUS_SUCCESS;
  }
  for (LoadedModule* m : g_unmap_queue) {
    remove_ldr_entry(*m);
    unload_module(m);
  }
  g_unmap_queue.clear();
  return kStatusNoMoreEntries;
}

nt::NTSTATUS IrLdrAddRefDll(nt::ULONG Flags, nt::ULONG_PTR BaseAddress) {
  constexpr nt::ULONG kPin = 1;  // LDR_ADDREF_DLL_PIN
  if (Flags & ~kPin) return nt::STATUS_INVALID_PARAMETER;
  std::lock_guard lock(loaded_modules().load_lock());
  LoadedModule* m = module_at(BaseAddress);
  if (!m) return nt::STATUS_DLL_NOT_FOUND;
  if (Flags & kPin)
    m->pinned = true;
  else if (!m->pinned)
    ++m->load_count;
  update_ldr_entry_count(*m);
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
