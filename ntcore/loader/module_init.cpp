#include "module_init.h"

#include "call_on_stack.h"
#include "ireactor/entry.h"
#include "ireactor/user_memory.h"
#include "ireactor/win/ldr_data.h"
#include "ireactor/win/pe_format.h"

namespace ireactor::loader {

using namespace win;

uint64_t call_windows(uint64_t stack_top, uint64_t fn, uint64_t a0, uint64_t a1, uint64_t a2,
                      uint64_t a3) {
  entry::WindowsCodeScope windows_code;
  return ir_call_on_stack(stack_top, fn, a0, a1, a2, a3);
}

void run_tls_callbacks(const LoadedModule& module, uint32_t reason, uint64_t stack_top) {
  if (!module.tls.present || module.tls.callbacks == 0) return;
  // Read one entry at a time: an earlier callback may legitimately add later ones.
  for (uint64_t i = 0;; ++i) {
    uint64_t callback = 0;
    if (!copy_from_user(&callback, module.tls.callbacks + i * sizeof(uint64_t), sizeof callback) ||
        callback == 0)
      return;
    call_windows(stack_top, callback, module.base(), reason, 0);
  }
}

LoadStatus initialize_modules(ModuleList& modules, uint64_t stack_top) {
  for (LoadedModule* m : modules.in_initialization_order()) {
    if (m->initialized) continue;
    m->initialized = true;  // before running its code, so a re-entrant load does not repeat it
    run_tls_callbacks(*m, DLL_PROCESS_ATTACH, stack_top);
    if (m->is_dll && m->entry) {
      // lpReserved is non-NULL for DLLs loaded with the process (static imports).
      const uint64_t ok = call_windows(stack_top, m->entry, m->base(), DLL_PROCESS_ATTACH, 1);
      if (static_cast<uint32_t>(ok) == 0)  // BOOL
        return LoadStatus::failure(nt::STATUS_DLL_INIT_FAILED,
                                   "the initialisation routine of " + m->name + " failed");
    }
    if (m->ldr_entry) {
      uint32_t flags = 0;
      const uint64_t at = m->ldr_entry + offsetof(LDR_DATA_TABLE_ENTRY, Flags);
      if (copy_from_user(&flags, at, sizeof flags)) {
        flags |= LDRP_PROCESS_ATTACH_CALLED;
        copy_to_user(at, &flags, sizeof flags);
      }
    }
  }
  return LoadStatus::success();
}

}  // namespace ireactor::loader
