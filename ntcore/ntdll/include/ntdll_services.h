/* The NT system services our ntdll's C code calls (the stubs are generated per Windows build),
 * with Windows' signatures. mingw-w64's winternl.h already declares a few (NtClose,
 * NtCreateFile, NtWaitForSingleObject, NtQuery*Information*, ...). Add a declaration here when a
 * source needs one more. */
#ifndef NTDLL_SERVICES_H
#define NTDLL_SERVICES_H

typedef void(NTAPI* PIO_APC_ROUTINE)(PVOID, PIO_STATUS_BLOCK, ULONG);

NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE process, PVOID* base, ULONG_PTR zero_bits,
                                       PSIZE_T size, ULONG type, ULONG protect);
NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE process, PVOID* base, PSIZE_T size, ULONG type);
NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE process, PVOID* base, PSIZE_T size, ULONG protect,
                                      PULONG old_protect);
NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE process, PVOID base, int info_class, PVOID info,
                                    SIZE_T length, PSIZE_T result_length);
NTSTATUS NTAPI NtReadFile(HANDLE file, HANDLE event, PIO_APC_ROUTINE apc, PVOID apc_context,
                          PIO_STATUS_BLOCK iosb, PVOID buffer, ULONG length, PLARGE_INTEGER offset,
                          PULONG key);
NTSTATUS NTAPI NtWriteFile(HANDLE file, HANDLE event, PIO_APC_ROUTINE apc, PVOID apc_context,
                           PIO_STATUS_BLOCK iosb, const void* buffer, ULONG length,
                           PLARGE_INTEGER offset, PULONG key);
NTSTATUS NTAPI NtTerminateProcess(HANDLE process, NTSTATUS status);
NTSTATUS NTAPI NtTerminateThread(HANDLE thread, NTSTATUS status);
NTSTATUS NTAPI NtCreateEvent(PHANDLE event, ACCESS_MASK access, POBJECT_ATTRIBUTES attributes,
                             int type, BOOLEAN initial_state);
NTSTATUS NTAPI NtSetEvent(HANDLE event, PLONG previous_state);
NTSTATUS NTAPI NtResetEvent(HANDLE event, PLONG previous_state);
NTSTATUS NTAPI NtWaitForMultipleObjects(ULONG count, const HANDLE* handles, int wait_type,
                                        BOOLEAN alertable, const LARGE_INTEGER* timeout);
NTSTATUS NTAPI NtDelayExecution(BOOLEAN alertable, const LARGE_INTEGER* interval);
NTSTATUS NTAPI NtYieldExecution(void);
NTSTATUS NTAPI NtQueryPerformanceCounter(PLARGE_INTEGER counter, PLARGE_INTEGER frequency);
NTSTATUS NTAPI NtWaitForAlertByThreadId(const void* address, const LARGE_INTEGER* timeout);
NTSTATUS NTAPI NtAlertThreadByThreadId(HANDLE thread_id);
NTSTATUS NTAPI NtContinue(PCONTEXT context, BOOLEAN test_alert);
NTSTATUS NTAPI NtRaiseException(PEXCEPTION_RECORD record, PCONTEXT context, BOOLEAN first_chance);

#endif
