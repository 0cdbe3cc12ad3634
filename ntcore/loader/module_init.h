// Runs images' initialisation code as Windows' loader does before the process entry point: for
// each DLL in initialisation order its TLS callbacks and then its entry point (DllMain), both with
// DLL_PROCESS_ATTACH; then the executable's TLS callbacks. All on the given Windows stack, with
// the calling thread's selector set for Windows code.
#pragma once

#include <cstdint>

#include "load_status.h"
#include "module_list.h"

namespace ireactor::loader {

// Calls fn(a0..a3) as an MS x64 ABI function on the stack whose top is stack_top.
uint64_t call_windows(uint64_t stack_top, uint64_t fn, uint64_t a0 = 0, uint64_t a1 = 0,
                      uint64_t a2 = 0, uint64_t a3 = 0);

// Calls each callback of the module's TLS directory with (base, reason, nullptr).
void run_tls_callbacks(const LoadedModule& module, uint32_t reason, uint64_t stack_top);

// DLL_PROCESS_ATTACH for every module not yet initialised. STATUS_DLL_INIT_FAILED naming the
// DLL whose entry point returned FALSE.
LoadStatus initialize_modules(ModuleList& modules, uint64_t stack_top);

}  // namespace ireactor::loader
