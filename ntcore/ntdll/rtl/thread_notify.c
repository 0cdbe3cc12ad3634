/* DLL_THREAD_ATTACH and DLL_THREAD_DETACH: a thread's arrival and departure
 * told to every DLL that completed DLL_PROCESS_ATTACH and did not turn thread
 * calls off (LdrDisableThreadCalloutsForDll), in initialisation order on
 * attach and the reverse on detach; each module's TLS callbacks run before its
 * entry point. The executable gets its TLS callbacks last. All under the
 * loader lock, as Windows does, so no DLL is loaded or unloaded meanwhile. */
#include "threads_private.h"

/* TEB.SameTebFlags (offset 0x17EE) bit SkipThreadAttach: set for threads
 * created with THREAD_CREATE_FLAGS_SKIP_THREAD_ATTACH, which get neither
 * notification. */
#define TEB_SAME_TEB_FLAGS 0x17EE
#define SKIP_THREAD_ATTACH 0x0008

typedef BOOL(WINAPI* DLL_ENTRY)(PVOID, ULONG, PVOID);
typedef void(NTAPI* TLS_CALLBACK)(PVOID, ULONG, PVOID);

static void run_tls_callbacks(PVOID base, ULONG reason) {
  ULONG size = 0;
  const IMAGE_TLS_DIRECTORY64* tls =
      RtlImageDirectoryEntryToData(base, TRUE, IMAGE_DIRECTORY_ENTRY_TLS, &size);
  if (!tls || size < sizeof(*tls) || !tls->AddressOfCallBacks) return;
  /* Read one at a time: a callback may add later ones. */
  for (TLS_CALLBACK* cb = (TLS_CALLBACK*)tls->AddressOfCallBacks; *cb; ++cb)
    (*cb)(base, reason, NULL);
}

static void notify(IR_LDR_ENTRY* e, ULONG reason) {
  if ((e->Flags & (LDRP_IMAGE_DLL | LDRP_PROCESS_ATTACH_CALLED)) !=
          (LDRP_IMAGE_DLL | LDRP_PROCESS_ATTACH_CALLED) ||
      (e->Flags & LDRP_DONT_CALL_FOR_THREADS))
    return;
  run_tls_callbacks(e->DllBase, reason);
  if (e->EntryPoint) ((DLL_ENTRY)e->EntryPoint)(e->DllBase, reason, NULL);
}

void threads_notify_dlls(ULONG reason) {
  const BYTE* teb = (const BYTE*)ir_teb();
  if (*(const USHORT*)(teb + TEB_SAME_TEB_FLAGS) & SKIP_THREAD_ATTACH) return;
  IR_PEB_LDR_DATA* ldr = (IR_PEB_LDR_DATA*)ir_peb()->Ldr;
  if (!ldr) return;
  ULONG_PTR cookie = 0;
  LdrLockLoaderLock(0, NULL, &cookie);
  LIST_ENTRY* head = &ldr->InInitializationOrderModuleList;
  if (reason == DLL_THREAD_ATTACH) {
    for (LIST_ENTRY* l = head->Flink; l && l != head; l = l->Flink)
      notify(CONTAINING_RECORD(l, IR_LDR_ENTRY, InInitializationOrderLinks), reason);
  } else {
    for (LIST_ENTRY* l = head->Blink; l && l != head; l = l->Blink)
      notify(CONTAINING_RECORD(l, IR_LDR_ENTRY, InInitializationOrderLinks), reason);
  }
  if (ir_peb()->ImageBaseAddress) run_tls_callbacks(ir_peb()->ImageBaseAddress, reason);
  LdrUnlockLoaderLock(0, cookie);
}
