/* Looking modules up in PEB.Ldr (which the runtime keeps: it appends entries on load and unlinks
 * them on unload) and the exports that only read or flag an entry: LdrGetDllHandle(Ex),
 * LdrGetDllFullName, LdrAddRefDll, LdrDisableThreadCalloutsForDll. */
#include "loader_private.h"

#define LDR_GET_DLL_HANDLE_EX_UNCHANGED_REFCOUNT 0x1
#define LDR_GET_DLL_HANDLE_EX_PIN 0x2
#define LDR_ADDREF_DLL_PIN 0x1

WCHAR loader_upcase(WCHAR c) {
  return (c >= 'a' && c <= 'z') ? (WCHAR)(c - 'a' + 'A') : c;
}

int loader_wcsnicmp(const WCHAR* a, const WCHAR* b, SIZE_T n) {
  for (SIZE_T i = 0; i < n; ++i) {
    const WCHAR x = loader_upcase(a[i]), y = loader_upcase(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

static IR_PEB_LDR_DATA* ldr(void) {
  return (IR_PEB_LDR_DATA*)ir_peb()->Ldr;
}

#define FOR_EACH_ENTRY(e)                                                            \
  for (LIST_ENTRY* link_ = ldr()->InLoadOrderModuleList.Flink;                       \
       link_ != &ldr()->InLoadOrderModuleList && ((e) = (IR_LDR_ENTRY*)link_, TRUE); \
       link_ = link_->Flink)

IR_LDR_ENTRY* loader_entry_by_base(const void* base) {
  IR_LDR_ENTRY* e;
  if (!ldr()) return NULL;
  FOR_EACH_ENTRY(e) {
    if (e->DllBase == base) return e;
  }
  return NULL;
}

IR_LDR_ENTRY* loader_entry_by_address(const void* address) {
  IR_LDR_ENTRY* e;
  if (!ldr()) return NULL;
  FOR_EACH_ENTRY(e) {
    if ((ULONG_PTR)address - (ULONG_PTR)e->DllBase < e->SizeOfImage) return e;
  }
  return NULL;
}

static BOOLEAN is_separator(WCHAR c) {
  return c == '\\' || c == '/';
}

IR_LDR_ENTRY* loader_entry_by_name(const WCHAR* name, SIZE_T chars) {
  static const WCHAR dll[] = {'.', 'd', 'l', 'l'};
  BOOLEAN has_path = FALSE, has_dot = FALSE;
  IR_LDR_ENTRY* e;
  if (!ldr()) return NULL;
  for (SIZE_T i = 0; i < chars; ++i) {
    if (is_separator(name[i])) has_path = TRUE, has_dot = FALSE;
    if (name[i] == '.') has_dot = TRUE;
  }
  /* "name." means exactly "name", without the implied ".dll". */
  const BOOLEAN trailing_dot = chars > 0 && name[chars - 1] == '.';
  if (trailing_dot) --chars;
  FOR_EACH_ENTRY(e) {
    const UNICODE_STRING* have = has_path ? &e->FullDllName : &e->BaseDllName;
    const SIZE_T n = have->Length / sizeof(WCHAR);
    if (n == chars && !loader_wcsnicmp(have->Buffer, name, chars)) return e;
    if (!has_dot && !trailing_dot && n == chars + 4 &&
        !loader_wcsnicmp(have->Buffer, name, chars) &&
        !loader_wcsnicmp(have->Buffer + chars, dll, 4))
      return e;
  }
  return NULL;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrGetDllHandleEx(ULONG Flags, PWSTR DllPath, PULONG DllCharacteristics,
                                              PUNICODE_STRING DllName, PVOID* DllHandle) {
  if (DllHandle) *DllHandle = NULL;
  if (Flags & ~(LDR_GET_DLL_HANDLE_EX_UNCHANGED_REFCOUNT | LDR_GET_DLL_HANDLE_EX_PIN))
    return STATUS_INVALID_PARAMETER;
  if ((Flags & LDR_GET_DLL_HANDLE_EX_UNCHANGED_REFCOUNT) && (Flags & LDR_GET_DLL_HANDLE_EX_PIN))
    return STATUS_INVALID_PARAMETER;
  if (!DllName || !DllHandle) return STATUS_INVALID_PARAMETER;
  loader_lock();
  IR_LDR_ENTRY* e = loader_entry_by_name(DllName->Buffer, DllName->Length / sizeof(WCHAR));
  NTSTATUS status = STATUS_DLL_NOT_FOUND;
  if (!e && DllName->Length >= 4 * sizeof(WCHAR) &&
      (!loader_wcsnicmp(DllName->Buffer, L"api-", 4) ||
       !loader_wcsnicmp(DllName->Buffer, L"ext-", 4))) {
    /* An API set name: the handle of its host DLL when that is loaded. */
    PVOID base = NULL;
    if (loader_IrLdrLoadDll(NULL, LOADER_FIND_ONLY, DllName, &base) == STATUS_SUCCESS && base)
      e = loader_entry_by_base(base);
  }
  if (e) {
    status = STATUS_SUCCESS;
    if (Flags & LDR_GET_DLL_HANDLE_EX_PIN)
      loader_IrLdrAddRefDll(LDR_ADDREF_DLL_PIN, (ULONG_PTR)e->DllBase);
    else if (!(Flags & LDR_GET_DLL_HANDLE_EX_UNCHANGED_REFCOUNT))
      loader_IrLdrAddRefDll(0, (ULONG_PTR)e->DllBase);
    *DllHandle = e->DllBase;
  }
  loader_unlock();
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrGetDllHandle(PWSTR DllPath, PULONG DllCharacteristics,
                                            PUNICODE_STRING DllName, PVOID* DllHandle) {
  return LdrGetDllHandleEx(LDR_GET_DLL_HANDLE_EX_UNCHANGED_REFCOUNT, DllPath, DllCharacteristics,
                           DllName, DllHandle);
}

NTDLL_EXPORT NTSTATUS NTAPI LdrGetDllFullName(PVOID DllHandle, PUNICODE_STRING FullDllName) {
  if (!DllHandle) DllHandle = ir_peb()->ImageBaseAddress;
  loader_lock();
  IR_LDR_ENTRY* e = loader_entry_by_base(DllHandle);
  NTSTATUS status = STATUS_DLL_NOT_FOUND;
  if (e) {
    const USHORT len = e->FullDllName.Length;
    if (FullDllName->MaximumLength < len + sizeof(WCHAR)) {
      status = STATUS_BUFFER_TOO_SMALL;
    } else {
      for (USHORT i = 0; i < len / sizeof(WCHAR); ++i)
        FullDllName->Buffer[i] = e->FullDllName.Buffer[i];
      FullDllName->Buffer[len / sizeof(WCHAR)] = 0;
      status = STATUS_SUCCESS;
    }
    FullDllName->Length = len;
  }
  loader_unlock();
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrAddRefDll(ULONG Flags, PVOID BaseAddress) {
  if (Flags & ~LDR_ADDREF_DLL_PIN) return STATUS_INVALID_PARAMETER;
  loader_lock();
  NTSTATUS status = loader_entry_by_base(BaseAddress)
                        ? loader_IrLdrAddRefDll(Flags, (ULONG_PTR)BaseAddress)
                        : STATUS_INVALID_PARAMETER;
  loader_unlock();
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrDisableThreadCalloutsForDll(PVOID BaseAddress) {
  loader_lock();
  IR_LDR_ENTRY* e = loader_entry_by_base(BaseAddress);
  /* A DLL with implicit TLS needs its thread notifications (Windows refuses it, as Wine does, with
   * STATUS_DLL_NOT_FOUND). The flag is what thread_notify.c skips the DLL for. */
  ULONG tls_size = 0;
  if (e && RtlImageDirectoryEntryToData(BaseAddress, TRUE, IMAGE_DIRECTORY_ENTRY_TLS, &tls_size))
    e = NULL;
  if (e) e->Flags |= LDRP_DONT_CALL_FOR_THREADS;
  loader_unlock();
  return e ? STATUS_SUCCESS : STATUS_DLL_NOT_FOUND;
}

/* RTL_PROCESS_MODULES as NtQuerySystemInformation(SystemModuleInformation) lays it out, for the
 * process's own modules in load order. */
typedef struct IR_PROCESS_MODULE_INFORMATION {
  HANDLE Section;
  PVOID MappedBase;
  PVOID ImageBase;
  ULONG ImageSize;
  ULONG Flags;
  USHORT LoadOrderIndex;
  USHORT InitOrderIndex;
  USHORT LoadCount;
  USHORT OffsetToFileName;
  UCHAR FullPathName[256];
} IR_PROCESS_MODULE_INFORMATION;

typedef struct IR_PROCESS_MODULES {
  ULONG NumberOfModules;
  IR_PROCESS_MODULE_INFORMATION Modules[1];
} IR_PROCESS_MODULES;

static void fill_module(IR_PROCESS_MODULE_INFORMATION* m, const IR_LDR_ENTRY* e, USHORT index) {
  m->Section = NULL;
  m->MappedBase = NULL;
  m->ImageBase = e->DllBase;
  m->ImageSize = e->SizeOfImage;
  m->Flags = e->Flags;
  m->LoadOrderIndex = index;
  m->InitOrderIndex = 0;
  m->LoadCount = e->ObsoleteLoadCount;
  /* The path in ANSI: ASCII as is, anything else as '?' (no code page needed here). */
  const SIZE_T n = e->FullDllName.Length / sizeof(WCHAR);
  SIZE_T i = 0, file = 0;
  for (; i < n && i < sizeof m->FullPathName - 1; ++i) {
    const WCHAR c = e->FullDllName.Buffer[i];
    m->FullPathName[i] = c < 0x80 ? (UCHAR)c : '?';
    if (c == '\\') file = i + 1;
  }
  m->FullPathName[i] = 0;
  m->OffsetToFileName = (USHORT)file;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrQueryProcessModuleInformation(IR_PROCESS_MODULES* Modules,
                                                             ULONG Size, PULONG ReturnedSize) {
  const ULONG header = offsetof(IR_PROCESS_MODULES, Modules);
  ULONG needed = header, count = 0;
  IR_LDR_ENTRY* e;
  NTSTATUS status = STATUS_SUCCESS;
  loader_lock();
  FOR_EACH_ENTRY(e) {
    needed += sizeof(IR_PROCESS_MODULE_INFORMATION);
    if (needed <= Size)
      fill_module(&Modules->Modules[count], e, (USHORT)count);
    else
      status = STATUS_INFO_LENGTH_MISMATCH;
    ++count;
  }
  loader_unlock();
  if (Size >= header) Modules->NumberOfModules = count;
  if (ReturnedSize) *ReturnedSize = needed;
  return status;
}
