/* What the threads family's sources share (thread_*.c): the NT thread services
 * ntdll_services.h lacks, the structures they take, and the family's helpers
 * (prefixed threads_). */
#ifndef THREADS_PRIVATE_H
#define THREADS_PRIVATE_H

#include "ntdll_base.h"

/* PS_ATTRIBUTE_LIST of NtCreateThreadEx (x64). */
typedef struct THREADS_PS_ATTRIBUTE {
  ULONG_PTR Attribute;
  SIZE_T Size;
  ULONG_PTR Value;
  PSIZE_T ReturnLength;
} THREADS_PS_ATTRIBUTE;

typedef struct THREADS_PS_ATTRIBUTE_LIST {
  SIZE_T TotalLength;
  THREADS_PS_ATTRIBUTE Attributes[1];
} THREADS_PS_ATTRIBUTE_LIST;

#define THREADS_CURRENT_PROCESS ((HANDLE)(LONG_PTR)-1)
#define THREADS_CURRENT_THREAD ((HANDLE)(LONG_PTR)-2)
#define THREADS_PS_ATTRIBUTE_CLIENT_ID 0x10003
#define THREADS_CREATE_SUSPENDED 0x1

/* TEB.FlsData (Windows x64 offset): the thread's fiber-local storage. */
#define THREADS_TEB_FLS_DATA 0x17C8
/* RtlProcessFlsData flags: run the callbacks, release the array. */
#define THREADS_FLS_RUN_CALLBACKS 1
#define THREADS_FLS_RELEASE 2

/* THREADINFOCLASS values past mingw's enum. */
#define THREADS_AM_I_LAST_THREAD 12

/* INITIAL_TEB: what RtlCreateUserStack fills in. */
typedef struct THREADS_INITIAL_TEB {
  PVOID OldStackBase;
  PVOID OldStackLimit;
  PVOID StackBase;
  PVOID StackLimit;
  PVOID StackAllocationBase;
} THREADS_INITIAL_TEB;

typedef ULONG(NTAPI* THREADS_START_ROUTINE)(PVOID);

NTSTATUS NTAPI NtCreateThreadEx(PHANDLE thread, ACCESS_MASK access, POBJECT_ATTRIBUTES attributes,
                                HANDLE process, PVOID start, PVOID argument, ULONG flags,
                                SIZE_T zero_bits, SIZE_T stack_commit, SIZE_T stack_reserve,
                                THREADS_PS_ATTRIBUTE_LIST* attribute_list);

DECLSPEC_NORETURN void NTAPI RtlExitUserThread(NTSTATUS status);

/* Exports of other families the thread exports call (Windows signatures). */
void NTAPI RtlExitUserProcess(NTSTATUS status);
NTSTATUS NTAPI LdrLockLoaderLock(ULONG flags, PULONG disposition, PULONG_PTR cookie);
NTSTATUS NTAPI LdrUnlockLoaderLock(ULONG flags, ULONG_PTR cookie);
PIMAGE_NT_HEADERS NTAPI RtlImageNtHeader(PVOID base);
void NTAPI RtlProcessFlsData(PVOID fls_data, ULONG flags);
PVOID NTAPI RtlImageDirectoryEntryToData(PVOID base, BOOLEAN image, USHORT directory, PULONG size);

/* DLL_THREAD_ATTACH / DLL_THREAD_DETACH to the loaded DLLs (thread_notify.c),
 * as LdrInitializeThunk and LdrShutdownThread deliver them. */
void threads_notify_dlls(ULONG reason);

#endif
