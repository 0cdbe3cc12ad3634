/* What the loader family's sources share (ldr_*.c, image_directory.c, resource.c, api_set.c,
 * activation_context.c, fls.c, wine_file_names.c): the PEB.Ldr layouts as Windows x64 has them
 * (mingw's winternl.h only has partial ones), the TEB fields ntdll_teb.h does not name, the
 * runtime's private loader services and the family's helpers (all prefixed loader_). */
#ifndef LOADER_PRIVATE_H
#define LOADER_PRIVATE_H

#include "ntdll_base.h" /* PEB.Ldr's layouts: ntdll_ldr.h */

/* TEB fields past ntdll_teb.h's (Windows x64 offsets). */
#define LOADER_TEB_ACTIVATION_CONTEXT_STACK_POINTER 0x2C8
#define LOADER_TEB_FLS_DATA 0x17C8

/* STATUS_* values mingw's ntstatus.h spells differently or lacks. */
#ifndef STATUS_SXS_KEY_NOT_FOUND
#define STATUS_SXS_KEY_NOT_FOUND ((NTSTATUS)0xC0150008)
#endif
#ifndef STATUS_SXS_SECTION_NOT_FOUND
#define STATUS_SXS_SECTION_NOT_FOUND ((NTSTATUS)0xC0150001)
#endif

/* The runtime's private loader services (ntcore/include/ireactor/services/loader_services.h; stubs
 * in ldr_services.c). */
#define LOADER_FIND_ONLY 1
NTSTATUS loader_IrLdrLoadDll(const WCHAR* search_path, ULONG flags, const UNICODE_STRING* name,
                             PVOID* base);
NTSTATUS loader_IrLdrNextInit(PVOID* base, PVOID* entry);
NTSTATUS loader_IrLdrUnloadDll(ULONG_PTR base);
NTSTATUS loader_IrLdrNextDetach(PVOID* base, PVOID* entry);
NTSTATUS loader_IrLdrAddRefDll(ULONG flags, ULONG_PTR base);

/* The loader lock (ldr_lock.c): recursive, per thread. */
void loader_lock(void);
void loader_unlock(void);

/* PEB.Ldr (ldr_modules.c). Callers hold the loader lock. */
IR_LDR_ENTRY* loader_entry_by_base(const void* base);
IR_LDR_ENTRY* loader_entry_by_address(const void* address);
/* By base name ("kernel32", "KERNEL32.DLL") or full DOS path; case-insensitive.
 */
IR_LDR_ENTRY* loader_entry_by_name(const WCHAR* name, SIZE_T chars);

/* Exports (ldr_exports.c). */
NTSTATUS loader_get_procedure(void* module, const char* name, ULONG ordinal, void** address,
                              int depth);

/* The family's exports its other files call. */
PIMAGE_NT_HEADERS NTAPI RtlImageNtHeader(PVOID Base);
PVOID NTAPI RtlImageDirectoryEntryToData(PVOID Base, BOOLEAN MappedAsImage, USHORT Directory,
                                         PULONG Size);
PVOID NTAPI RtlImageRvaToVa(PIMAGE_NT_HEADERS NtHeaders, PVOID Base, ULONG Rva,
                            PIMAGE_SECTION_HEADER* LastRvaSection);
NTSTATUS NTAPI LdrLoadDll(PWSTR DllPath, PULONG DllCharacteristics, PUNICODE_STRING DllName,
                          PVOID* DllHandle);

/* Small string helpers (ldr_modules.c). */
WCHAR loader_upcase(WCHAR c);
int loader_wcsnicmp(const WCHAR* a, const WCHAR* b, SIZE_T n);

#endif
