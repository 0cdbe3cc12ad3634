/* Where every pending stub lands (gen_ntdll_stubs.py): a Windows DLL called an ntdll export
 * ireactor does not implement yet. Say which, on the process's standard error, and end the
 * process: returning anything would be a made-up result. */
#include "ntdll_base.h"

static char* append(char* p, const char* end, const char* s) {
  while (*s && p < end) *p++ = *s++;
  return p;
}

static char* append_hex(char* p, const char* end, ULONG_PTR v) {
  char digits[16];
  int n = 0;
  do {
    digits[n++] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v);
  p = append(p, end, "0x");
  while (n && p < end) *p++ = digits[--n];
  return p;
}

__attribute__((noreturn, used)) void ir_pending_export(const char* name) {
  char message[256];
  const char* end = message + sizeof(message);
  char* p = append(message, end, "ireactor: ntdll.dll!");
  p = append(p, end, name);
  p = append(p, end, " is not implemented yet (called from ");
  p = append_hex(p, end, (ULONG_PTR)__builtin_return_address(0));
  p = append(p, end, ")\n");
  IO_STATUS_BLOCK iosb;
  NtWriteFile(ir_peb()->ProcessParameters->StandardError, NULL, NULL, NULL, &iosb, message,
              (ULONG)(p - message), NULL, NULL);
  for (;;) NtTerminateProcess((HANDLE)-1, STATUS_NOT_IMPLEMENTED);
}
