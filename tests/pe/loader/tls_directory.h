/* The implicit-TLS pieces mingw's CRT would supply (its tlssup.c), for freestanding test
 * programs: the linker points the image's TLS data directory at `_tls_used`. The template is
 * everything in the .tls sections (TLS_VAR puts a variable there); the callbacks are the
 * pointers between __xl_a and __xl_z in the .CRT$XL* sections, in section-name order.
 *
 * gcc for mingw implements __thread with emutls, not with this directory, so a program reads its
 * own block by hand: TEB.ThreadLocalStoragePointer (gs:[0x58]) indexed by _tls_index, plus the
 * variable's offset in the template. Include in exactly one source file per image. */
#ifndef LOADER_TLS_DIRECTORY_H
#define LOADER_TLS_DIRECTORY_H

#include <stdint.h>

typedef void (*tls_callback_fn)(void* dll_handle, uint32_t reason, void* reserved);

typedef struct {
  uint64_t StartAddressOfRawData;
  uint64_t EndAddressOfRawData;
  uint64_t AddressOfIndex;
  uint64_t AddressOfCallBacks;
  uint32_t SizeOfZeroFill;
  uint32_t Characteristics;
} tls_directory64;

__attribute__((section(".tls"))) char _tls_start = 0;
__attribute__((section(".tls$ZZZ"))) char _tls_end = 0;
/* The loader writes the image's TLS index here; the odd initial value shows whether it did. */
uint32_t _tls_index = 0xDEAD;
__attribute__((section(".CRT$XLA"), used)) tls_callback_fn __xl_a = 0;
__attribute__((section(".CRT$XLZ"), used)) tls_callback_fn __xl_z = 0;

const tls_directory64 _tls_used
    __attribute__((section(".rdata$T"), used)) = {(uint64_t)&_tls_start,
                                                  (uint64_t)&_tls_end,
                                                  (uint64_t)&_tls_index,
                                                  (uint64_t)(&__xl_a + 1),
                                                  0,
                                                  0};

#define TLS_VAR __attribute__((section(".tls$B")))
/* Registers fn as a TLS callback; `order` (a letter B..Y) sorts callbacks. */
#define TLS_CALLBACK(order, fn) \
  __attribute__((section(".CRT$XL" #order), used)) tls_callback_fn tls_cb_##fn = fn

/* This thread's copy of a TLS_VAR. */
static inline void* tls_block(void) {
  void** vector;
  __asm__ volatile("movq %%gs:0x58, %0" : "=r"(vector));
  return vector ? vector[_tls_index] : 0;
}
#define TLS_REF(type, var) \
  (*(type*)((char*)tls_block() + ((const char*)&(var) - (const char*)&_tls_start)))

#endif
