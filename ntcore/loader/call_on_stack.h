// Entering Windows code from the runtime: an MS x64 ABI call on the Windows thread's stack.
#pragma once

#include <cstdint>

extern "C" uint64_t ir_call_on_stack(uint64_t stack_top, uint64_t fn, uint64_t a0, uint64_t a1,
                                     uint64_t a2, uint64_t a3);
