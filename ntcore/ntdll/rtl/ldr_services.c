/* Stubs for the runtime's private loader services (numbers 0x2E00.., outside every Windows build's
 * range: ntcore/include/ireactor/dispatcher.h). The same shape as the generated NT stubs
 * (gen_ntdll_stubs.py): through the gate pointer when the gate flag is set, else `syscall`, which
 * Syscall User Dispatch brings to the same dispatcher. */
#include "loader_private.h"

#define LOADER_STUB(name, number)                        \
  __asm__(                                               \
      ".text\n"                                          \
      ".p2align 4\n"                                     \
      ".globl " #name                                    \
      "\n"                                               \
      ".def " #name "; .scl 2; .type 32; .endef\n" #name \
      ":\n"                                              \
      "  movq %rcx, %r10\n"                              \
      "  movl $" #number                                 \
      ", %eax\n"                                         \
      "  testb $1, 0x7FFE1008\n"                         \
      "  jnz 1f\n"                                       \
      "  syscall\n"                                      \
      "  ret\n"                                          \
      "1: call *0x7FFE1000\n"                            \
      "  ret\n");

LOADER_STUB(loader_IrLdrLoadDll, 0x2E00)
LOADER_STUB(loader_IrLdrNextInit, 0x2E01)
LOADER_STUB(loader_IrLdrUnloadDll, 0x2E02)
LOADER_STUB(loader_IrLdrNextDetach, 0x2E03)
LOADER_STUB(loader_IrLdrAddRefDll, 0x2E04)
