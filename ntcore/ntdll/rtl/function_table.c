/* Finding a function's unwind data: the exception directory (.pdata) of the module containing
 * the PC (modules from PEB.Ldr, which the runtime's loader fills), else the tables registered at
 * run time with RtlAddFunctionTable or RtlInstallFunctionTableCallback (code made at run time). */
#include "exception_private.h"

PVOID exceptions_image_of(ULONG_PTR pc, ULONG* size) {
  IR_PEB* peb = ir_peb();
  IR_PEB_LDR_DATA* ldr = peb ? (IR_PEB_LDR_DATA*)peb->Ldr : NULL;
  if (!ldr || !ldr->InLoadOrderModuleList.Flink) return NULL;
  for (LIST_ENTRY* e = ldr->InLoadOrderModuleList.Flink; e != &ldr->InLoadOrderModuleList;
       e = e->Flink) {
    IR_LDR_ENTRY* m = CONTAINING_RECORD(e, IR_LDR_ENTRY, InLoadOrderLinks);
    if (pc - (ULONG_PTR)m->DllBase < m->SizeOfImage) {
      if (size) *size = m->SizeOfImage;
      return m->DllBase;
    }
  }
  return NULL;
}

NTDLL_EXPORT PVOID NTAPI RtlPcToFileHeader(PVOID pc, PVOID* base) {
  *base = exceptions_image_of((ULONG_PTR)pc, NULL);
  return *base;
}

/* The image's RUNTIME_FUNCTION array (sorted by BeginAddress, as the PE format requires). */
static PRUNTIME_FUNCTION image_functions(BYTE* image, ULONG* count) {
  const IMAGE_DOS_HEADER* dos = (const IMAGE_DOS_HEADER*)image;
  if (dos->e_magic != IMAGE_DOS_SIGNATURE) return NULL;
  const IMAGE_NT_HEADERS64* nt = (const IMAGE_NT_HEADERS64*)(image + dos->e_lfanew);
  if (nt->Signature != IMAGE_NT_SIGNATURE ||
      nt->OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR64_MAGIC ||
      nt->OptionalHeader.NumberOfRvaAndSizes <= IMAGE_DIRECTORY_ENTRY_EXCEPTION)
    return NULL;
  const IMAGE_DATA_DIRECTORY* dir =
      &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXCEPTION];
  if (!dir->VirtualAddress || !dir->Size) return NULL;
  *count = dir->Size / sizeof(RUNTIME_FUNCTION);
  return (PRUNTIME_FUNCTION)(image + dir->VirtualAddress);
}

/* An entry whose UnwindData has bit 0 set points at the RUNTIME_FUNCTION it shares. */
static PRUNTIME_FUNCTION resolve_indirect(PRUNTIME_FUNCTION fe, ULONG_PTR base) {
  if (fe && (fe->UnwindData & 1)) return (PRUNTIME_FUNCTION)(base + (fe->UnwindData & ~1u));
  return fe;
}

NTDLL_EXPORT PRUNTIME_FUNCTION NTAPI RtlLookupFunctionEntry(DWORD64 pc, PDWORD64 base,
                                                            PUNWIND_HISTORY_TABLE table) {
  ULONG size = 0;
  BYTE* image = exceptions_image_of(pc, &size);
  if (image) {
    *base = (DWORD64)image;
    ULONG count = 0;
    PRUNTIME_FUNCTION functions = image_functions(image, &count);
    const ULONG rva = (ULONG)(pc - (ULONG_PTR)image);
    ULONG lo = 0, hi = count;
    while (lo < hi) {
      const ULONG mid = lo + (hi - lo) / 2;
      if (rva < functions[mid].BeginAddress) {
        hi = mid;
      } else if (rva >= functions[mid].EndAddress) {
        lo = mid + 1;
      } else {
        return resolve_indirect(&functions[mid], (ULONG_PTR)image);
      }
    }
    return NULL;
  }
  ULONG_PTR dyn_base = 0;
  PRUNTIME_FUNCTION fe = exceptions_dynamic_lookup(pc, &dyn_base);
  if (fe) *base = dyn_base;
  return resolve_indirect(fe, dyn_base);
}

/* ---- Dynamic function tables -------------------------------------------------------------- */

typedef struct DYNAMIC_TABLE {
  LIST_ENTRY link;
  PRUNTIME_FUNCTION functions; /* the table, or the identifier of a callback table */
  ULONG count;
  ULONG_PTR base;
  ULONG_PTR start, end; /* the code range the table covers */
  PGET_RUNTIME_FUNCTION_CALLBACK callback;
  PVOID context;
} DYNAMIC_TABLE;

static LIST_ENTRY dynamic_tables = {&dynamic_tables, &dynamic_tables};
static volatile LONG dynamic_lock;

static void add_table(DYNAMIC_TABLE* t) {
  exceptions_lock(&dynamic_lock);
  t->link.Flink = &dynamic_tables;
  t->link.Blink = dynamic_tables.Blink;
  dynamic_tables.Blink->Flink = &t->link;
  dynamic_tables.Blink = &t->link;
  exceptions_unlock(&dynamic_lock);
}

NTDLL_EXPORT BOOLEAN __cdecl RtlAddFunctionTable(PRUNTIME_FUNCTION functions, DWORD count,
                                                 DWORD64 base) {
  DYNAMIC_TABLE* t = exceptions_alloc_node();
  if (!t) return FALSE;
  t->functions = functions;
  t->count = count;
  t->base = base;
  t->callback = NULL;
  t->context = NULL;
  /* The table need not be sorted: its range is the span of its entries. */
  t->start = count ? ~(ULONG_PTR)0 : 0;
  t->end = 0;
  for (DWORD i = 0; i < count; i++) {
    if (base + functions[i].BeginAddress < t->start) t->start = base + functions[i].BeginAddress;
    if (base + functions[i].EndAddress > t->end) t->end = base + functions[i].EndAddress;
  }
  add_table(t);
  return TRUE;
}

/* The identifier's two low bits must be set: that is how RtlDeleteFunctionTable (and
 * debuggers) tell a callback table from a RUNTIME_FUNCTION array. */
NTDLL_EXPORT BOOLEAN __cdecl RtlInstallFunctionTableCallback(
    DWORD64 id, DWORD64 base, DWORD length, PGET_RUNTIME_FUNCTION_CALLBACK callback, PVOID context,
    PCWSTR out_of_process_dll) {
  if ((id & 3) != 3 || !callback) return FALSE;
  DYNAMIC_TABLE* t = exceptions_alloc_node();
  if (!t) return FALSE;
  t->functions = (PRUNTIME_FUNCTION)id;
  t->count = 0;
  t->base = base;
  t->start = base;
  t->end = base + length;
  t->callback = callback;
  t->context = context;
  add_table(t);
  return TRUE;
}

NTDLL_EXPORT BOOLEAN __cdecl RtlDeleteFunctionTable(PRUNTIME_FUNCTION functions) {
  DYNAMIC_TABLE* found = NULL;
  exceptions_lock(&dynamic_lock);
  for (LIST_ENTRY* e = dynamic_tables.Flink; e != &dynamic_tables; e = e->Flink) {
    DYNAMIC_TABLE* t = CONTAINING_RECORD(e, DYNAMIC_TABLE, link);
    if (t->functions == functions) {
      e->Blink->Flink = e->Flink;
      e->Flink->Blink = e->Blink;
      found = t;
      break;
    }
  }
  exceptions_unlock(&dynamic_lock);
  if (!found) return FALSE;
  exceptions_free_node(found);
  return TRUE;
}

PRUNTIME_FUNCTION exceptions_dynamic_lookup(ULONG_PTR pc, ULONG_PTR* base) {
  DYNAMIC_TABLE found = {0};
  BOOLEAN hit = FALSE;
  exceptions_lock(&dynamic_lock);
  for (LIST_ENTRY* e = dynamic_tables.Flink; e != &dynamic_tables; e = e->Flink) {
    DYNAMIC_TABLE* t = CONTAINING_RECORD(e, DYNAMIC_TABLE, link);
    if (pc >= t->start && pc < t->end) {
      found = *t;
      hit = TRUE;
      break;
    }
  }
  exceptions_unlock(&dynamic_lock);
  if (!hit) return NULL;
  *base = found.base;
  if (found.callback) return found.callback(pc, found.context); /* outside the lock */
  const ULONG rva = (ULONG)(pc - found.base);
  for (ULONG i = 0; i < found.count; i++)
    if (rva >= found.functions[i].BeginAddress && rva < found.functions[i].EndAddress)
      return &found.functions[i];
  return NULL;
}
