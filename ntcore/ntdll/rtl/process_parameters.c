/* RTL_USER_PROCESS_PARAMETERS for a new process: one block from NtAllocateVirtualMemory holding the
 * structure, its strings and a copy of the environment. "Normalized" parameters hold pointers;
 * denormalized ones hold the strings' offsets from the block's start (how they cross into a new
 * process). */
#include "env_private.h"

#define RTL_USER_PROC_PARAMS_NORMALIZED 0x00000001

/* The strings of the block, in the order they are laid out. */
static UNICODE_STRING* const* strings_of(IR_PROCESS_PARAMETERS* p, UNICODE_STRING** out) {
  out[0] = &p->CurrentDirectory.DosPath;
  out[1] = &p->DllPath;
  out[2] = &p->ImagePathName;
  out[3] = &p->CommandLine;
  out[4] = &p->WindowTitle;
  out[5] = &p->DesktopInfo;
  out[6] = &p->ShellInfo;
  out[7] = &p->RuntimeData;
  return out;
}
#define STRING_COUNT 8

static SIZE_T align8(SIZE_T n) {
  return (n + 7) & ~(SIZE_T)7;
}

static SIZE_T environment_bytes(const WCHAR* env) {
  const WCHAR* p = env;
  while (*p) p += wcslen(p) + 1;
  return (SIZE_T)(p + 1 - env) * sizeof(WCHAR);
}

NTDLL_EXPORT PRTL_USER_PROCESS_PARAMETERS NTAPI
RtlNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS params) {
  IR_PROCESS_PARAMETERS* p = (IR_PROCESS_PARAMETERS*)params;
  if (p && !(p->Flags & RTL_USER_PROC_PARAMS_NORMALIZED)) {
    UNICODE_STRING* s[STRING_COUNT];
    strings_of(p, s);
    for (int i = 0; i < STRING_COUNT; i++)
      if (s[i]->Buffer) s[i]->Buffer = (PWSTR)((BYTE*)p + (ULONG_PTR)s[i]->Buffer);
    p->Flags |= RTL_USER_PROC_PARAMS_NORMALIZED;
  }
  return params;
}

NTDLL_EXPORT PRTL_USER_PROCESS_PARAMETERS NTAPI
RtlDeNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS params) {
  IR_PROCESS_PARAMETERS* p = (IR_PROCESS_PARAMETERS*)params;
  if (p && (p->Flags & RTL_USER_PROC_PARAMS_NORMALIZED)) {
    UNICODE_STRING* s[STRING_COUNT];
    strings_of(p, s);
    for (int i = 0; i < STRING_COUNT; i++)
      if (s[i]->Buffer) s[i]->Buffer = (PWSTR)((BYTE*)s[i]->Buffer - (BYTE*)p);
    p->Flags &= ~RTL_USER_PROC_PARAMS_NORMALIZED;
  }
  return params;
}

/* Copies `from` into the block at *cursor, with a NUL and `max_bytes` of room (at least). */
static void put_string(UNICODE_STRING* to, const UNICODE_STRING* from, SIZE_T max_bytes,
                       BYTE** cursor) {
  const USHORT len = from ? from->Length : 0;
  to->Buffer = (PWSTR)*cursor;
  to->Length = len;
  to->MaximumLength = (USHORT)max_bytes;
  for (USHORT i = 0; i < len / sizeof(WCHAR); i++) to->Buffer[i] = from->Buffer[i];
  to->Buffer[len / sizeof(WCHAR)] = 0;
  *cursor += align8(max_bytes);
}

/* Unspecified strings default as Windows does: the DLL path and current directory from the calling
 * process, the command line to the image path, the environment to the caller's (copied into the
 * block); the others empty. */
NTDLL_EXPORT NTSTATUS NTAPI RtlCreateProcessParametersEx(
    PRTL_USER_PROCESS_PARAMETERS* result, PUNICODE_STRING image_path, PUNICODE_STRING dll_path,
    PUNICODE_STRING current_directory, PUNICODE_STRING command_line, PVOID environment,
    PUNICODE_STRING window_title, PUNICODE_STRING desktop_info, PUNICODE_STRING shell_info,
    PUNICODE_STRING runtime_data, ULONG flags) {
  static const UNICODE_STRING empty = {0, 0, (PWSTR)L""};
  RtlAcquirePebLock();
  const IR_PROCESS_PARAMETERS* cur = ir_peb()->ProcessParameters;
  const UNICODE_STRING* in[STRING_COUNT] = {
      current_directory ? current_directory : &cur->CurrentDirectory.DosPath,
      dll_path ? dll_path : &cur->DllPath,
      image_path,
      command_line ? command_line : image_path,
      window_title ? window_title : &empty,
      desktop_info ? desktop_info : &empty,
      shell_info ? shell_info : &empty,
      runtime_data ? runtime_data : &empty};
  const WCHAR* env = environment ? environment : cur->Environment;
  const SIZE_T env_bytes = env ? environment_bytes(env) : 0;

  SIZE_T max[STRING_COUNT];
  SIZE_T size = align8(sizeof(IR_PROCESS_PARAMETERS));
  for (int i = 0; i < STRING_COUNT; i++) {
    max[i] = (in[i] ? in[i]->Length : 0) + sizeof(WCHAR);
    if (i == 0 && max[i] < MAX_PATH * sizeof(WCHAR)) max[i] = MAX_PATH * sizeof(WCHAR);
    size += align8(max[i]);
  }
  const SIZE_T total = size + env_bytes;
  BYTE* block = env_vm_alloc(total);
  NTSTATUS status = STATUS_NO_MEMORY;
  if (block) { /* fresh pages are zero */
    IR_PROCESS_PARAMETERS* p = (IR_PROCESS_PARAMETERS*)block;
    p->MaximumLength = p->Length = (ULONG)size;
    p->Flags = RTL_USER_PROC_PARAMS_NORMALIZED;
    UNICODE_STRING* out[STRING_COUNT];
    strings_of(p, out);
    BYTE* cursor = block + align8(sizeof(IR_PROCESS_PARAMETERS));
    for (int i = 0; i < STRING_COUNT; i++) put_string(out[i], in[i], max[i], &cursor);
    if (env) {
      p->Environment = (PWSTR)(block + size);
      const BYTE* from = (const BYTE*)env;
      for (SIZE_T i = 0; i < env_bytes; i++) cursor[i] = from[i];
      p->EnvironmentSize = env_bytes;
    }
    if (!(flags & RTL_USER_PROC_PARAMS_NORMALIZED))
      RtlDeNormalizeProcessParams((PRTL_USER_PROCESS_PARAMETERS)p);
    *result = (PRTL_USER_PROCESS_PARAMETERS)p;
    status = STATUS_SUCCESS;
  }
  RtlReleasePebLock();
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlDestroyProcessParameters(PRTL_USER_PROCESS_PARAMETERS params) {
  env_vm_free(params);
  return STATUS_SUCCESS;
}
