#include "pe_loader.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "api_sets.h"
#include "function_tables.h"
#include "tls_setup.h"
#include "win_string.h"

namespace ireactor::loader {

using namespace win;

namespace {

constexpr int kMaxForwarderDepth = 16;

LoadStatus bad(const std::string& path, const std::string& why) {
  return LoadStatus::failure(nt::STATUS_INVALID_IMAGE_FORMAT,
                             path + ": bad import directory: " + why);
}

bool image_string(const MappedImage& img, uint64_t rva, std::string& out) {
  if (rva == 0 || rva >= img.size) return false;
  const char* s = reinterpret_cast<const char*>(img.base + rva);
  const size_t n = strnlen(s, img.size - rva);
  if (n == img.size - rva) return false;
  out.assign(s, n);
  return true;
}

std::string base_name(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool is_regular_file(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

// Counts nested public calls so that only the outermost one rolls back on failure.
class PeLoaderNesting {
 public:
  PeLoaderNesting(ModuleList& modules, int& depth) : modules_(modules), depth_(depth) {
    if (depth_++ == 0) before_ = modules_.in_load_order();
  }
  ~PeLoaderNesting() { --depth_; }
  LoadStatus finish(LoadStatus st) {
    if (st.ok() || depth_ != 1) return st;
    std::vector<LoadedModule*> now = modules_.in_load_order();
    for (auto it = now.rbegin(); it != now.rend(); ++it)
      if (std::find(before_.begin(), before_.end(), *it) == before_.end())
        unload_module(*it, modules_);
    return st;
  }

 private:
  ModuleList& modules_;
  int& depth_;
  std::vector<LoadedModule*> before_;
};

namespace {
thread_local int t_load_depth = 0;
}

LoadStatus PeLoader::load_image(const std::string& host_path, const std::u16string& dos_path,
                                LoadedModule*& out) {
  std::lock_guard lock(modules_.load_lock());
  PeLoaderNesting nest(modules_, t_load_depth);
  return nest.finish(load_file(host_path, base_name(host_path), dos_path, out));
}

std::vector<SearchDir> standard_search_dirs(const LoaderConfig& config) {
  std::vector<SearchDir> dirs;
  if (!config.app_dir.host.empty()) dirs.push_back(config.app_dir);
  if (!config.system32.host.empty()) dirs.push_back(config.system32);
  dirs.insert(dirs.end(), config.later_dirs.begin(), config.later_dirs.end());
  return dirs;
}

LoadStatus PeLoader::load_dll(std::string_view name, LoadedModule*& out) {
  return load_dll_in(name, standard_search_dirs(config_), false, out);
}

LoadStatus PeLoader::load_dll_in(std::string_view name, const std::vector<SearchDir>& dirs,
                                 bool find_only, LoadedModule*& out) {
  std::lock_guard lock(modules_.load_lock());
  std::string want = normalize_dll_name(name);
  if (std::string host = api_set_host(want); !host.empty()) want = host;
  if (LoadedModule* m = modules_.find(want)) {
    out = m;
    return LoadStatus::success();
  }
  PeLoaderNesting nest(modules_, t_load_depth);
  std::string host_path, file_name;
  std::u16string dos;
  if (!find_dll_file(want, dirs, host_path, file_name, dos)) {
    if (iequals_ascii(want, "ntdll.dll"))
      return nest.finish(LoadStatus::failure(nt::STATUS_DLL_NOT_FOUND,
                                             "ntdll.dll was not found at " + config_.ntdll_path));
    std::string searched;
    for (const SearchDir& d : dirs) searched += (searched.empty() ? "" : ", ") + d.host;
    return nest.finish(LoadStatus::failure(nt::STATUS_DLL_NOT_FOUND,
                                           "the DLL " + want + " was not found (searched " +
                                               (searched.empty() ? "nothing" : searched) + ")"));
  }
  if (find_only) return LoadStatus::success();
  return nest.finish(load_file(host_path, file_name, dos, out));
}

LoadStatus PeLoader::load_dynamic(std::u16string_view name, const std::vector<SearchDir>* dirs,
                                  bool find_only, LoadedModule*& out) {
  std::lock_guard lock(modules_.load_lock());
  out = nullptr;
  const std::vector<LoadedModule*> before = modules_.in_load_order();
  LoadStatus st;
  if (name.find_first_of(u"\\/") == std::u16string_view::npos) {
    st = load_dll_in(utf16_to_utf8(name), dirs ? *dirs : standard_search_dirs(config_), find_only,
                     out);
  } else {
    // A path: the module already loaded from that file, else that file and nothing else. A
    // last component without an extension gains ".dll", as for names.
    std::u16string path(name);
    if (path.substr(path.find_last_of(u"\\/") + 1).find(u'.') == std::u16string::npos)
      path += u".dll";
    name = path;
    const std::optional<std::string> host = host_path_of(name);
    const std::string shown = utf16_to_utf8(name);
    if (!host || !is_regular_file(*host))
      return LoadStatus::failure(nt::STATUS_DLL_NOT_FOUND, "the DLL " + shown + " was not found");
    for (LoadedModule* m : before)
      if (m->host_path == *host) out = m;
    if (!out && !find_only) {
      std::u16string dos(name);
      if (dos.starts_with(u"\\??\\")) dos.erase(0, 4);
      PeLoaderNesting nest(modules_, t_load_depth);
      st = nest.finish(load_file(*host, base_name(*host), dos, out));
    }
  }
  if (!st.ok() || find_only) return st;
  for (LoadedModule* m : modules_.in_load_order())
    if (std::find(before.begin(), before.end(), m) == before.end()) {
      m->pinned = false;
      m->load_count = 0;
    }
  // The new modules' imports are held by them (a pinned import ignores it).
  for (LoadedModule* m : modules_.in_load_order())
    if (std::find(before.begin(), before.end(), m) == before.end())
      for (LoadedModule* dep : m->imports)
        if (!dep->pinned) ++dep->load_count;
  if (!out->pinned) ++out->load_count;
  if (std::find(before.begin(), before.end(), out) == before.end()) out->dynamic_load = true;
  return st;
}

std::optional<std::string> PeLoader::host_path_of(std::u16string_view dos) const {
  if (dos.starts_with(u"\\??\\")) dos.remove_prefix(4);
  if (dos.size() < 3 || dos[1] != u':' || dos[2] != u'\\') return std::nullopt;
  // Every component an ordinary name: no way up and out of the directory it lies in.
  for (size_t i = 3; i <= dos.size();) {
    size_t j = dos.find_first_of(u"\\/", i);
    if (j == std::u16string_view::npos) j = dos.size();
    const std::u16string_view c = dos.substr(i, j - i);
    if (c == u"." || c == u"..") return std::nullopt;
    if (c.empty() && j != dos.size()) return std::nullopt;
    i = j + 1;
  }
  auto join = [](std::string dir, std::u16string_view rest) {
    std::string r = utf16_to_utf8(rest);
    std::replace(r.begin(), r.end(), '\\', '/');
    return dir + (dir.ends_with('/') ? "" : "/") + r;
  };
  const std::u16string& sys = config_.system32.dos;
  if (!config_.system32.host.empty() && dos.size() > sys.size() &&
      iequals_ascii(utf16_to_utf8(dos.substr(0, sys.size())), utf16_to_utf8(sys)))
    return join(config_.system32.host, dos.substr(sys.size()));
  const char16_t letter = dos[0] | 0x20;
  if (letter < u'a' || letter > u'z') return std::nullopt;
  const std::string& root = config_.drives[letter - u'a'];
  if (root.empty()) return std::nullopt;
  return join(root, dos.substr(3));
}

bool PeLoader::find_dll_file(const std::string& name, const std::vector<SearchDir>& dirs,
                             std::string& host_path, std::string& file_name,
                             std::u16string& dos) const {
  if (iequals_ascii(name, "ntdll.dll")) {
    // Ours, always: never a file of that name in a search directory (Wine's would need its
    // Unix side).
    host_path = config_.ntdll_path;
    file_name = "ntdll.dll";
    dos = u"C:\\Windows\\System32\\ntdll.dll";
    return !host_path.empty() && is_regular_file(host_path);
  }
  for (const SearchDir& dir : dirs) {
    if (dir.host.empty()) continue;
    DIR* d = opendir(dir.host.c_str());
    if (!d) continue;
    bool found = false;
    while (dirent* e = readdir(d)) {
      if (!iequals_ascii(e->d_name, name)) continue;
      const std::string path = dir.host + (dir.host.ends_with('/') ? "" : "/") + e->d_name;
      if (!is_regular_file(path)) continue;
      host_path = path;
      file_name = e->d_name;
      found = true;
      if (name == e->d_name) break;  // an exact match wins over a case-folded one
    }
    closedir(d);
    if (found) {
      dos = dir.dos + utf8_to_utf16(file_name);
      return true;
    }
  }
  return false;
}

LoadStatus PeLoader::load_file(const std::string& host_path, std::string name,
                               const std::u16string& dos_path, LoadedModule*& out) {
  PeFile pe;
  LoadStatus st = read_pe_file(host_path, pe);
  if (!st.ok()) return st;

  auto m = std::make_unique<LoadedModule>();
  m->name = std::move(name);
  m->host_path = host_path;
  m->dos_path = dos_path;
  m->is_dll = pe.is_dll();
  m->time_date_stamp = pe.nt.FileHeader.TimeDateStamp;
  m->subsystem = pe.opt().Subsystem;
  m->subsystem_major = pe.opt().MajorSubsystemVersion;
  m->subsystem_minor = pe.opt().MinorSubsystemVersion;
  m->stack_reserve = pe.opt().SizeOfStackReserve;
  if (st = map_image(pe, m->image); !st.ok()) return st;
  const IMAGE_OPTIONAL_HEADER64& opt = pe.opt();
  m->entry = opt.AddressOfEntryPoint ? m->image.base + opt.AddressOfEntryPoint : 0;
  st = m->exports.read(m->image.base, m->image.size, pe.directory(IMAGE_DIRECTORY_ENTRY_EXPORT),
                       pe.path);
  if (st.ok()) st = setup_image_tls(pe, m->image, m->tls);
  if (!st.ok()) {
    unmap_image(m->image);
    return st;
  }
  // In the list before its imports are resolved, so that import cycles find it.
  LoadedModule& mod = modules_.add(std::move(m));
  if (st = resolve_imports(pe, mod); !st.ok()) return st;  // the outermost call unloads it
  protect_image(pe, mod.image);

  const IMAGE_DATA_DIRECTORY& pdata = pe.directory(IMAGE_DIRECTORY_ENTRY_EXCEPTION);
  if (pdata.VirtualAddress != 0 && pdata.Size >= sizeof(RUNTIME_FUNCTION))
    register_function_table(
        FunctionTable{.image_base = mod.image.base,
                      .image_size = mod.image.size,
                      .functions = mod.image.base + pdata.VirtualAddress,
                      .count = static_cast<uint32_t>(pdata.Size / sizeof(RUNTIME_FUNCTION))});
  out = &mod;
  return LoadStatus::success();
}

LoadStatus PeLoader::resolve_imports(const PeFile& pe, LoadedModule& module) {
  const IMAGE_DATA_DIRECTORY& dir = pe.directory(IMAGE_DIRECTORY_ENTRY_IMPORT);
  if (dir.VirtualAddress == 0 || dir.Size == 0) return LoadStatus::success();
  const MappedImage& img = module.image;
  for (uint64_t off = dir.VirtualAddress;; off += sizeof(IMAGE_IMPORT_DESCRIPTOR)) {
    if (off + sizeof(IMAGE_IMPORT_DESCRIPTOR) > img.size)
      return bad(pe.path, "the descriptor list runs past the image");
    IMAGE_IMPORT_DESCRIPTOR desc;
    memcpy(&desc, img.data() + off, sizeof desc);
    if (desc.Name == 0 && desc.FirstThunk == 0) break;  // the all-zero terminator
    std::string dll;
    if (!image_string(img, desc.Name, dll))
      return bad(pe.path, "a DLL name lies outside the image");
    LoadedModule* dep = nullptr;
    LoadStatus st = load_dll(dll, dep);
    if (!st.ok()) {
      st.message += " (imported by " + module.name + ")";
      return st;
    }
    if (std::find(module.imports.begin(), module.imports.end(), dep) == module.imports.end())
      module.imports.push_back(dep);

    const uint64_t lookup = desc.OriginalFirstThunk ? desc.OriginalFirstThunk : desc.FirstThunk;
    for (uint64_t i = 0;; ++i) {
      const uint64_t lookup_at = lookup + i * 8, iat_at = desc.FirstThunk + i * 8ull;
      if (lookup_at + 8 > img.size || iat_at + 8 > img.size)
        return bad(pe.path, "the thunks of " + dll + " run past the image");
      uint64_t thunk;
      memcpy(&thunk, img.data() + lookup_at, 8);
      if (thunk == 0) break;
      uint64_t address = 0;
      if (thunk & IMAGE_ORDINAL_FLAG64) {
        st = resolve(*dep, {}, static_cast<uint32_t>(thunk & 0xFFFF), true, 0, 0, address, &module);
      } else {
        const uint64_t hint_rva = thunk & 0x7FFFFFFF;
        std::string name;
        if (hint_rva + 2 > img.size || !image_string(img, hint_rva + 2, name))
          return bad(pe.path, "an imported name from " + dll + " lies outside the image");
        uint16_t hint;
        memcpy(&hint, img.data() + hint_rva, 2);
        st = resolve(*dep, name, 0, false, hint, 0, address, &module);
      }
      if (!st.ok()) {
        st.message += " (imported by " + module.name + ")";
        return st;
      }
      memcpy(img.data() + iat_at, &address, 8);
    }
  }
  return LoadStatus::success();
}

LoadStatus PeLoader::resolve_export(LoadedModule& module, std::string_view name, uint16_t hint,
                                    uint64_t& address) {
  std::lock_guard lock(modules_.load_lock());
  PeLoaderNesting nest(modules_, t_load_depth);
  return nest.finish(resolve(module, name, 0, false, hint, 0, address, &module));
}

LoadStatus PeLoader::resolve_ordinal(LoadedModule& module, uint32_t ordinal, uint64_t& address) {
  std::lock_guard lock(modules_.load_lock());
  PeLoaderNesting nest(modules_, t_load_depth);
  return nest.finish(resolve(module, {}, ordinal, true, 0, 0, address, &module));
}

LoadStatus PeLoader::resolve(LoadedModule& module, std::string_view name, uint32_t ordinal,
                             bool by_ordinal, uint16_t hint, int depth, uint64_t& address,
                             LoadedModule* importer) {
  ExportTarget target;
  if (by_ordinal) {
    if (!module.exports.find_ordinal(ordinal, target))
      return LoadStatus::failure(
          nt::STATUS_ORDINAL_NOT_FOUND,
          "the ordinal " + std::to_string(ordinal) + " could not be located in " + module.name);
  } else if (!module.exports.find_name(name, hint, target)) {
    return LoadStatus::failure(nt::STATUS_ENTRYPOINT_NOT_FOUND,
                               "the procedure entry point " + std::string(name) +
                                   " could not be located in " + module.name);
  }
  LoadStatus st = follow(module, target, depth, address, importer);
  if (!st.ok() && !target.forwarder.empty())
    st.message += " (forwarded from " + module.name + "!" +
                  (by_ordinal ? "#" + std::to_string(ordinal) : std::string(name)) + ")";
  return st;
}

LoadStatus PeLoader::follow(LoadedModule& module, const ExportTarget& target, int depth,
                            uint64_t& address, LoadedModule* importer) {
  if (target.forwarder.empty()) {
    address = target.address;
    return LoadStatus::success();
  }
  if (depth >= kMaxForwarderDepth)
    return LoadStatus::failure(nt::STATUS_INVALID_IMAGE_FORMAT,
                               "the forwarder chain through " + module.name + " does not end");
  const std::string& fwd = target.forwarder;
  const size_t dot = fwd.rfind('.');
  const std::string dll = fwd.substr(0, dot), func = fwd.substr(dot + 1);
  LoadedModule* next = nullptr;
  LoadStatus st = load_dll(dll, next);
  if (!st.ok()) return st;
  // A DLL reached through a forwarder is initialised before the module importing through it.
  if (importer && importer != next &&
      std::find(importer->imports.begin(), importer->imports.end(), next) ==
          importer->imports.end())
    importer->imports.push_back(next);
  if (!func.empty() && func[0] == '#') {
    uint32_t ordinal = 0;
    auto [p, ec] = std::from_chars(func.data() + 1, func.data() + func.size(), ordinal);
    if (ec != std::errc() || p != func.data() + func.size() || func.size() == 1)
      return LoadStatus::failure(nt::STATUS_INVALID_IMAGE_FORMAT,
                                 module.name + ": bad forwarder " + fwd);
    return resolve(*next, {}, ordinal, true, 0, depth + 1, address, importer);
  }
  return resolve(*next, func, 0, false, 0, depth + 1, address, importer);
}

void unload_module(LoadedModule* module, ModuleList& modules) {
  if (!module) return;
  unregister_function_table(module->image.base);
  std::unique_ptr<LoadedModule> owned = modules.remove(module);
  unmap_image(module->image);
}

namespace {
PeLoader* g_process_loader = nullptr;
}

PeLoader* process_loader() {
  return g_process_loader;
}

void set_process_loader(PeLoader* loader) {
  g_process_loader = loader;
}

}  // namespace ireactor::loader
