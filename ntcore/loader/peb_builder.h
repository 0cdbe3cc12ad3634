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

// After build_ldr_data, for modules loaded later (LdrLoadDll): a new entry appended to the load-
// and memory-order lists (LoadReasonDynamicLoad for the DLL asked for, else a dependency).
// Sets the module's ldr_entry. No-op before PEB.Ldr exists.
LoadStatus append_ldr_entry(LoadedModule& m);
// DLL_PROCESS_ATTACH delivered: flags it and appends the entry to the initialisation-order list.
void mark_ldr_entry_attached(LoadedModule& m);
// The module's reference count as Windows code reads it (ObsoleteLoadCount, ReferenceCount).
void update_ldr_entry_count(const LoadedModule& m);
// Unlinks the module's entry from all three lists and frees it.
void remove_ldr_entry(LoadedModule& m);

// RtlHashUnicodeString's x65599 hash of the upper-cased name
// (LDR_DATA_TABLE_ENTRY.BaseNameHashValue).
uint32_t ldr_name_hash(const std::u16string& name);

}  // namespace ireactor::loader
