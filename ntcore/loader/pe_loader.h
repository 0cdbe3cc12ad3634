// Loads PE images and their static dependencies: reads and validates the file, maps it
// (relocating when needed), assigns its TLS index, resolves its imports (by name, by ordinal,
// through forwarders, loading the DLLs they name), protects its pages, registers its exception
// directory and adds it to the module list.
//
// DLL search, Windows' standard order for a DLL named without a path: the loaded-module list,
// the application's directory, system32, the current directory, then PATH (names compared
// case-insensitively, as on Windows). ntdll.dll is always the one built for the namespace's
// Windows build, never a file of that name in a search directory. system32 is a host directory of
// its own (Wine's PE DLLs by default, `ireactor run --system32`) that Windows code sees as
// C:\Windows\System32\: DLLs found there are named so in PEB.Ldr and in messages. API set names
// (api-ms-win-*, ext-ms-win-*) stand for their host DLL (api_sets.h).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "load_status.h"
#include "module_list.h"

namespace ireactor::loader {

// A directory DLLs are searched in: its host path and how Windows code names it ("C:\dir\",
// with the trailing backslash).
struct SearchDir {
  std::string host;
  std::u16string dos;
};

struct LoaderConfig {
  std::string ntdll_path;  // host path of this build's ntdll.dll
  SearchDir app_dir;       // the main executable's directory
  SearchDir system32;      // host: where the system DLLs are; dos: C:\Windows\System32\ (empty
                           // host: no system32)
  std::vector<SearchDir> later_dirs;  // the current directory, then PATH's directories
  // The host directory of each drive letter (A: first; empty when unmapped), for DOS paths.
  std::array<std::string, 26> drives;
};

// The standard search order's directories: app_dir, system32, later_dirs.
std::vector<SearchDir> standard_search_dirs(const LoaderConfig& config);

class PeLoader {
 public:
  explicit PeLoader(LoaderConfig config, ModuleList& modules = loaded_modules())
      : config_(std::move(config)), modules_(modules) {}

  // Loads an image from a host path (the main executable, or a DLL by path) with everything it
  // imports. `dos_path` is its Windows-side path. A failure leaves no trace: every module this
  // call mapped is unloaded again.
  LoadStatus load_image(const std::string& host_path, const std::u16string& dos_path,
                        LoadedModule*& out);
  // Finds or loads a DLL by the name an import directory gives. STATUS_DLL_NOT_FOUND naming it.
  LoadStatus load_dll(std::string_view name, LoadedModule*& out);
  // LdrLoadDll's load: `name` is a base name or a DOS path ("C:\dir\x.dll"); `dirs` replaces
  // the standard search order when given. Modules this call maps are dynamic (unloadable).
  // find_only: report whether it would be found (out stays null unless already loaded).
  LoadStatus load_dynamic(std::u16string_view name, const std::vector<SearchDir>* dirs,
                          bool find_only, LoadedModule*& out);

  // The host path of a DOS path ("C:\dir\file", "\??\C:\..."): through system32, then the
  // drives. nullopt for other forms, unmapped drives and "." or ".." components (no way out of a
  // drive through the name).
  std::optional<std::string> host_path_of(std::u16string_view dos) const;

  // The address `name` (or `#ordinal`) of `module` resolves to, following forwarders (which may
  // load further DLLs). STATUS_ENTRYPOINT_NOT_FOUND / STATUS_ORDINAL_NOT_FOUND naming both.
  LoadStatus resolve_export(LoadedModule& module, std::string_view name, uint16_t hint,
                            uint64_t& address);
  LoadStatus resolve_ordinal(LoadedModule& module, uint32_t ordinal, uint64_t& address);

  const LoaderConfig& config() const { return config_; }

 private:
  LoadStatus load_file(const std::string& host_path, std::string name,
                       const std::u16string& dos_path, LoadedModule*& out);
  LoadStatus resolve_imports(const PeFile& pe, LoadedModule& module);
  LoadStatus follow(LoadedModule& module, const ExportTarget& target, int depth, uint64_t& address,
                    LoadedModule* importer);
  LoadStatus resolve(LoadedModule& module, std::string_view name, uint32_t ordinal, bool by_ordinal,
                     uint16_t hint, int depth, uint64_t& address, LoadedModule* importer);
  LoadStatus load_dll_in(std::string_view name, const std::vector<SearchDir>& dirs, bool find_only,
                         LoadedModule*& out);
  bool find_dll_file(const std::string& name, const std::vector<SearchDir>& dirs,
                     std::string& host_path, std::string& file_name, std::u16string& dos) const;

  LoaderConfig config_;
  ModuleList& modules_;
};

// Unmaps a module and forgets it (its TLS index is not reused). Windows code must no longer
// run in it.
void unload_module(LoadedModule* module, ModuleList& modules = loaded_modules());

// The process's loader (what the private loader services use); set once by process start.
PeLoader* process_loader();
void set_process_loader(PeLoader* loader);

}  // namespace ireactor::loader
