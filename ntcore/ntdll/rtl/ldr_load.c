/* LdrLoadDll / LdrUnloadDll: the runtime maps, resolves and keeps PEB.Ldr and the reference counts
 * (IrLdrLoadDll, IrLdrUnloadDll); the initialisation code runs here, in Windows code on the calling
 * thread: for each module owed DLL_PROCESS_ATTACH (dependencies first) its TLS callbacks then its
 * entry point, and the reverse with DLL_PROCESS_DETACH when a module's last reference goes. */
#include "loader_private.h"

typedef BOOL(WINAPI* DLL_ENTRY)(PVOID, DWORD, PVOID);

/* Wine's kernelbase passes LdrLoadDll's second argument by value (its LOAD_LIBRARY_* flags);
 * Windows' callers pass a PULONG. Below 64 KiB it cannot be a pointer. */
static ULONG load_flags(PULONG characteristics) {
  if ((ULONG_PTR)characteristics < 0x10000) return (ULONG)(ULONG_PTR)characteristics;
  return *characteristics;
}

static void run_tls_callbacks(PVOID base, DWORD reason) {
  ULONG size = 0;
  const IMAGE_TLS_DIRECTORY64* tls =
      RtlImageDirectoryEntryToData(base, TRUE, IMAGE_DIRECTORY_ENTRY_TLS, &size);
  if (!tls || size < sizeof(*tls) || !tls->AddressOfCallBacks) return;
  /* One entry at a time: a callback may add later ones. */
  for (PIMAGE_TLS_CALLBACK* cb = (PIMAGE_TLS_CALLBACK*)tls->AddressOfCallBacks; *cb; ++cb)
    (*cb)(base, reason, NULL);
}

/* DLL_PROCESS_DETACH for every module the runtime queued, then they are unmapped. */
static void run_detaches(void) {
  PVOID base, entry;
  while (loader_IrLdrNextDetach(&base, &entry) == STATUS_SUCCESS) {
    if (!entry) continue; /* never attached, or no entry point */
    ((DLL_ENTRY)entry)(base, DLL_PROCESS_DETACH, NULL);
    run_tls_callbacks(base, DLL_PROCESS_DETACH);
  }
}

/* DLL_PROCESS_ATTACH for every module owed it. STATUS_DLL_INIT_FAILED when an entry point returns
 * FALSE (that module is then detached with the others of the failed load). */
static NTSTATUS run_attaches(void) {
  PVOID base, entry;
  while (loader_IrLdrNextInit(&base, &entry) == STATUS_SUCCESS) {
    run_tls_callbacks(base, DLL_PROCESS_ATTACH);
    if (entry && !((DLL_ENTRY)entry)(base, DLL_PROCESS_ATTACH, NULL)) {
      /* The others owed an attach are left for the next load to deliver, as Windows leaves them
       * unattached. */
      return STATUS_DLL_INIT_FAILED;
    }
  }
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrLoadDll(PWSTR DllPath, PULONG DllCharacteristics,
                                       PUNICODE_STRING DllName, PVOID* DllHandle) {
  if (!DllName || !DllHandle) return STATUS_INVALID_PARAMETER;
  *DllHandle = NULL;
  (void)load_flags(DllCharacteristics); /* LOAD_LIBRARY_* search flags: the path
                                           carries them */
  loader_lock();
  PVOID base = NULL;
  /* A DllPath of 1 (Windows' LdrLoadDll "use the default") or any non-pointer is no path. */
  const WCHAR* path = (ULONG_PTR)DllPath < 0x10000 ? NULL : DllPath;
  NTSTATUS status = loader_IrLdrLoadDll(path, 0, DllName, &base);
  if (status == STATUS_SUCCESS) {
    status = run_attaches();
    if (status != STATUS_SUCCESS) {
      loader_IrLdrUnloadDll((ULONG_PTR)base);
      run_detaches();
      base = NULL;
    }
  }
  loader_unlock();
  *DllHandle = base;
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrUnloadDll(PVOID BaseAddress) {
  loader_lock();
  NTSTATUS status = loader_IrLdrUnloadDll((ULONG_PTR)BaseAddress);
  if (status == STATUS_SUCCESS) run_detaches();
  loader_unlock();
  return status;
}

/* The process is ending (RtlExitUserProcess): DLL_PROCESS_DETACH, with lpReserved non-NULL as
 * Windows passes at process termination, for every DLL that completed DLL_PROCESS_ATTACH, in the
 * reverse of initialisation order; each entry point before its TLS callbacks. Once only. Nothing
 * is unmapped: the process goes away. */
NTDLL_EXPORT void NTAPI LdrShutdownProcess(void) {
  static LONG done;
  loader_lock();
  if (!done) {
    done = 1;
    IR_PEB_LDR_DATA* ldr = (IR_PEB_LDR_DATA*)ir_peb()->Ldr;
    LIST_ENTRY* head = ldr ? &ldr->InInitializationOrderModuleList : NULL;
    for (LIST_ENTRY* l = head ? head->Blink : NULL; l && l != head; l = l->Blink) {
      IR_LDR_ENTRY* e = CONTAINING_RECORD(l, IR_LDR_ENTRY, InInitializationOrderLinks);
      if (!(e->Flags & LDRP_PROCESS_ATTACH_CALLED) || !(e->Flags & LDRP_IMAGE_DLL)) continue;
      if (e->EntryPoint) ((DLL_ENTRY)e->EntryPoint)(e->DllBase, DLL_PROCESS_DETACH, (PVOID)1);
      run_tls_callbacks(e->DllBase, DLL_PROCESS_DETACH);
    }
  }
  loader_unlock();
}
