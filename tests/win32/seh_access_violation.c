/* A hardware fault in Windows code becomes a Windows exception: an access violation and a
 * division by zero caught by a vectored handler that resumes after the faulting instruction,
 * and an unhandled one ending the process with the exception code (argument "unhandled"). */
#include <string.h>
#include <windows.h>

#include "win32_check.h"

static volatile DWORD seen_code;
static volatile ULONG_PTR seen_address;

static LONG CALLBACK on_exception(EXCEPTION_POINTERS* info) {
  seen_code = info->ExceptionRecord->ExceptionCode;
  if (seen_code == EXCEPTION_ACCESS_VIOLATION)
    seen_address = info->ExceptionRecord->ExceptionInformation[1];
  info->ContextRecord->Rip += 6; /* both faulting instructions below are 6 bytes long */
  return EXCEPTION_CONTINUE_EXECUTION;
}

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "unhandled") == 0) {
    volatile int* volatile wild = (volatile int*)16;
    *wild = 1;
    return 0;
  }
  PVOID handler = AddVectoredExceptionHandler(1, on_exception);
  CHECK(handler != NULL);

  /* movl $1, 0x10(%rax) with rax = 0: c7 40 10 01 00 00 00 is 7 bytes; use a 6-byte form. */
  __asm__ volatile("xorl %%eax, %%eax\n\tmovl $1, (%%rax)\n\tnop" ::: "rax", "memory");
  CHECK(seen_code == EXCEPTION_ACCESS_VIOLATION);
  CHECK(seen_address == 0);

  seen_code = 0;
  __asm__ volatile(
      "xorl %%edx, %%edx\n\txorl %%ecx, %%ecx\n\tmovl $7, %%eax\n\t"
      "divq %%rcx\n\t" /* 48 f7 f1: 3 bytes, padded to 6 */
      "nop\n\tnop\n\tnop" ::
          : "rax", "rcx", "rdx");
  CHECK(seen_code == EXCEPTION_INT_DIVIDE_BY_ZERO);

  CHECK(RemoveVectoredExceptionHandler(handler));
  return WIN32_SUMMARY();
}
