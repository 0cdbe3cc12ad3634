/* The loader family: PE image helpers, module handles and exports, LdrLoadDll / LdrUnloadDll
 * with DllMain and reference counts (on ir_ldrtest.dll and ir_ldrtest_fail.dll, built from
 * ldrtest_dll.c next to this program: the application's directory is searched first), the
 * loader lock. */
#include "nttest.h"

typedef struct ANSI_STRING {
  USHORT Length;
  USHORT MaximumLength;
  char* Buffer;
} ANSI_STRING;

typedef struct LIST_ENTRY {
  struct LIST_ENTRY *Flink, *Blink;
} LIST_ENTRY;

typedef struct LDR_ENTRY {
  LIST_ENTRY InLoadOrderLinks;
  LIST_ENTRY InMemoryOrderLinks;
  LIST_ENTRY InInitializationOrderLinks;
  PVOID DllBase;
  PVOID EntryPoint;
  ULONG SizeOfImage;
  UNICODE_STRING FullDllName;
  UNICODE_STRING BaseDllName;
  ULONG Flags;
} LDR_ENTRY;

typedef struct LDR_DATA {
  ULONG Length;
  UCHAR Initialized;
  PVOID SsHandle;
  LIST_ENTRY InLoadOrderModuleList;
  LIST_ENTRY InMemoryOrderModuleList;
  LIST_ENTRY InInitializationOrderModuleList;
} LDR_DATA;

#define STATUS_DLL_NOT_FOUND ((NTSTATUS)0xC0000135)
#define STATUS_DLL_INIT_FAILED ((NTSTATUS)0xC0000142)
#define STATUS_PROCEDURE_NOT_FOUND ((NTSTATUS)0xC000007A)
#define STATUS_INVALID_PARAMETER_1 ((NTSTATUS)0xC00000EF)
#define STATUS_INVALID_PARAMETER_2 ((NTSTATUS)0xC00000F0)
#define STATUS_INVALID_PARAMETER_3 ((NTSTATUS)0xC00000F1)
#define STATUS_RESOURCE_DATA_NOT_FOUND ((NTSTATUS)0xC0000089)
#define STATUS_RESOURCE_TYPE_NOT_FOUND ((NTSTATUS)0xC000008A)
#define STATUS_RESOURCE_NAME_NOT_FOUND ((NTSTATUS)0xC000008B)
#define STATUS_SXS_KEY_NOT_FOUND ((NTSTATUS)0xC0150008)

NTSTATUS NTAPI LdrLoadDll(const WCHAR* path, ULONG* flags, const UNICODE_STRING* name, PVOID* base);
NTSTATUS NTAPI LdrUnloadDll(PVOID base);
void NTAPI LdrShutdownProcess(void);
NTSTATUS NTAPI LdrGetDllHandle(const WCHAR* path, ULONG* flags, const UNICODE_STRING* name,
                               PVOID* base);
NTSTATUS NTAPI LdrGetDllHandleEx(ULONG flags, const WCHAR* path, ULONG* chars,
                                 const UNICODE_STRING* name, PVOID* base);
NTSTATUS NTAPI LdrGetDllFullName(PVOID base, UNICODE_STRING* name);
NTSTATUS NTAPI LdrGetProcedureAddress(PVOID base, const ANSI_STRING* name, ULONG ordinal,
                                      PVOID* address);
NTSTATUS NTAPI LdrAddRefDll(ULONG flags, PVOID base);
typedef struct PROCESS_MODULE {
  HANDLE Section;
  PVOID MappedBase, ImageBase;
  ULONG ImageSize, Flags;
  USHORT LoadOrderIndex, InitOrderIndex, LoadCount, OffsetToFileName;
  char FullPathName[256];
} PROCESS_MODULE;
NTSTATUS NTAPI LdrQueryProcessModuleInformation(void* modules, ULONG size, ULONG* returned);
NTSTATUS NTAPI LdrDisableThreadCalloutsForDll(PVOID base);
NTSTATUS NTAPI LdrLockLoaderLock(ULONG flags, ULONG* disposition, ULONG_PTR* cookie);
NTSTATUS NTAPI LdrUnlockLoaderLock(ULONG flags, ULONG_PTR cookie);
PVOID NTAPI RtlImageNtHeader(PVOID base);
typedef struct LDR_RESOURCE_INFO {
  ULONG_PTR Type, Name;
  ULONG Language;
} LDR_RESOURCE_INFO;
typedef struct RESOURCE_DATA_ENTRY {
  ULONG OffsetToData, Size, CodePage, Reserved;
} RESOURCE_DATA_ENTRY;
NTSTATUS NTAPI LdrFindResource_U(PVOID base, const LDR_RESOURCE_INFO* info, ULONG level,
                                 const RESOURCE_DATA_ENTRY** entry);
NTSTATUS NTAPI LdrFindResourceDirectory_U(PVOID base, const LDR_RESOURCE_INFO* info, ULONG level,
                                          const void** dir);
NTSTATUS NTAPI LdrAccessResource(PVOID base, const RESOURCE_DATA_ENTRY* entry, PVOID* data,
                                 ULONG* size);
NTSTATUS NTAPI RtlFlsAlloc(void(NTAPI* callback)(PVOID), ULONG* index);
NTSTATUS NTAPI RtlFlsFree(ULONG index);
NTSTATUS NTAPI RtlFlsSetValue(ULONG index, PVOID data);
NTSTATUS NTAPI RtlFlsGetValue(ULONG index, PVOID* data);
NTSTATUS NTAPI RtlCreateActivationContext(HANDLE* handle, const void* actctx);
NTSTATUS NTAPI RtlActivateActivationContext(ULONG flags, HANDLE handle, ULONG_PTR* cookie);
void NTAPI RtlDeactivateActivationContext(ULONG flags, ULONG_PTR cookie);
void NTAPI RtlAddRefActivationContext(HANDLE handle);
void NTAPI RtlReleaseActivationContext(HANDLE handle);
NTSTATUS NTAPI RtlGetActiveActivationContext(HANDLE* handle);
NTSTATUS NTAPI RtlFindActivationContextSectionString(ULONG flags, const void* guid, ULONG kind,
                                                     const UNICODE_STRING* name, void* data);
NTSTATUS NTAPI RtlQueryInformationActivationContext(ULONG flags, HANDLE handle, PVOID sub,
                                                    ULONG cls, PVOID buf, SIZE_T size,
                                                    SIZE_T* written);
NTSTATUS NTAPI RtlQueryActivationContextApplicationSettings(ULONG flags, HANDLE handle,
                                                            const WCHAR* ns, const WCHAR* name,
                                                            WCHAR* buf, SIZE_T size,
                                                            SIZE_T* written);
NTSTATUS NTAPI ApiSetQueryApiSetPresence(const UNICODE_STRING* name, BOOLEAN* present);
NTSTATUS NTAPI ApiSetQueryApiSetPresenceEx(const UNICODE_STRING* name, BOOLEAN* in_schema,
                                           BOOLEAN* present);
NTSTATUS NTAPI LdrSetDllDirectory(const UNICODE_STRING* dir);
NTSTATUS NTAPI LdrGetDllDirectory(UNICODE_STRING* dir);
NTSTATUS NTAPI LdrAddDllDirectory(const UNICODE_STRING* dir, PVOID* cookie);
NTSTATUS NTAPI LdrRemoveDllDirectory(PVOID cookie);
NTSTATUS NTAPI LdrSetDefaultDllDirectories(ULONG flags);
NTSTATUS NTAPI LdrGetDllPath(const WCHAR* module, ULONG flags, WCHAR** path, WCHAR** unknown);
void NTAPI RtlReleasePath(WCHAR* path);
typedef struct DELAYLOAD_DESCRIPTOR {
  ULONG Attributes, DllNameRVA, ModuleHandleRVA, ImportAddressTableRVA, ImportNameTableRVA;
  ULONG BoundImportAddressTableRVA, UnloadInformationTableRVA, TimeDateStamp;
} DELAYLOAD_DESCRIPTOR;
typedef struct DELAYLOAD_INFO {
  ULONG Size;
  const DELAYLOAD_DESCRIPTOR* Descriptor;
  ULONGLONG* ThunkAddress;
  const char* TargetDllName;
  ULONG ImportDescribedByName;
  const char* Name;
  PVOID TargetModuleBase;
  PVOID Unused;
  ULONG LastError;
} DELAYLOAD_INFO;
PVOID NTAPI LdrResolveDelayLoadedAPI(PVOID base, const DELAYLOAD_DESCRIPTOR* desc, PVOID dll_hook,
                                     PVOID system_hook, ULONGLONG* thunk, ULONG flags);

/* Wine's own exports: not in mingw's import library, so looked up at run time. */
typedef NTSTATUS(NTAPI* NtToUnixFn)(const OBJECT_ATTRIBUTES* attr, char* name, ULONG* size,
                                    ULONG disposition);
typedef NTSTATUS(NTAPI* UnixToNtFn)(const char* name, WCHAR* buffer, ULONG* size);
PVOID NTAPI RtlImageDirectoryEntryToData(PVOID base, BOOLEAN image, USHORT dir, ULONG* size);
PVOID NTAPI RtlImageRvaToSection(PVOID nt, PVOID base, ULONG rva);
PVOID NTAPI RtlImageRvaToVa(PVOID nt, PVOID base, ULONG rva, PVOID* last);

static void init_ansi(ANSI_STRING* a, const char* s) {
  a->Buffer = (char*)s;
  a->Length = (USHORT)nt_strlen(s);
  a->MaximumLength = a->Length + 1;
}

static PVOID image_base(void) {
  return nt_peb()->ImageBaseAddress;
}

static PVOID ntdll_handle(void) {
  UNICODE_STRING name;
  PVOID h = NULL;
  nt_init_ustr(&name, L"ntdll.dll");
  CHECK_OK(LdrGetDllHandle(NULL, NULL, &name, &h));
  return h;
}

/* The PEB.Ldr entry of base in a list (offset of its links in LDR_ENTRY), NULL when absent. */
static LDR_ENTRY* find_entry(PVOID base, int list) {
  LDR_DATA* ldr = (LDR_DATA*)nt_peb()->Ldr;
  LIST_ENTRY* head = list == 0   ? &ldr->InLoadOrderModuleList
                     : list == 1 ? &ldr->InMemoryOrderModuleList
                                 : &ldr->InInitializationOrderModuleList;
  for (LIST_ENTRY* l = head->Flink; l != head; l = l->Flink) {
    LDR_ENTRY* e = (LDR_ENTRY*)((char*)l - list * sizeof(LIST_ENTRY));
    if (e->DllBase == base) return e;
  }
  return NULL;
}

static int ends_with(const UNICODE_STRING* s, const WCHAR* tail) {
  const size_t n = nt_wcslen(tail), have = s->Length / sizeof(WCHAR);
  return have >= n && nt_wcsnicmp(s->Buffer + have - n, tail, n) == 0;
}

static void test_image_headers(void) {
  unsigned char* base = image_base();
  unsigned char* nt = RtlImageNtHeader(base);
  CHECK(nt != NULL);
  if (nt) CHECK(nt == base + *(LONG*)(base + 0x3C) && nt[0] == 'P' && nt[1] == 'E' && !nt[2]);
  static unsigned char not_pe[0x200];
  CHECK(RtlImageNtHeader(not_pe) == NULL);
  not_pe[0] = 'M', not_pe[1] = 'Z', not_pe[0x3C] = 0x40; /* MZ, but no PE signature */
  CHECK(RtlImageNtHeader(not_pe) == NULL);

  PVOID ntdll = ntdll_handle();
  ULONG size = 0;
  unsigned char* exports = RtlImageDirectoryEntryToData(ntdll, TRUE, 0, &size);
  CHECK(exports != NULL);
  CHECK(size > 40);
  size = 0x1234;
  CHECK(RtlImageDirectoryEntryToData(ntdll, TRUE, 16, &size) == NULL);
  CHECK(RtlImageDirectoryEntryToData(not_pe, TRUE, 0, &size) == NULL);

  /* The section holding the export directory, and the file-layout address of an RVA. */
  unsigned char* nth = RtlImageNtHeader(ntdll);
  const ULONG rva = (ULONG)(exports - (unsigned char*)ntdll);
  unsigned char* sec = RtlImageRvaToSection(nth, ntdll, rva);
  CHECK(sec != NULL);
  if (sec) {
    const ULONG va = *(ULONG*)(sec + 12), raw = *(ULONG*)(sec + 20);
    CHECK(rva >= va);
    PVOID last = NULL;
    CHECK(RtlImageRvaToVa(nth, ntdll, rva, &last) == (unsigned char*)ntdll + raw + (rva - va));
    CHECK(last == sec);
  }
  CHECK(RtlImageRvaToSection(nth, ntdll, 0x7FFFFFF0) == NULL);
  CHECK(RtlImageRvaToVa(nth, ntdll, 0x7FFFFFF0, NULL) == NULL);
}

static void test_handles_and_names(void) {
  PVOID ntdll = ntdll_handle(), h = (PVOID)1;
  UNICODE_STRING name;
  CHECK(ntdll != NULL);
  CHECK(find_entry(ntdll, 0) != NULL);
  nt_init_ustr(&name, L"NTDLL");
  CHECK_OK(LdrGetDllHandle(NULL, NULL, &name, &h));
  CHECK(h == ntdll);
  nt_init_ustr(&name, L"ir_no_such_dll.dll");
  CHECK_STATUS(LdrGetDllHandle(NULL, NULL, &name, &h), STATUS_DLL_NOT_FOUND);
  nt_init_ustr(&name, L"ntdll.dll");
  CHECK_STATUS(LdrGetDllHandleEx(3, NULL, NULL, &name, &h), STATUS_INVALID_PARAMETER);
  /* Undefined flags are refused on Windows (GetModuleHandleEx's ERROR_INVALID_PARAMETER); Wine
   * ignores them. */
  if (!nt_is_wine())
    CHECK_STATUS(LdrGetDllHandleEx(4, NULL, NULL, &name, &h), STATUS_INVALID_PARAMETER);
  CHECK_OK(LdrGetDllHandleEx(1, NULL, NULL, &name, &h));
  CHECK(h == ntdll);

  WCHAR buf[260];
  UNICODE_STRING full = {0, sizeof buf, buf};
  CHECK_OK(LdrGetDllFullName(NULL, &full));
  CHECK(ends_with(&full, L"\\ntdll_rtl_loader.exe"));
  CHECK_OK(LdrGetDllFullName(ntdll, &full));
  CHECK(ends_with(&full, L"\\system32\\ntdll.dll"));
  UNICODE_STRING tiny = {0, 4, buf};
  CHECK_STATUS(LdrGetDllFullName(ntdll, &tiny), STATUS_BUFFER_TOO_SMALL);
  CHECK_STATUS(LdrGetDllFullName((PVOID)0x12340000, &full), STATUS_DLL_NOT_FOUND);
}

static void test_module_information(void) {
  static union {
    ULONG count;
    UCHAR bytes[64 * sizeof(PROCESS_MODULE) + 8];
  } info;
  ULONG needed = 0;
  CHECK_STATUS(LdrQueryProcessModuleInformation(&info, 4, &needed), STATUS_INFO_LENGTH_MISMATCH);
  CHECK(needed >= 8 + 2 * sizeof(PROCESS_MODULE));
  CHECK_STATUS(LdrQueryProcessModuleInformation(&info, needed - 1, &needed),
               STATUS_INFO_LENGTH_MISMATCH);
  CHECK_OK(LdrQueryProcessModuleInformation(&info, sizeof info, &needed));
  /* Modules[] is pointer-aligned (offset 8); Wine counts the header as 4 bytes. */
  CHECK_EQ(needed, (nt_is_wine() ? 4 : 8) + info.count * sizeof(PROCESS_MODULE));
  const PROCESS_MODULE* m = (const PROCESS_MODULE*)(info.bytes + 8);
  CHECK(info.count >= 2);
  CHECK(m[0].ImageBase == image_base()); /* load order: the program first */
  int saw_ntdll = 0;
  for (ULONG i = 0; i < info.count && i < 64; ++i) {
    if (m[i].ImageBase != ntdll_handle()) continue;
    saw_ntdll = 1;
    CHECK(nt_strcmp(m[i].FullPathName + m[i].OffsetToFileName, "ntdll.dll") == 0);
    CHECK(m[i].ImageSize > 0);
  }
  CHECK(saw_ntdll);
}

static void test_procedures(void) {
  PVOID ntdll = ntdll_handle(), p = (PVOID)1;
  ANSI_STRING name;
  init_ansi(&name, "NtClose");
  CHECK_OK(LdrGetProcedureAddress(ntdll, &name, 0, &p));
  CHECK(p == (PVOID)NtClose);
  init_ansi(&name, "IrNoSuchExport");
  CHECK_STATUS(LdrGetProcedureAddress(ntdll, &name, 0, &p), STATUS_PROCEDURE_NOT_FOUND);
  init_ansi(&name, "NtClose");
  CHECK_STATUS(LdrGetProcedureAddress((PVOID)0x12340000, &name, 0, &p), STATUS_DLL_NOT_FOUND);
  CHECK_FAILS(LdrGetProcedureAddress(ntdll, NULL, 0xFFFF, &p));
}

typedef LONG (*LongFn)(void);
typedef void (*SinkFn)(LONG*);

static PVOID proc(PVOID module, const char* s) {
  ANSI_STRING name;
  PVOID p = NULL;
  init_ansi(&name, s);
  CHECK_OK(LdrGetProcedureAddress(module, &name, 0, &p));
  return p;
}

static void test_load_unload(void) {
  UNICODE_STRING name;
  PVOID h = NULL, again = NULL, p = NULL;
  LONG detaches = 0;
  nt_init_ustr(&name, L"ir_ldrtest.dll");
  CHECK_STATUS(LdrGetDllHandle(NULL, NULL, &name, &h), STATUS_DLL_NOT_FOUND);
  CHECK_OK(LdrLoadDll(NULL, NULL, &name, &h));
  CHECK(h != NULL);
  if (!h) return;
  LongFn attach_count = (LongFn)proc(h, "ldrtest_attach_count");
  if (!attach_count) return;
  CHECK_EQ(attach_count(), 1);
  CHECK_EQ(((LongFn)proc(h, "ldrtest_value"))(), 42);
  /* Its implicit TLS: this thread got a block from the template, and the callback ran. */
  CHECK_EQ(((LongFn)proc(h, "ldrtest_tls_value"))(), 0x1234);
  CHECK_EQ(((LongFn)proc(h, "ldrtest_tls_attaches"))(), 1);
  CHECK_OK(LdrGetProcedureAddress(h, NULL, 7, &p)); /* NONAME ordinal */
  if (p) CHECK_EQ(((LongFn)p)(), 7);
  CHECK(proc(h, "ldrtest_fwd_close") == (PVOID)NtClose); /* forwarded to ntdll.NtClose */
  ANSI_STRING fwd;
  init_ansi(&fwd, "ldrtest_fwd_missing");
  CHECK_FAILS(LdrGetProcedureAddress(h, &fwd, 0, &p)); /* its DLL does not exist */

  /* In PEB.Ldr's three lists, named as found: next to this program. */
  LDR_ENTRY* e = find_entry(h, 0);
  CHECK(e != NULL);
  CHECK(find_entry(h, 1) != NULL);
  CHECK(find_entry(h, 2) != NULL);
  if (e) {
    CHECK(ends_with(&e->BaseDllName, L"ir_ldrtest.dll"));
    CHECK(e->BaseDllName.Length == 14 * sizeof(WCHAR));
    CHECK(ends_with(&e->FullDllName, L"\\ir_ldrtest.dll"));
  }
  PVOID found = NULL;
  CHECK_OK(LdrGetDllHandle(NULL, NULL, &name, &found));
  CHECK(found == h);

  /* A second load is a reference, not a second attach; the last unload detaches. */
  CHECK_OK(LdrLoadDll(NULL, NULL, &name, &again));
  CHECK(again == h);
  CHECK_EQ(attach_count(), 1);
  ((SinkFn)proc(h, "ldrtest_set_detach_sink"))(&detaches);
  CHECK_OK(LdrUnloadDll(h));
  CHECK_EQ(detaches, 0);
  CHECK_OK(LdrAddRefDll(0, h));
  CHECK_OK(LdrUnloadDll(h));
  CHECK_EQ(detaches, 0);
  CHECK_OK(LdrUnloadDll(h));
  CHECK_EQ(detaches, 1);
  CHECK_STATUS(LdrGetDllHandle(NULL, NULL, &name, &found), STATUS_DLL_NOT_FOUND);
  CHECK(find_entry(h, 0) == NULL);
  CHECK(find_entry(h, 2) == NULL);
  CHECK_FAILS(LdrUnloadDll(h));
  CHECK_FAILS(LdrAddRefDll(0, h));

  /* By full path (this program's directory), then pinned: unloads no longer detach. */
  WCHAR path[300];
  UNICODE_STRING full = {0, sizeof path - 40, path};
  CHECK_OK(LdrGetDllFullName(NULL, &full));
  size_t n = full.Length / sizeof(WCHAR);
  while (n > 0 && path[n - 1] != '\\') --n;
  const WCHAR* file = L"ir_ldrtest.dll";
  for (size_t i = 0; file[i]; ++i) path[n++] = file[i];
  path[n] = 0;
  nt_init_ustr(&full, path);
  h = NULL;
  CHECK_OK(LdrLoadDll(NULL, NULL, &full, &h));
  CHECK(h != NULL);
  if (!h) return;
  /* The same file by its path without the extension: ".dll" is implied, the module is the same. */
  PVOID same = NULL;
  full.Length -= 4 * sizeof(WCHAR);
  path[full.Length / sizeof(WCHAR)] = 0;
  CHECK_OK(LdrLoadDll(NULL, NULL, &full, &same));
  CHECK(same == h);
  CHECK_OK(LdrUnloadDll(same));
  detaches = 0;
  ((SinkFn)proc(h, "ldrtest_set_detach_sink"))(&detaches);
  /* Refused for a DLL with implicit TLS (Windows: DisableThreadLibraryCalls fails then). */
  CHECK_STATUS(LdrDisableThreadCalloutsForDll(h), STATUS_DLL_NOT_FOUND);
  CHECK_OK(LdrDisableThreadCalloutsForDll(ntdll_handle()));
  CHECK_STATUS(LdrDisableThreadCalloutsForDll((PVOID)0x12340000), STATUS_DLL_NOT_FOUND);
  CHECK_OK(LdrAddRefDll(1, h)); /* LDR_ADDREF_DLL_PIN */
  CHECK_OK(LdrUnloadDll(h));
  CHECK_OK(LdrUnloadDll(h));
  CHECK_EQ(detaches, 0);
  CHECK_OK(LdrGetDllHandle(NULL, NULL, &name, &found));
  CHECK(found == h);
}

static void test_load_failures(void) {
  UNICODE_STRING name;
  PVOID h = (PVOID)1;
  nt_init_ustr(&name, L"ir_no_such_dll.dll");
  CHECK_STATUS(LdrLoadDll(NULL, NULL, &name, &h), STATUS_DLL_NOT_FOUND);
  CHECK(h == NULL);

  /* DllMain refusing DLL_PROCESS_ATTACH: the load fails and leaves nothing behind. */
  nt_init_ustr(&name, L"ir_ldrtest_fail.dll");
  h = (PVOID)1;
  CHECK_STATUS(LdrLoadDll(NULL, NULL, &name, &h), STATUS_DLL_INIT_FAILED);
  CHECK(h == NULL);
  PVOID found = NULL;
  CHECK_STATUS(LdrGetDllHandle(NULL, NULL, &name, &found), STATUS_DLL_NOT_FOUND);

  /* An explicit search path replaces the standard order: the DLL next to us is not found (Wine
   * searches the application's directory as well). */
  nt_init_ustr(&name, L"ir_ldrtest_fail.dll");
  h = (PVOID)1;
  if (!nt_is_wine())
    CHECK_STATUS(LdrLoadDll(L"C:\\ir_no_such_dir", NULL, &name, &h), STATUS_DLL_NOT_FOUND);
}

static void test_loader_lock(void) {
  ULONG disposition = 7;
  ULONG_PTR cookie = 0, inner = 0;
  CHECK_OK(LdrLockLoaderLock(0, &disposition, &cookie));
  CHECK_EQ(disposition, 1);
  CHECK(cookie != 0);
  CHECK_OK(LdrLockLoaderLock(2, &disposition, &inner)); /* recursive, try-only */
  CHECK_EQ(disposition, 1);
  CHECK_OK(LdrUnlockLoaderLock(0, inner));
  CHECK_OK(LdrUnlockLoaderLock(0, cookie));
  CHECK_OK(LdrLockLoaderLock(0, NULL, &cookie));
  /* Undefined flags: STATUS_INVALID_PARAMETER_1 on Windows; Wine does not look at them. */
  if (!nt_is_wine()) CHECK_STATUS(LdrUnlockLoaderLock(2, cookie), STATUS_INVALID_PARAMETER_1);
  CHECK_STATUS(LdrUnlockLoaderLock(0, 0xF0000001), STATUS_INVALID_PARAMETER_2);
  CHECK_OK(LdrUnlockLoaderLock(0, cookie));
  CHECK_OK(LdrUnlockLoaderLock(0, 0)); /* nothing acquired: nothing to release */

  CHECK_STATUS(LdrLockLoaderLock(4, &disposition, &cookie), STATUS_INVALID_PARAMETER_1);
  CHECK_STATUS(LdrLockLoaderLock(2, NULL, &cookie), STATUS_INVALID_PARAMETER_2);
  CHECK_STATUS(LdrLockLoaderLock(0, &disposition, NULL), STATUS_INVALID_PARAMETER_3);
}

/* ir_ldrtest.dll's hand-made resources (ldrtest_rsrc.S); the DLL stays pinned from above. */
static void test_resources(void) {
  UNICODE_STRING name;
  PVOID h = NULL, data = NULL;
  ULONG size = 0;
  const RESOURCE_DATA_ENTRY* entry = NULL;
  const void* dir = NULL;
  nt_init_ustr(&name, L"ir_ldrtest.dll");
  CHECK_OK(LdrGetDllHandle(NULL, NULL, &name, &h));
  if (!h) return;
  LDR_RESOURCE_INFO info = {10, 1, 0x409};
  CHECK_OK(LdrFindResource_U(h, &info, 3, &entry));
  if (entry) {
    CHECK_EQ(entry->Size, 5);
    CHECK_OK(LdrAccessResource(h, entry, &data, &size));
    CHECK_EQ(size, 5);
    CHECK(data && memcmp(data, "hello", 5) == 0);
  }
  CHECK_OK(LdrFindResourceDirectory_U(h, &info, 1, &dir));
  CHECK(dir != NULL);
  info.Type = (ULONG_PTR)L"IRDATA";
  info.Name = (ULONG_PTR)L"ITEM";
  info.Language = 0;
  entry = NULL;
  CHECK_OK(LdrFindResource_U(h, &info, 3, &entry));
  if (entry) {
    CHECK_OK(LdrAccessResource(h, entry, &data, &size));
    CHECK_EQ(size, 6);
    CHECK(data && memcmp(data, "named!", 6) == 0);
  }
  info.Type = 11;
  CHECK_STATUS(LdrFindResource_U(h, &info, 3, &entry), STATUS_RESOURCE_TYPE_NOT_FOUND);
  info.Type = 10;
  info.Name = 2;
  CHECK_STATUS(LdrFindResource_U(h, &info, 3, &entry), STATUS_RESOURCE_NAME_NOT_FOUND);
  info.Name = (ULONG_PTR)L"NOPE";
  CHECK_STATUS(LdrFindResource_U(h, &info, 3, &entry), STATUS_RESOURCE_NAME_NOT_FOUND);
  /* This program has no resource section at all. */
  info.Name = 1;
  CHECK_STATUS(LdrFindResource_U(image_base(), &info, 3, &entry), STATUS_RESOURCE_DATA_NOT_FOUND);
}

static PVOID fls_freed;
static LONG fls_calls;
static void NTAPI fls_callback(PVOID data) {
  fls_freed = data;
  ++fls_calls;
}

static void test_fls(void) {
  ULONG index = 0, other = 0;
  PVOID value = (PVOID)1;
  CHECK_OK(RtlFlsAlloc(fls_callback, &index));
  CHECK(index != 0 && index < 4080);
  CHECK_OK(RtlFlsGetValue(index, &value));
  CHECK(value == NULL);
  CHECK_OK(RtlFlsSetValue(index, (PVOID)0x1234));
  CHECK_OK(RtlFlsGetValue(index, &value));
  CHECK(value == (PVOID)0x1234);
  CHECK_OK(RtlFlsAlloc(NULL, &other));
  CHECK(other != index);
  CHECK_OK(RtlFlsFree(other));

  /* Freeing runs the callback on the thread's non-NULL value; the index is then invalid. */
  CHECK_OK(RtlFlsFree(index));
  CHECK_EQ(fls_calls, 1);
  CHECK(fls_freed == (PVOID)0x1234);
  CHECK_STATUS(RtlFlsFree(index), STATUS_INVALID_PARAMETER);
  /* Windows checks that the index is allocated; Wine only checks its range. */
  if (!nt_is_wine()) {
    CHECK_STATUS(RtlFlsSetValue(index, (PVOID)1), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlFlsGetValue(index, &value), STATUS_INVALID_PARAMETER);
  }
  CHECK_STATUS(RtlFlsGetValue(0, &value), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlFlsGetValue(5000, &value), STATUS_INVALID_PARAMETER);

  /* A NULL value gets no callback. */
  CHECK_OK(RtlFlsAlloc(fls_callback, &index));
  CHECK_OK(RtlFlsGetValue(index, &value));
  CHECK(value == NULL); /* a reused index starts out empty */
  CHECK_OK(RtlFlsFree(index));
  CHECK_EQ(fls_calls, 1);
}

static void test_activation_context(void) {
  HANDLE active = (HANDLE)1;
  CHECK_OK(RtlGetActiveActivationContext(&active));
  if (active) RtlReleaseActivationContext(active);
  HANDLE ctx = (HANDLE)1;
  CHECK_STATUS(RtlCreateActivationContext(&ctx, NULL), STATUS_INVALID_PARAMETER);

  /* Section searches find nothing (no manifest here, under either ntdll). */
  UNICODE_STRING name;
  nt_init_ustr(&name, L"ir_no_such_assembly.dll");
  struct {
    ULONG cbSize;
    UCHAR rest[0x60];
  } data = {sizeof data, {0}};
  CHECK_STATUS(RtlFindActivationContextSectionString(0, NULL, 2, &name, &data),
               STATUS_SXS_KEY_NOT_FOUND);
  CHECK_STATUS(RtlFindActivationContextSectionString(0x100, NULL, 2, &name, &data),
               STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlFindActivationContextSectionString(0, NULL, 2, NULL, &data),
               STATUS_INVALID_PARAMETER);

  struct {
    HANDLE handle;
    ULONG flags;
  } basic = {(HANDLE)1, 7};
  SIZE_T written = 0;
  CHECK_STATUS(RtlQueryInformationActivationContext(4, NULL, NULL, 1, &basic, 4, &written),
               STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(written, sizeof basic);
  CHECK_OK(RtlQueryInformationActivationContext(4 | 0x80000000, NULL, NULL, 1, &basic, sizeof basic,
                                                &written));

  WCHAR buf[64];
  CHECK_STATUS(RtlQueryActivationContextApplicationSettings(
                   0, NULL, L"http://schemas.microsoft.com/SMI/2005/WindowsSettings", L"dpiAware",
                   buf, 64, &written),
               STATUS_SXS_KEY_NOT_FOUND);
  CHECK_STATUS(RtlQueryActivationContextApplicationSettings(0, NULL, L"urn:ir-not-a-namespace",
                                                            L"dpiAware", buf, 64, &written),
               STATUS_INVALID_PARAMETER);
  CHECK_STATUS(
      RtlQueryActivationContextApplicationSettings(1, NULL, NULL, L"dpiAware", buf, 64, &written),
      STATUS_INVALID_PARAMETER);

  /* Activation nests: the active context is the last activated until it is deactivated. Our
   * contexts come from RtlCreateActivationContext, which needs a manifest file under Wine. */
  if (nt_is_wine()) return;
  struct {
    ULONG cbSize, dwFlags;
    const WCHAR* lpSource;
    UCHAR rest[0x30];
  } desc = {sizeof desc, 0, L"C:\\ir.manifest", {0}};
  CHECK_OK(RtlCreateActivationContext(&ctx, &desc));
  ULONG_PTR cookie = 0;
  CHECK_OK(RtlActivateActivationContext(0, ctx, &cookie));
  CHECK(cookie != 0);
  CHECK_OK(RtlGetActiveActivationContext(&active));
  CHECK(active == ctx);
  RtlReleaseActivationContext(active);
  CHECK_OK(RtlQueryInformationActivationContext(4, NULL, NULL, 1, &basic, sizeof basic, NULL));
  CHECK(basic.handle == ctx);
  RtlReleaseActivationContext(basic.handle);
  RtlDeactivateActivationContext(0, cookie);
  CHECK_OK(RtlGetActiveActivationContext(&active));
  CHECK(active == NULL);
  RtlReleaseActivationContext(ctx);
}

/* In the schema and present: sets whose host DLL (kernelbase, ucrtbase) the DLL search finds. */
static void test_api_sets(void) {
  UNICODE_STRING name;
  BOOLEAN in_schema = 7, present = 7;
  nt_init_ustr(&name, L"api-ms-win-core-file-l1-1-0");
  CHECK_OK(ApiSetQueryApiSetPresenceEx(&name, &in_schema, &present));
  CHECK(in_schema == TRUE);
  CHECK(present == TRUE);
  nt_init_ustr(&name, L"API-MS-WIN-CRT-RUNTIME-L1-1-0");
  in_schema = present = 7;
  CHECK_OK(ApiSetQueryApiSetPresenceEx(&name, &in_schema, &present));
  CHECK(in_schema == TRUE);
  CHECK(present == TRUE);
  present = 7;
  CHECK_OK(ApiSetQueryApiSetPresence(&name, &present));
  CHECK(present == TRUE);
  nt_init_ustr(&name, L"api-ms-win-ir-no-such-set-l1-1-0");
  CHECK_OK(ApiSetQueryApiSetPresenceEx(&name, &in_schema, &present));
  CHECK(in_schema == FALSE);
  CHECK(present == FALSE);
  /* The Ex form takes contract names only. */
  nt_init_ustr(&name, L"api-ms-win-core-file-l1-1-0.dll");
  CHECK_STATUS(ApiSetQueryApiSetPresenceEx(&name, &in_schema, &present), STATUS_INVALID_PARAMETER);
  nt_init_ustr(&name, L"kernel32");
  CHECK_STATUS(ApiSetQueryApiSetPresenceEx(&name, &in_schema, &present), STATUS_INVALID_PARAMETER);
  /* Wine's ApiSetQueryApiSetPresence says present for any name. */
  if (!nt_is_wine()) {
    CHECK_OK(ApiSetQueryApiSetPresence(&name, &present));
    CHECK(present == FALSE);
  }
}

static int contains_i(const WCHAR* s, const WCHAR* part) {
  const size_t n = nt_wcslen(part);
  for (; *s; ++s)
    if (nt_wcsnicmp(s, part, n) == 0) return 1;
  return 0;
}

static void test_dll_directories(void) {
  WCHAR buf[64];
  UNICODE_STRING dir, got = {0, sizeof buf, buf};
  CHECK_OK(LdrGetDllDirectory(&got));
  CHECK_EQ(got.Length, 0);
  nt_init_ustr(&dir, L"C:\\Windows");
  CHECK_OK(LdrSetDllDirectory(&dir));
  CHECK_OK(LdrGetDllDirectory(&got));
  CHECK_EQ(got.Length, dir.Length);
  CHECK(nt_wcscmp(buf, L"C:\\Windows") == 0);
  UNICODE_STRING small = {0, 4, buf};
  CHECK_STATUS(LdrGetDllDirectory(&small), STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(small.Length, dir.Length + sizeof(WCHAR)); /* what it takes, with the terminator */
  UNICODE_STRING empty = {0, 0, NULL}; /* SetDllDirectory(NULL): back to the default */
  CHECK_OK(LdrSetDllDirectory(&empty));
  got.Length = 99;
  CHECK_OK(LdrGetDllDirectory(&got));
  CHECK_EQ(got.Length, 0);

  PVOID cookie = NULL;
  CHECK_OK(LdrAddDllDirectory(&dir, &cookie));
  CHECK(cookie != NULL);
  CHECK_OK(LdrRemoveDllDirectory(cookie));
  nt_init_ustr(&dir, L"relative\\dir");
  CHECK_STATUS(LdrAddDllDirectory(&dir, &cookie), STATUS_INVALID_PARAMETER);

  /* The standard order names the application's directory and system32; the LOAD_LIBRARY_SEARCH
   * flags pick directories; LOAD_WITH_ALTERED_SEARCH_PATH puts the module's directory first. */
  WCHAR *path = NULL, *unknown = (WCHAR*)1;
  CHECK_OK(LdrGetDllPath(NULL, 0, &path, &unknown));
  CHECK(unknown == NULL);
  if (path) {
    nt_note("standard DLL path: %ls", path);
    CHECK(contains_i(path, L"c:\\windows\\system32"));
    RtlReleasePath(path);
  }
  CHECK_OK(LdrGetDllPath(NULL, 0x800, &path, &unknown)); /* LOAD_LIBRARY_SEARCH_SYSTEM32 */
  if (path) {
    nt_note("system32 only: %ls", path);
    CHECK(nt_wcsnicmp(path, L"c:\\windows\\system32", 19) == 0);
    RtlReleasePath(path);
  }
  CHECK_OK(LdrGetDllPath(L"C:\\ir\\sub\\x.dll", 0x8, &path, &unknown));
  if (path) {
    CHECK(nt_wcsnicmp(path, L"C:\\ir\\sub;", 10) == 0);
    RtlReleasePath(path);
  }
  CHECK_STATUS(LdrGetDllPath(L"C:\\ir\\x.dll", 0x808, &path, &unknown), STATUS_INVALID_PARAMETER);

  CHECK_STATUS(LdrSetDefaultDllDirectories(0), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(LdrSetDefaultDllDirectories(0x1), STATUS_INVALID_PARAMETER);
  CHECK_OK(LdrSetDefaultDllDirectories(0x1000)); /* LOAD_LIBRARY_SEARCH_DEFAULT_DIRS */
}

/* A delay-load descriptor of our own, in this image (its fields are RVAs from our base). */
static char delay_dll[] = "ir_ldrtest.dll";
static PVOID delay_module;
static ULONGLONG delay_iat[4];
static ULONGLONG delay_names[4];
static struct {
  USHORT hint;
  char name[24];
} delay_value = {0, "ldrtest_value"}, delay_missing = {0, "ldrtest_no_such_export"};
static DELAYLOAD_INFO hook_info;
static ULONG hook_reason;

static PVOID NTAPI delay_hook(ULONG reason, DELAYLOAD_INFO* info) {
  hook_reason = reason;
  hook_info = *info;
  return (PVOID)0x5150;
}

static ULONG rva(const void* p) {
  return (ULONG)((const char*)p - (const char*)image_base());
}

static void test_delay_load(void) {
  DELAYLOAD_DESCRIPTOR desc = {
      1, rva(delay_dll), rva(&delay_module), rva(delay_iat), rva(delay_names), 0, 0, 0};
  delay_names[0] = rva(&delay_value);
  delay_names[1] = 0x8000000000000000ull | 7; /* by ordinal */
  delay_names[2] = rva(&delay_missing);
  PVOID p = LdrResolveDelayLoadedAPI(image_base(), &desc, NULL, NULL, &delay_iat[0], 0);
  CHECK(p != NULL);
  CHECK(delay_iat[0] == (ULONGLONG)p);
  CHECK(delay_module != NULL);
  if (p) CHECK_EQ(((LongFn)p)(), 42);
  p = LdrResolveDelayLoadedAPI(image_base(), &desc, NULL, NULL, &delay_iat[1], 0);
  CHECK(p != NULL);
  if (p) CHECK_EQ(((LongFn)p)(), 7);
  /* A missing export: the DLL hook is asked, with DELAYLOAD_GPA_FAILURE, and its answer kept. */
  p = LdrResolveDelayLoadedAPI(image_base(), &desc, delay_hook, NULL, &delay_iat[2], 0);
  CHECK(p == (PVOID)0x5150);
  CHECK_EQ(hook_reason, 4);
  CHECK(hook_info.ImportDescribedByName);
  /* Wine leaves the thunk alone after a failure and passes the name's RVA, not its address. */
  if (!nt_is_wine()) {
    CHECK(delay_iat[2] == 0x5150);
    CHECK(hook_info.Name && nt_strcmp(hook_info.Name, "ldrtest_no_such_export") == 0);
  }
  CHECK(hook_info.TargetDllName == delay_dll);
  CHECK(hook_info.TargetModuleBase == delay_module);
}

/* Wine's Unix file name exports: Windows code under ireactor never sees a host path. */
static void test_wine_file_names(void) {
  if (nt_is_wine()) return; /* Wine's translate, into its own Unix namespace */
  NtToUnixFn wine_nt_to_unix_file_name =
      (NtToUnixFn)proc(ntdll_handle(), "wine_nt_to_unix_file_name");
  UnixToNtFn wine_unix_to_nt_file_name =
      (UnixToNtFn)proc(ntdll_handle(), "wine_unix_to_nt_file_name");
  if (!wine_nt_to_unix_file_name || !wine_unix_to_nt_file_name) return;
  NT_NAME n;
  char unix_name[256];
  ULONG size = sizeof unix_name;
  CHECK_STATUS(
      wine_nt_to_unix_file_name(nt_name(&n, L"\\??\\C:\\Windows", NULL), unix_name, &size, 0),
      STATUS_NOT_SUPPORTED);
  WCHAR nt[256];
  size = 256;
  CHECK_STATUS(wine_unix_to_nt_file_name("/etc/passwd", nt, &size), STATUS_OBJECT_PATH_NOT_FOUND);
}

/* `search=NAME`: only loads NAME and reports where from ("loaded from <FullDllName>" or the
 * failure status), for tests/cli/dll_search.py, which arranges the directories. */
static void search_probe(const char* dll) {
  WCHAR wname[64], full[300];
  size_t n = 0;
  for (; dll[n] && n < 63; ++n) wname[n] = (WCHAR)dll[n];
  wname[n] = 0;
  UNICODE_STRING name, got = {0, sizeof full, full};
  nt_init_ustr(&name, wname);
  PVOID h = NULL;
  const NTSTATUS st = LdrLoadDll(NULL, NULL, &name, &h);
  if (st != STATUS_SUCCESS) {
    nt_printf("load failed: 0x%08x\n", (ULONG)st);
    CHECK(h == NULL);
    return;
  }
  CHECK_OK(LdrGetDllFullName(h, &got));
  nt_printf("loaded from %.*ls\n", (int)(got.Length / sizeof(WCHAR)), full);
}

/* Process shutdown detaches the DLLs that are still attached, pinned ones included, once. */
static void test_shutdown(void) {
  UNICODE_STRING name;
  PVOID h = NULL;
  LONG detaches = 0;
  nt_init_ustr(&name, L"ir_ldrtest.dll");
  CHECK_OK(LdrGetDllHandle(NULL, NULL, &name, &h)); /* pinned above */
  if (!h) return;
  ((SinkFn)proc(h, "ldrtest_set_detach_sink"))(&detaches);
  LdrShutdownProcess();
  CHECK_EQ(detaches, 1);
  LdrShutdownProcess();
  CHECK_EQ(detaches, 1);
}

void test_main(void) {
  if (nt_arg_value("search")) {
    search_probe(nt_arg_value("search"));
    return;
  }
  test_image_headers();
  test_handles_and_names();
  test_procedures();
  test_module_information();
  test_load_unload();
  test_load_failures();
  test_loader_lock();
  test_resources();
  test_delay_load();
  test_fls();
  test_activation_context();
  test_api_sets();
  test_dll_directories();
  test_wine_file_names();
  test_shutdown(); /* last: it detaches every DLL */
}
