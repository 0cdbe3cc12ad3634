/* LdrResolveDelayLoadedAPI: what a delay-load thunk calls the first time a delay-imported function
 * is used. Loads the DLL (once: the descriptor's module handle slot keeps it), resolves the import
 * the thunk stands for (by name or ordinal, from the delay import name table) and writes the
 * address into the thunk's IAT slot. On failure the image's hook decides what to return (DLL hook
 * with DELAYLOAD_GPA_FAILURE, else the system hook). */
#include "loader_private.h"

#define DELAYLOAD_GPA_FAILURE 4

typedef struct DELAYLOAD_PROC_DESCRIPTOR {
  ULONG ImportDescribedByName;
  union {
    LPCSTR Name;
    ULONG Ordinal;
  } Description;
} DELAYLOAD_PROC_DESCRIPTOR;

typedef struct DELAYLOAD_INFO {
  ULONG Size;
  PCIMAGE_DELAYLOAD_DESCRIPTOR DelayloadDescriptor;
  PIMAGE_THUNK_DATA ThunkAddress;
  LPCSTR TargetDllName;
  DELAYLOAD_PROC_DESCRIPTOR TargetApiDescriptor;
  PVOID TargetModuleBase;
  PVOID Unused;
  ULONG LastError;
} DELAYLOAD_INFO;

typedef PVOID(WINAPI* DELAYLOAD_DLL_HOOK)(ULONG reason, DELAYLOAD_INFO* info);
typedef PVOID(WINAPI* DELAYLOAD_SYSTEM_HOOK)(LPCSTR dll, LPCSTR proc);

ULONG NTAPI RtlNtStatusToDosError(NTSTATUS status);

static NTSTATUS load_by_ansi_name(const char* ansi, PVOID* base) {
  WCHAR name[256];
  SIZE_T n = 0;
  while (ansi[n] && n < 255) name[n] = (WCHAR)(unsigned char)ansi[n], ++n;
  if (ansi[n]) return STATUS_DLL_NOT_FOUND;
  name[n] = 0;
  UNICODE_STRING us = {(USHORT)(n * sizeof(WCHAR)), (USHORT)((n + 1) * sizeof(WCHAR)), name};
  return LdrLoadDll(NULL, NULL, &us, base);
}

NTDLL_EXPORT PVOID NTAPI LdrResolveDelayLoadedAPI(PVOID Base,
                                                  PCIMAGE_DELAYLOAD_DESCRIPTOR Descriptor,
                                                  PVOID FailureDllHook, PVOID FailureSystemHook,
                                                  PIMAGE_THUNK_DATA ThunkAddress, ULONG Flags) {
  BYTE* base = Base;
  const char* dll = (const char*)(base + Descriptor->DllNameRVA);
  PVOID* module = (PVOID*)(base + Descriptor->ModuleHandleRVA);
  IMAGE_THUNK_DATA* iat = (IMAGE_THUNK_DATA*)(base + Descriptor->ImportAddressTableRVA);
  const IMAGE_THUNK_DATA* names = (const IMAGE_THUNK_DATA*)(base + Descriptor->ImportNameTableRVA);
  const SIZE_T index = ThunkAddress - iat;
  const ULONGLONG import = names[index].u1.Ordinal;

  DELAYLOAD_INFO info = {0};
  info.Size = sizeof info;
  info.DelayloadDescriptor = Descriptor;
  info.ThunkAddress = ThunkAddress;
  info.TargetDllName = dll;
  if (IMAGE_SNAP_BY_ORDINAL64(import)) {
    info.TargetApiDescriptor.Description.Ordinal = (ULONG)IMAGE_ORDINAL64(import);
  } else {
    info.TargetApiDescriptor.ImportDescribedByName = TRUE;
    info.TargetApiDescriptor.Description.Name =
        (LPCSTR)((IMAGE_IMPORT_BY_NAME*)(base + (ULONG)import))->Name;
  }

  PVOID proc = NULL;
  NTSTATUS status = STATUS_SUCCESS;
  loader_lock();
  if (!*module) {
    PVOID loaded = NULL;
    status = load_by_ansi_name(dll, &loaded);
    if (status == STATUS_SUCCESS) *module = loaded;
  }
  if (status == STATUS_SUCCESS)
    status = loader_get_procedure(*module,
                                  info.TargetApiDescriptor.ImportDescribedByName
                                      ? info.TargetApiDescriptor.Description.Name
                                      : NULL,
                                  info.TargetApiDescriptor.Description.Ordinal, &proc, 0);
  loader_unlock();
  if (status != STATUS_SUCCESS) {
    info.TargetModuleBase = *module;
    info.LastError = RtlNtStatusToDosError(status);
    if (FailureDllHook)
      proc = ((DELAYLOAD_DLL_HOOK)FailureDllHook)(DELAYLOAD_GPA_FAILURE, &info);
    else if (FailureSystemHook)
      proc = ((DELAYLOAD_SYSTEM_HOOK)FailureSystemHook)(
          dll, info.TargetApiDescriptor.ImportDescribedByName
                   ? info.TargetApiDescriptor.Description.Name
                   : (LPCSTR)(ULONG_PTR)info.TargetApiDescriptor.Description.Ordinal);
  }
  ThunkAddress->u1.Function = (ULONGLONG)proc;
  return proc;
}
