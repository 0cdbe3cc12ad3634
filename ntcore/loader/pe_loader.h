// Loads PE images and their static dependencies: reads and validates the file, maps it
// (relocating when needed), assigns its TLS index, resolves its imports (by name, by ordinal,
// through forwarders, loading the DLLs they name), protects its pages, registers its exception
// directory and adds it to the module list.
//
// DLL search (for now): ntdll.dll is the one built for the namespace's Windows build; every
// other DLL comes from the directory of the main executable (names compared case-insensitively,
// as on Windows).
#pragma once

#include <string>
#include <string_view>

#include "load_status.h"
#include "module_list.h"

namespace ireactor::loader {

struct LoaderConfig {
  std::string ntdll_path;      // host path of this build's ntdll.dll
  std::string dll_dir;         // host directory searched for every other DLL
  std::u16string dll_dos_dir;  // the same directory as Windows code sees it, "C:\dir\"
};

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
  bool find_dll_file(const std::string& name, std::string& host_path, std::string& file_name) const;

  LoaderConfig config_;
  ModuleList& modules_;
};

// Unmaps a module and forgets it (its TLS index is not reused). Windows code must no longer
// run in it.
void unload_module(LoadedModule* module, ModuleList& modules = loaded_modules());

}  // namespace ireactor::loader
