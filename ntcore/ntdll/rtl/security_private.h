/* The security family's shared declarations: the Rtl helpers it calls from
 * other families, the Nt services ntdll_services.h lacks, and the debug-object
 * state-change structures. */
#ifndef SECURITY_PRIVATE_H
#define SECURITY_PRIVATE_H

#include "ntdll_base.h"

/* Other families' exports used here. */
WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR ch);
NTSTATUS NTAPI RtlEnterCriticalSection(RTL_CRITICAL_SECTION* cs);
NTSTATUS NTAPI RtlLeaveCriticalSection(RTL_CRITICAL_SECTION* cs);
NTSTATUS NTAPI RtlInitializeCriticalSection(RTL_CRITICAL_SECTION* cs);
NTSTATUS NTAPI RtlDeleteCriticalSection(RTL_CRITICAL_SECTION* cs);
NTSTATUS NTAPI RtlCreateUserThread(HANDLE process, PSECURITY_DESCRIPTOR sd, BOOLEAN suspended,
                                   ULONG zero_bits, SIZE_T max_stack, SIZE_T commit_stack,
                                   PVOID start, PVOID param, PHANDLE thread, CLIENT_ID* cid);

/* This family's exports used across its files. */
BOOLEAN NTAPI RtlValidSid(PSID sid);
ULONG NTAPI RtlLengthSid(PSID sid);
BOOLEAN NTAPI RtlValidAcl(PACL acl);
BOOLEAN NTAPI RtlFirstFreeAce(PACL acl, PVOID* first_free);
NTSTATUS NTAPI RtlCreateAcl(PACL acl, ULONG length, ULONG revision);
VOID NTAPI RtlMapGenericMask(PACCESS_MASK mask, const GENERIC_MAPPING* mapping);
NTSTATUS NTAPI RtlCreateSecurityDescriptor(PSECURITY_DESCRIPTOR sd, ULONG revision);
BOOLEAN NTAPI RtlValidSecurityDescriptor(PSECURITY_DESCRIPTOR sd);
ULONG NTAPI RtlLengthSecurityDescriptor(PSECURITY_DESCRIPTOR sd);
NTSTATUS NTAPI RtlGetControlSecurityDescriptor(PSECURITY_DESCRIPTOR sd,
                                               PSECURITY_DESCRIPTOR_CONTROL control,
                                               PULONG revision);
NTSTATUS NTAPI RtlGetDaclSecurityDescriptor(PSECURITY_DESCRIPTOR sd, PBOOLEAN present, PACL* dacl,
                                            PBOOLEAN defaulted);
NTSTATUS NTAPI RtlSetDaclSecurityDescriptor(PSECURITY_DESCRIPTOR sd, BOOLEAN present, PACL dacl,
                                            BOOLEAN defaulted);
NTSTATUS NTAPI RtlGetSaclSecurityDescriptor(PSECURITY_DESCRIPTOR sd, PBOOLEAN present, PACL* sacl,
                                            PBOOLEAN defaulted);
NTSTATUS NTAPI RtlSetSaclSecurityDescriptor(PSECURITY_DESCRIPTOR sd, BOOLEAN present, PACL sacl,
                                            BOOLEAN defaulted);
NTSTATUS NTAPI RtlGetOwnerSecurityDescriptor(PSECURITY_DESCRIPTOR sd, PSID* owner,
                                             PBOOLEAN defaulted);
NTSTATUS NTAPI RtlSetOwnerSecurityDescriptor(PSECURITY_DESCRIPTOR sd, PSID owner,
                                             BOOLEAN defaulted);
NTSTATUS NTAPI RtlGetGroupSecurityDescriptor(PSECURITY_DESCRIPTOR sd, PSID* group,
                                             PBOOLEAN defaulted);
NTSTATUS NTAPI RtlSetGroupSecurityDescriptor(PSECURITY_DESCRIPTOR sd, PSID group,
                                             BOOLEAN defaulted);
NTSTATUS NTAPI RtlMakeSelfRelativeSD(PSECURITY_DESCRIPTOR sd, PSECURITY_DESCRIPTOR self_relative,
                                     PULONG length);

#define SECURITY_CURRENT_PROCESS ((HANDLE)(LONG_PTR)-1)
#define SECURITY_CURRENT_THREAD ((HANDLE)(LONG_PTR)-2)

/* Nt services the security family calls (ntcore serves none of them yet). */
NTSTATUS NTAPI NtCreateDebugObject(PHANDLE handle, ACCESS_MASK access, POBJECT_ATTRIBUTES attr,
                                   ULONG flags);
NTSTATUS NTAPI NtDebugActiveProcess(HANDLE process, HANDLE debug_object);
NTSTATUS NTAPI NtRemoveProcessDebug(HANDLE process, HANDLE debug_object);
NTSTATUS NTAPI NtDebugContinue(HANDLE debug_object, CLIENT_ID* client_id, NTSTATUS status);
NTSTATUS NTAPI NtWaitForDebugEvent(HANDLE debug_object, BOOLEAN alertable, PLARGE_INTEGER timeout,
                                   PVOID state_change);
NTSTATUS NTAPI NtOpenProcessToken(HANDLE process, ACCESS_MASK access, PHANDLE token);
NTSTATUS NTAPI NtDuplicateToken(HANDLE token, ACCESS_MASK access, POBJECT_ATTRIBUTES attr,
                                BOOLEAN effective_only, TOKEN_TYPE type, PHANDLE new_token);
NTSTATUS NTAPI NtOpenThreadToken(HANDLE thread, ACCESS_MASK access, BOOLEAN as_self, PHANDLE token);
NTSTATUS NTAPI NtQueryInformationToken(HANDLE token, TOKEN_INFORMATION_CLASS info_class, PVOID info,
                                       ULONG length, PULONG result_length);
NTSTATUS NTAPI NtSetInformationThread(HANDLE thread, THREADINFOCLASS info_class, PVOID info,
                                      ULONG length);

/* NtQueryInformationThread(ThreadBasicInformation). */
typedef struct {
  NTSTATUS ExitStatus;
  PVOID TebBaseAddress;
  CLIENT_ID ClientId;
  ULONG_PTR AffinityMask;
  LONG Priority;
  LONG BasePriority;
} SECURITY_THREAD_BASIC_INFORMATION;

/* Heap memory for SIDs, strings and atom tables: the process heap. */
static inline void* security_alloc(SIZE_T size) {
  return RtlAllocateHeap(ir_peb()->ProcessHeap, 0, size);
}
static inline void security_free(void* p) {
  if (p) RtlFreeHeap(ir_peb()->ProcessHeap, 0, p);
}

/* The freestanding build has no CRT: small byte helpers. */
static inline void security_copy(void* dst, const void* src, SIZE_T n) {
  BYTE* d = dst;
  const BYTE* s = src;
  if (d < s)
    while (n--) *d++ = *s++;
  else
    while (n--) d[n] = s[n];
}
static inline BOOLEAN security_same(const void* a, const void* b, SIZE_T n) {
  const BYTE *x = a, *y = b;
  for (SIZE_T i = 0; i < n; ++i)
    if (x[i] != y[i]) return FALSE;
  return TRUE;
}

/* ---- Debug objects: the state change NtWaitForDebugEvent reports (Windows'
 * layout) ---- */

typedef enum {
  DbgIdle,
  DbgReplyPending,
  DbgCreateThreadStateChange,
  DbgCreateProcessStateChange,
  DbgExitThreadStateChange,
  DbgExitProcessStateChange,
  DbgExceptionStateChange,
  DbgBreakpointStateChange,
  DbgSingleStepStateChange,
  DbgLoadDllStateChange,
  DbgUnloadDllStateChange
} DBG_STATE;

typedef struct {
  ULONG SubSystemKey;
  PVOID StartAddress;
} DBGKM_CREATE_THREAD;

typedef struct {
  ULONG SubSystemKey;
  HANDLE FileHandle;
  PVOID BaseOfImage;
  ULONG DebugInfoFileOffset;
  ULONG DebugInfoSize;
  DBGKM_CREATE_THREAD InitialThread;
} DBGKM_CREATE_PROCESS;

typedef struct {
  HANDLE HandleToThread;
  DBGKM_CREATE_THREAD NewThread;
} DBGUI_CREATE_THREAD;

typedef struct {
  HANDLE HandleToProcess;
  HANDLE HandleToThread;
  DBGKM_CREATE_PROCESS NewProcess;
} DBGUI_CREATE_PROCESS;

typedef struct {
  EXCEPTION_RECORD ExceptionRecord;
  ULONG FirstChance;
} DBGKM_EXCEPTION;

typedef struct {
  HANDLE FileHandle;
  PVOID BaseOfDll;
  ULONG DebugInfoFileOffset;
  ULONG DebugInfoSize;
  PVOID NamePointer;
} DBGKM_LOAD_DLL;

typedef struct {
  DBG_STATE NewState;
  CLIENT_ID AppClientId;
  union {
    DBGKM_EXCEPTION Exception;
    DBGUI_CREATE_THREAD CreateThread;
    DBGUI_CREATE_PROCESS CreateProcessInfo;
    NTSTATUS ExitStatus; /* DBGKM_EXIT_THREAD / DBGKM_EXIT_PROCESS */
    DBGKM_LOAD_DLL LoadDll;
    PVOID UnloadDllBase; /* DBGKM_UNLOAD_DLL */
  } StateInfo;
} DBGUI_WAIT_STATE_CHANGE;

#endif
