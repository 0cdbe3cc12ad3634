// The exception directories (.pdata) of loaded images, kept per process for unwinding: each
// image registers its RUNTIME_FUNCTION array, and a PC is mapped back to the entry covering it,
// as RtlLookupFunctionEntry does.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ireactor/win/pe_format.h"

namespace ireactor::loader {

struct FunctionTable {
  uint64_t image_base = 0;
  uint64_t image_size = 0;
  uint64_t functions = 0;  // Windows address of RUNTIME_FUNCTION[count], sorted by BeginAddress
  uint32_t count = 0;
};

struct FunctionEntry {
  uint64_t image_base = 0;  // add to the RVAs in `function`
  win::RUNTIME_FUNCTION function{};
};

// Registers (or replaces) the table of the image at table.image_base.
void register_function_table(const FunctionTable& table);
void unregister_function_table(uint64_t image_base);

// The table of the image containing pc, if that image has one.
std::optional<FunctionTable> function_table_for(uint64_t pc);
// The RUNTIME_FUNCTION whose [BeginAddress, EndAddress) contains pc. Table entries are read
// through user_memory.h: Windows code may have unmapped or reprotected them.
std::optional<FunctionEntry> lookup_function_entry(uint64_t pc);

std::vector<FunctionTable> registered_function_tables();

}  // namespace ireactor::loader
