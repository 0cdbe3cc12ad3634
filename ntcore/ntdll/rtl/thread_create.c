/* RtlCreateUserThread: NtCreateThreadEx with the older interface's
 * parameters (stack sizes, a security descriptor, the new thread's client
 * id). */
#include "threads_private.h"

NTDLL_EXPORT NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process,
                                                PSECURITY_DESCRIPTOR ThreadSecurityDescriptor,
                                                BOOLEAN CreateSuspended, ULONG ZeroBits,
                                                SIZE_T MaximumStackSize, SIZE_T CommittedStackSize,
                                                PVOID StartAddress, PVOID Parameter, PHANDLE Thread,
                                                CLIENT_ID* ClientId) {
  OBJECT_ATTRIBUTES oa;
  InitializeObjectAttributes(&oa, NULL, 0, NULL, ThreadSecurityDescriptor);
  THREADS_PS_ATTRIBUTE_LIST list;
  list.TotalLength = sizeof(list);
  list.Attributes[0].Attribute = THREADS_PS_ATTRIBUTE_CLIENT_ID;
  list.Attributes[0].Size = sizeof(CLIENT_ID);
  list.Attributes[0].Value = (ULONG_PTR)ClientId;
  list.Attributes[0].ReturnLength = NULL;
  HANDLE handle = NULL;
  NTSTATUS status =
      NtCreateThreadEx(&handle, THREAD_ALL_ACCESS, &oa, Process, StartAddress, Parameter,
                       CreateSuspended ? THREADS_CREATE_SUSPENDED : 0, ZeroBits, CommittedStackSize,
                       MaximumStackSize, ClientId ? &list : NULL);
  if (status != STATUS_SUCCESS) return status;
  if (Thread)
    *Thread = handle;
  else
    NtClose(handle);
  return STATUS_SUCCESS;
}
