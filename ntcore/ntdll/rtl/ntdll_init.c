/* ntdll's entry point: the process-wide state every later DLL relies on, set up first (ntdll is
 * first in initialisation order: every other module imports it). */
#include "ntdll_base.h"

BOOL heap_init_process_heap(void); /* heap.c */
BOOL sync_init_peb_locks(void);    /* peb_lock.c */
BOOL tls_init_bitmaps(void);       /* tls_bitmap.c */
BOOL nls_init_code_pages(void);    /* nls_init.c */

/* Run in order at DLL_PROCESS_ATTACH; a FALSE return fails the process start. The process heap
 * comes first: critical sections take their debug information from it. Other families add
 * their process initialisers below the existing entries. */
static BOOL (*const process_initializers[])(void) = {
    heap_init_process_heap,
    sync_init_peb_locks,
    tls_init_bitmaps,
    nls_init_code_pages,
};

BOOL WINAPI ntdll_dll_main(HINSTANCE instance, DWORD reason, void* reserved) {
  if (reason != DLL_PROCESS_ATTACH) return TRUE;
  for (size_t i = 0; i < sizeof process_initializers / sizeof process_initializers[0]; ++i)
    if (!process_initializers[i]()) return FALSE;
  return TRUE;
}
