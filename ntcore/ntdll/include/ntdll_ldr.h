/* PEB.Ldr as Windows x64 lays it out (mingw-w64's winternl.h has partial layouts only): the
 * module lists the runtime builds (ntcore/loader/peb_builder.cpp, ireactor/win/ldr_data.h) and
 * the loader, thread-notification and exception code of ntdll walks. */
#ifndef NTDLL_LDR_H
#define NTDLL_LDR_H

typedef struct IR_PEB_LDR_DATA {
  ULONG Length;
  BOOLEAN Initialized;
  HANDLE SsHandle;
  LIST_ENTRY InLoadOrderModuleList;
  LIST_ENTRY InMemoryOrderModuleList;
  LIST_ENTRY InInitializationOrderModuleList;
} IR_PEB_LDR_DATA;
_Static_assert(offsetof(IR_PEB_LDR_DATA, InLoadOrderModuleList) == 0x10, "layout");
_Static_assert(offsetof(IR_PEB_LDR_DATA, InInitializationOrderModuleList) == 0x30, "layout");

typedef struct IR_LDR_ENTRY {
  LIST_ENTRY InLoadOrderLinks;
  LIST_ENTRY InMemoryOrderLinks;
  LIST_ENTRY InInitializationOrderLinks;
  PVOID DllBase;
  PVOID EntryPoint;
  ULONG SizeOfImage;
  UNICODE_STRING FullDllName;
  UNICODE_STRING BaseDllName;
  ULONG Flags;
  USHORT ObsoleteLoadCount;
  USHORT TlsIndex;
  LIST_ENTRY HashLinks;
  ULONG TimeDateStamp;
} IR_LDR_ENTRY;
_Static_assert(offsetof(IR_LDR_ENTRY, DllBase) == 0x30, "layout");
_Static_assert(offsetof(IR_LDR_ENTRY, SizeOfImage) == 0x40, "layout");
_Static_assert(offsetof(IR_LDR_ENTRY, FullDllName) == 0x48, "layout");
_Static_assert(offsetof(IR_LDR_ENTRY, Flags) == 0x68, "layout");
_Static_assert(offsetof(IR_LDR_ENTRY, TimeDateStamp) == 0x80, "layout");

#define LDRP_IMAGE_DLL 0x00000004
#define LDRP_DONT_CALL_FOR_THREADS 0x00040000
#define LDRP_PROCESS_ATTACH_CALLED 0x00080000

#endif
