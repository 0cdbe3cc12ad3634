// Builds the PEB and PEB.Ldr (the loader's module lists as Windows code walks them) in Windows
// memory.
#pragma once

#include <cstdint>

#include "load_status.h"
#include "module_list.h"
#include "windows_version.h"

namespace ireactor::loader {

struct PebInput {
  const LoadedModule* image = nullptr;  // the main executable
  uint32_t subsystem = 0, subsystem_major = 0, subsystem_minor = 0;
  uint64_t ldr = 0;
  uint64_t process_parameters = 0;
  WindowsVersion version;
  uint32_t number_of_processors = 1;
};

LoadStatus build_peb(const PebInput& in, uint64_t& peb);

// PEB_LDR_DATA with one LDR_DATA_TABLE_ENTRY per module: load order (the main image first, as
// Windows lists it), memory order, and initialisation order (DLLs only). Sets each module's
// ldr_entry.
LoadStatus build_ldr_data(ModuleList& modules, uint64_t& ldr);

// RtlHashUnicodeString's x65599 hash of the upper-cased name
// (LDR_DATA_TABLE_ENTRY.BaseNameHashValue).
uint32_t ldr_name_hash(const std::u16string& name);

}  // namespace ireactor::loader
