/* Event Tracing for Windows, provider side. ireactor has no ETW sessions (tracing NT calls is
 * `ireactor trace`'s job, from the Linux side): providers register and get handles, are never
 * enabled, and what they write is dropped, which is what Windows does for a provider no
 * session listens to. Each thread's activity id is real (TEB.ActivityId). */
#include "ntdll_base.h"

#include <evntprov.h>
#include <evntrace.h>

#define ETW_MAX_REGISTRATIONS 256

/* A registration handle is the slot index + 1 with a generation above it, so a stale handle
 * never names a later registration. Slot i is free when its generation is even. */
static volatile LONG etw_generation[ETW_MAX_REGISTRATIONS];

static ULONGLONG etw_handle(ULONG slot, LONG generation) {
  return ((ULONGLONG)(ULONG)generation << 32) | (slot + 1);
}

static int etw_slot(ULONGLONG handle, ULONG* slot) {
  const ULONG index = (ULONG)handle - 1;
  if (index >= ETW_MAX_REGISTRATIONS) return 0;
  const LONG generation = (LONG)(handle >> 32);
  if (!(generation & 1) || etw_generation[index] != generation) return 0;
  *slot = index;
  return 1;
}

static ULONG etw_register(ULONGLONG* handle) {
  for (ULONG i = 0; i < ETW_MAX_REGISTRATIONS; i++) {
    const LONG g = etw_generation[i];
    if (!(g & 1) && InterlockedCompareExchange(&etw_generation[i], g + 1, g) == g) {
      *handle = etw_handle(i, g + 1);
      return ERROR_SUCCESS;
    }
  }
  return ERROR_NO_SYSTEM_RESOURCES;
}

static ULONG etw_unregister(ULONGLONG handle) {
  ULONG slot;
  if (!etw_slot(handle, &slot)) return ERROR_INVALID_PARAMETER;
  const LONG g = (LONG)(handle >> 32);
  return InterlockedCompareExchange(&etw_generation[slot], g + 1, g) == g ? ERROR_SUCCESS
                                                                          : ERROR_INVALID_PARAMETER;
}

NTDLL_EXPORT ULONG NTAPI EtwEventRegister(LPCGUID provider, PENABLECALLBACK callback, PVOID context,
                                          PREGHANDLE handle) {
  if (!provider || !handle) return ERROR_INVALID_PARAMETER;
  return etw_register(handle);
}

NTDLL_EXPORT ULONG NTAPI EtwEventUnregister(REGHANDLE handle) {
  return etw_unregister(handle);
}

NTDLL_EXPORT BOOLEAN NTAPI EtwEventEnabled(REGHANDLE handle, PCEVENT_DESCRIPTOR descriptor) {
  return FALSE;
}

NTDLL_EXPORT BOOLEAN NTAPI EtwEventProviderEnabled(REGHANDLE handle, UCHAR level,
                                                   ULONGLONG keyword) {
  return FALSE;
}

NTDLL_EXPORT ULONG NTAPI EtwEventWrite(REGHANDLE handle, PCEVENT_DESCRIPTOR descriptor, ULONG count,
                                       PEVENT_DATA_DESCRIPTOR data) {
  return ERROR_SUCCESS;
}

NTDLL_EXPORT ULONG NTAPI EtwEventWriteTransfer(REGHANDLE handle, PCEVENT_DESCRIPTOR descriptor,
                                               LPCGUID activity, LPCGUID related, ULONG count,
                                               PEVENT_DATA_DESCRIPTOR data) {
  return ERROR_SUCCESS;
}

NTDLL_EXPORT ULONG NTAPI EtwEventWriteString(REGHANDLE handle, UCHAR level, ULONGLONG keyword,
                                             PCWSTR string) {
  return ERROR_SUCCESS;
}

NTDLL_EXPORT ULONG NTAPI EtwEventSetInformation(REGHANDLE handle, int information_class,
                                                PVOID information, ULONG length) {
  return ERROR_SUCCESS;
}

/* Activity ids: new ones are random-looking version-4 GUIDs made from the performance counter
 * and the thread id (unique within the process, which is what activity correlation needs). */
static void etw_new_activity_id(GUID* id) {
  LARGE_INTEGER counter;
  NtQueryPerformanceCounter(&counter, NULL);
  static volatile LONG sequence;
  const ULONGLONG a = (ULONGLONG)counter.QuadPart * 0x9E3779B97F4A7C15ull;
  const ULONGLONG b = ((ULONGLONG)(ULONG_PTR)ir_teb()->ClientId.UniqueThread << 32) ^
                      (ULONG)InterlockedIncrement(&sequence) ^ (a >> 17);
  id->Data1 = (ULONG)(a >> 32);
  id->Data2 = (USHORT)a;
  id->Data3 = (USHORT)((a >> 16 & 0x0FFF) | 0x4000);
  for (int i = 0; i < 8; i++) id->Data4[i] = (BYTE)(b >> (8 * i));
  id->Data4[0] = (BYTE)((id->Data4[0] & 0x3F) | 0x80);
}

NTDLL_EXPORT ULONG NTAPI EtwEventActivityIdControl(ULONG control, LPGUID id) {
  if (!id) return ERROR_INVALID_PARAMETER;
  GUID* current = &ir_teb()->ActivityId;
  GUID previous = *current;
  switch (control) {
    case EVENT_ACTIVITY_CTRL_GET_ID:
      *id = *current;
      return ERROR_SUCCESS;
    case EVENT_ACTIVITY_CTRL_SET_ID:
      *current = *id;
      return ERROR_SUCCESS;
    case EVENT_ACTIVITY_CTRL_CREATE_ID:
      etw_new_activity_id(id);
      return ERROR_SUCCESS;
    case EVENT_ACTIVITY_CTRL_GET_SET_ID:
      *current = *id;
      *id = previous;
      return ERROR_SUCCESS;
    case EVENT_ACTIVITY_CTRL_CREATE_SET_ID:
      etw_new_activity_id(current);
      *id = previous;
      return ERROR_SUCCESS;
    default:
      return ERROR_INVALID_PARAMETER;
  }
}

/* Classic (MOF) providers. */
NTDLL_EXPORT ULONG NTAPI EtwRegisterTraceGuidsW(WMIDPREQUEST callback, PVOID context,
                                                LPCGUID control_guid, ULONG count,
                                                PTRACE_GUID_REGISTRATION registrations,
                                                LPCWSTR mof_path, LPCWSTR mof_resource,
                                                PTRACEHANDLE handle) {
  if (!callback || !control_guid || !handle) return ERROR_INVALID_PARAMETER;
  return etw_register(handle);
}

NTDLL_EXPORT ULONG NTAPI EtwUnregisterTraceGuids(TRACEHANDLE handle) {
  return etw_unregister(handle);
}

/* The logger handle comes from the enable callback's buffer, which no session ever sends. */
NTDLL_EXPORT TRACEHANDLE NTAPI EtwGetTraceLoggerHandle(PVOID buffer) {
  ir_teb()->LastErrorValue = ERROR_INVALID_HANDLE;
  return (TRACEHANDLE)(ULONG_PTR)INVALID_HANDLE_VALUE;
}

NTDLL_EXPORT ULONG NTAPI EtwGetTraceEnableFlags(TRACEHANDLE logger) {
  ir_teb()->LastErrorValue = ERROR_INVALID_HANDLE;
  return 0;
}

NTDLL_EXPORT UCHAR NTAPI EtwGetTraceEnableLevel(TRACEHANDLE logger) {
  ir_teb()->LastErrorValue = ERROR_INVALID_HANDLE;
  return 0;
}

NTDLL_EXPORT ULONG NTAPI EtwLogTraceEvent(TRACEHANDLE logger, PEVENT_TRACE_HEADER header) {
  return ERROR_INVALID_HANDLE;
}

NTDLL_EXPORT ULONG NTAPI EtwTraceMessageVa(TRACEHANDLE logger, ULONG flags, LPCGUID guid,
                                           USHORT number, va_list args) {
  return ERROR_INVALID_HANDLE;
}

NTDLL_EXPORT ULONG WINAPIV EtwTraceMessage(TRACEHANDLE logger, ULONG flags, LPCGUID guid,
                                           USHORT number, ...) {
  return ERROR_INVALID_HANDLE;
}
