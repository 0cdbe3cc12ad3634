// The modules loaded into the process (the executable, ntdll and every DLL they pull in), in
// load order: what later serves LdrGetDllHandle / LdrGetProcedureAddress and what PEB.Ldr
// mirrors for Windows code.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "export_table.h"
#include "image_mapping.h"

namespace ireactor::loader {

// An image's TLS directory, relocated. index is what the loader wrote to AddressOfIndex.
struct TlsTemplate {
  bool present = false;
  uint32_t index = 0;
  uint64_t raw_start = 0, raw_end = 0;  // template data [start, end) in the image
  uint32_t zero_fill = 0;
  uint32_t alignment = 0;  // from Characteristics bits 20-23; 0 = default
  uint64_t callbacks = 0;  // address of the null-terminated callback array, 0 when none
};

struct LoadedModule {
  std::string name;         // base file name as on disk, "ntdll.dll"
  std::string host_path;    // where it was read from
  std::u16string dos_path;  // "C:\Windows\System32\ntdll.dll", as Windows code sees it
  bool is_dll = false;
  MappedImage image;
  uint64_t entry = 0;  // absolute entry point; 0 when the image has none
  uint32_t time_date_stamp = 0;
  uint16_t subsystem = 0, subsystem_major = 0, subsystem_minor = 0;
  uint64_t stack_reserve = 0;  // SizeOfStackReserve: what the main thread's stack should be
  ExportTable exports;
  TlsTemplate tls;
  std::vector<LoadedModule*> imports;  // the modules its import directory names
  bool initialized = false;            // DLL_PROCESS_ATTACH delivered
  // Reference counting of LdrLoadDll / LdrUnloadDll. Modules loaded with the process are pinned
  // (never unloaded); a dynamically loaded one holds a count of its loads plus one for each
  // module that imports it, and is unloaded when that reaches 0.
  bool pinned = true;
  uint32_t load_count = 0;
  bool dynamic_load = false;  // loaded by name from LdrLoadDll (LoadReasonDynamicLoad)
  uint64_t ldr_entry = 0;     // Windows address of its LDR_DATA_TABLE_ENTRY, once PEB.Ldr exists
  bool ldr_entry_allocated = false;  // appended after start: an allocation of its own

  uint64_t base() const { return image.base; }
  uint64_t size() const { return image.size; }
  bool contains(uint64_t addr) const { return addr - image.base < image.size; }
};

class ModuleList {
 public:
  // Case-insensitive, as Windows compares module names; "foo" also finds "foo.dll".
  LoadedModule* find(std::string_view name) const;
  LoadedModule* find_by_address(uint64_t addr) const;
  LoadedModule* main_module() const;  // the first non-DLL loaded, if any

  LoadedModule& add(std::unique_ptr<LoadedModule> m);
  // Forgets the module (the caller unmaps it).
  std::unique_ptr<LoadedModule> remove(LoadedModule* m);

  std::vector<LoadedModule*> in_load_order() const;
  // Dependencies before the modules that import them; the main image last.
  std::vector<LoadedModule*> in_initialization_order() const;
  size_t size() const;

  // Serialises loads; held by the loader for a whole load (which may recurse).
  std::recursive_mutex& load_lock() { return load_mutex_; }

 private:
  mutable std::recursive_mutex mutex_;
  std::recursive_mutex load_mutex_;
  std::vector<std::unique_ptr<LoadedModule>> modules_;
};

// The process's module list.
ModuleList& loaded_modules();

// DLL names as the import directory spells them gain ".dll" when they have no extension.
std::string normalize_dll_name(std::string_view name);

}  // namespace ireactor::loader
