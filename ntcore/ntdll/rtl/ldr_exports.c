/* Export lookup: LdrGetProcedureAddress(ForCaller), by name (binary search of the sorted name
 * table) or by ordinal, following forwarders ("DLL.Name", "DLL.#Ordinal"), which load their DLL as
 * LdrLoadDll does. */
#include "loader_private.h"

#define MAX_FORWARDER_DEPTH 16

static int ascii_cmp(const char* a, const char* b) {
  while (*a && *a == *b) ++a, ++b;
  return (unsigned char)*a - (unsigned char)*b;
}

/* Forwarder "DLL.Func" / "DLL.#N": loads DLL, resolves there. */
static NTSTATUS follow_forwarder(const char* fwd, void** address, int depth) {
  WCHAR dll[256];
  SIZE_T n = 0;
  const char* dot = NULL;
  for (const char* p = fwd; *p; ++p)
    if (*p == '.') dot = p;
  if (!dot || dot == fwd || dot - fwd >= (long)(sizeof dll / sizeof dll[0]) - 5)
    return STATUS_INVALID_IMAGE_FORMAT;
  for (const char* p = fwd; p < dot; ++p) dll[n++] = (WCHAR)(unsigned char)*p;
  dll[n] = 0;
  UNICODE_STRING name = {(USHORT)(n * sizeof(WCHAR)), (USHORT)((n + 1) * sizeof(WCHAR)), dll};
  PVOID base = NULL;
  IR_LDR_ENTRY* e = loader_entry_by_name(dll, n);
  if (e) {
    base = e->DllBase;
  } else {
    NTSTATUS st = LdrLoadDll(NULL, NULL, &name, &base);
    if (st != STATUS_SUCCESS) return st;
  }
  const char* func = dot + 1;
  if (func[0] == '#') {
    ULONG ordinal = 0;
    for (const char* p = func + 1; *p; ++p) {
      if (*p < '0' || *p > '9') return STATUS_INVALID_IMAGE_FORMAT;
      ordinal = ordinal * 10 + (ULONG)(*p - '0');
    }
    return loader_get_procedure(base, NULL, ordinal, address, depth + 1);
  }
  return loader_get_procedure(base, func, 0, address, depth + 1);
}

NTSTATUS loader_get_procedure(void* module, const char* name, ULONG ordinal, void** address,
                              int depth) {
  if (depth > MAX_FORWARDER_DEPTH) return STATUS_INVALID_IMAGE_FORMAT;
  ULONG size = 0;
  BYTE* base = module;
  const IMAGE_EXPORT_DIRECTORY* exp =
      RtlImageDirectoryEntryToData(module, TRUE, IMAGE_DIRECTORY_ENTRY_EXPORT, &size);
  const NTSTATUS missing = name ? STATUS_PROCEDURE_NOT_FOUND : STATUS_ORDINAL_NOT_FOUND;
  if (!exp) return missing;
  const ULONG* functions = (const ULONG*)(base + exp->AddressOfFunctions);
  ULONG index;
  if (name) {
    const ULONG* names = (const ULONG*)(base + exp->AddressOfNames);
    const USHORT* ordinals = (const USHORT*)(base + exp->AddressOfNameOrdinals);
    LONG lo = 0, hi = (LONG)exp->NumberOfNames - 1;
    for (;;) {
      if (lo > hi) return missing;
      const LONG mid = (lo + hi) / 2;
      const int c = ascii_cmp(name, (const char*)(base + names[mid]));
      if (c == 0) {
        index = ordinals[mid];
        break;
      }
      if (c < 0)
        hi = mid - 1;
      else
        lo = mid + 1;
    }
  } else {
    index = ordinal - exp->Base;
    if (ordinal < exp->Base) return missing;
  }
  if (index >= exp->NumberOfFunctions || !functions[index]) return missing;
  const ULONG rva = functions[index];
  const ULONG dir_rva = (ULONG)((const BYTE*)exp - base);
  if (rva >= dir_rva && rva < dir_rva + size)
    return follow_forwarder((const char*)(base + rva), address, depth);
  *address = base + rva;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrGetProcedureAddressForCaller(PVOID BaseAddress, PANSI_STRING Name,
                                                            ULONG Ordinal, PVOID* ProcedureAddress,
                                                            ULONG Flags, PVOID* CallBack) {
  if (!ProcedureAddress) return STATUS_INVALID_PARAMETER;
  *ProcedureAddress = NULL;
  loader_lock();
  NTSTATUS status = STATUS_DLL_NOT_FOUND;
  if (loader_entry_by_base(BaseAddress)) {
    /* Name->Buffer need not be terminated at Length: copy what fits. */
    char buffer[512];
    const char* name = NULL;
    status = STATUS_SUCCESS;
    if (Name) {
      if (Name->Length >= sizeof buffer) {
        status = STATUS_PROCEDURE_NOT_FOUND;
      } else {
        for (USHORT i = 0; i < Name->Length; ++i) buffer[i] = Name->Buffer[i];
        buffer[Name->Length] = 0;
        name = buffer;
      }
    }
    if (status == STATUS_SUCCESS)
      status = loader_get_procedure(BaseAddress, name, Ordinal, ProcedureAddress, 0);
  }
  loader_unlock();
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrGetProcedureAddress(PVOID BaseAddress, PANSI_STRING Name,
                                                   ULONG Ordinal, PVOID* ProcedureAddress) {
  return LdrGetProcedureAddressForCaller(BaseAddress, Name, Ordinal, ProcedureAddress, 0, NULL);
}
