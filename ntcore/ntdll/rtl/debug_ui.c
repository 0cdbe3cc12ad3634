/* The debugger side of user-mode debugging: a thread's debug object (TEB.DbgSsReserved[1]) and
 * thin wrappers over the debug-object services, plus the conversion of the kernel's state-change
 * records to Win32 DEBUG_EVENTs. ntcore has no debug objects yet, so the services' status
 * (STATUS_NOT_IMPLEMENTED) comes back through the wrappers. */
#include "security_private.h"

#define DEBUG_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xF)
#define DEBUG_KILL_ON_CLOSE 0x1

/* int3; ret: the debugger sees a breakpoint here, and the caller resumes after it. */
__asm__(
    ".text\n"
    ".globl DbgBreakPoint\n"
    ".def DbgBreakPoint; .scl 2; .type 32; .endef\n"
    "DbgBreakPoint:\n\t"
    "int3\n\t"
    "ret\n"
    ".section .drectve\n\t"
    ".ascii \" -export:DbgBreakPoint\"\n"
    ".text");

void NTAPI DbgBreakPoint(void);
void NTAPI RtlExitUserThread(NTSTATUS status);

NTDLL_EXPORT HANDLE NTAPI DbgUiGetThreadDebugObject(void) {
  return ir_teb()->DbgSsReserved[1];
}

NTDLL_EXPORT VOID NTAPI DbgUiSetThreadDebugObject(HANDLE debug_object) {
  ir_teb()->DbgSsReserved[1] = debug_object;
}

/* Gives the calling thread a debug object unless it has one. */
NTDLL_EXPORT NTSTATUS NTAPI DbgUiConnectToDbg(void) {
  IR_TEB* teb = ir_teb();
  if (teb->DbgSsReserved[1]) return STATUS_SUCCESS;
  OBJECT_ATTRIBUTES attributes;
  InitializeObjectAttributes(&attributes, NULL, 0, NULL, NULL);
  return NtCreateDebugObject(&teb->DbgSsReserved[1], DEBUG_ALL_ACCESS, &attributes,
                             DEBUG_KILL_ON_CLOSE);
}

NTDLL_EXPORT NTSTATUS NTAPI DbgUiContinue(CLIENT_ID* client_id, NTSTATUS continue_status) {
  return NtDebugContinue(ir_teb()->DbgSsReserved[1], client_id, continue_status);
}

NTDLL_EXPORT NTSTATUS NTAPI DbgUiWaitStateChange(DBGUI_WAIT_STATE_CHANGE* state,
                                                 PLARGE_INTEGER timeout) {
  return NtWaitForDebugEvent(ir_teb()->DbgSsReserved[1], TRUE, timeout, state);
}

NTDLL_EXPORT NTSTATUS NTAPI DbgUiStopDebugging(HANDLE process) {
  return NtRemoveProcessDebug(process, ir_teb()->DbgSsReserved[1]);
}

/* The thread DbgUiIssueRemoteBreakin starts in the debuggee: it breaks when a debugger is
 * attached, then ends. */
NTDLL_EXPORT VOID NTAPI DbgUiRemoteBreakin(PVOID context) {
  if (ir_peb()->BeingDebugged) DbgBreakPoint();
  RtlExitUserThread(STATUS_SUCCESS);
}

NTDLL_EXPORT NTSTATUS NTAPI DbgUiIssueRemoteBreakin(HANDLE process) {
  HANDLE thread;
  CLIENT_ID client_id;
  const NTSTATUS status = RtlCreateUserThread(process, NULL, FALSE, 0, 0, 0x1000,
                                              (PVOID)DbgUiRemoteBreakin, NULL, &thread, &client_id);
  if (NT_SUCCESS(status)) NtClose(thread);
  return status;
}

/* Attaches the thread's debug object to `process` and makes it break in; detaches again when
 * the break-in cannot be started. */
NTDLL_EXPORT NTSTATUS NTAPI DbgUiDebugActiveProcess(HANDLE process) {
  NTSTATUS status = NtDebugActiveProcess(process, ir_teb()->DbgSsReserved[1]);
  if (!NT_SUCCESS(status)) return status;
  status = DbgUiIssueRemoteBreakin(process);
  if (!NT_SUCCESS(status)) DbgUiStopDebugging(process);
  return status;
}

/* The TEB of a thread the debugger holds a handle to, or NULL. */
static PVOID thread_teb(HANDLE thread) {
  SECURITY_THREAD_BASIC_INFORMATION info;
  if (!NT_SUCCESS(
          NtQueryInformationThread(thread, ThreadBasicInformation, &info, sizeof(info), NULL)))
    return NULL;
  return info.TebBaseAddress;
}

NTDLL_EXPORT NTSTATUS NTAPI DbgUiConvertStateChangeStructure(DBGUI_WAIT_STATE_CHANGE* state,
                                                             DEBUG_EVENT* event) {
  event->dwProcessId = (DWORD)(ULONG_PTR)state->AppClientId.UniqueProcess;
  event->dwThreadId = (DWORD)(ULONG_PTR)state->AppClientId.UniqueThread;
  switch (state->NewState) {
    case DbgCreateThreadStateChange: {
      CREATE_THREAD_DEBUG_INFO* info = &event->u.CreateThread;
      event->dwDebugEventCode = CREATE_THREAD_DEBUG_EVENT;
      info->hThread = state->StateInfo.CreateThread.HandleToThread;
      info->lpStartAddress =
          (LPTHREAD_START_ROUTINE)state->StateInfo.CreateThread.NewThread.StartAddress;
      info->lpThreadLocalBase = thread_teb(info->hThread);
      break;
    }
    case DbgCreateProcessStateChange: {
      const DBGUI_CREATE_PROCESS* from = &state->StateInfo.CreateProcessInfo;
      CREATE_PROCESS_DEBUG_INFO* info = &event->u.CreateProcessInfo;
      event->dwDebugEventCode = CREATE_PROCESS_DEBUG_EVENT;
      info->hFile = from->NewProcess.FileHandle;
      info->hProcess = from->HandleToProcess;
      info->hThread = from->HandleToThread;
      info->lpBaseOfImage = from->NewProcess.BaseOfImage;
      info->dwDebugInfoFileOffset = from->NewProcess.DebugInfoFileOffset;
      info->nDebugInfoSize = from->NewProcess.DebugInfoSize;
      info->lpThreadLocalBase = thread_teb(from->HandleToThread);
      info->lpStartAddress = (LPTHREAD_START_ROUTINE)from->NewProcess.InitialThread.StartAddress;
      info->lpImageName = NULL;
      info->fUnicode = TRUE;
      break;
    }
    case DbgExitThreadStateChange:
      event->dwDebugEventCode = EXIT_THREAD_DEBUG_EVENT;
      event->u.ExitThread.dwExitCode = (DWORD)state->StateInfo.ExitStatus;
      break;
    case DbgExitProcessStateChange:
      event->dwDebugEventCode = EXIT_PROCESS_DEBUG_EVENT;
      event->u.ExitProcess.dwExitCode = (DWORD)state->StateInfo.ExitStatus;
      break;
    case DbgExceptionStateChange:
    case DbgBreakpointStateChange:
    case DbgSingleStepStateChange:
      event->dwDebugEventCode = EXCEPTION_DEBUG_EVENT;
      event->u.Exception.ExceptionRecord = state->StateInfo.Exception.ExceptionRecord;
      event->u.Exception.dwFirstChance = state->StateInfo.Exception.FirstChance;
      break;
    case DbgLoadDllStateChange: {
      const DBGKM_LOAD_DLL* from = &state->StateInfo.LoadDll;
      LOAD_DLL_DEBUG_INFO* info = &event->u.LoadDll;
      event->dwDebugEventCode = LOAD_DLL_DEBUG_EVENT;
      info->hFile = from->FileHandle;
      info->lpBaseOfDll = from->BaseOfDll;
      info->dwDebugInfoFileOffset = from->DebugInfoFileOffset;
      info->nDebugInfoSize = from->DebugInfoSize;
      info->lpImageName = from->NamePointer;
      info->fUnicode = TRUE;
      break;
    }
    case DbgUnloadDllStateChange:
      event->dwDebugEventCode = UNLOAD_DLL_DEBUG_EVENT;
      event->u.UnloadDll.lpBaseOfDll = state->StateInfo.UnloadDllBase;
      break;
    default: /* DbgIdle, DbgReplyPending: nothing to report */
      return STATUS_UNSUCCESSFUL;
  }
  return STATUS_SUCCESS;
}
