/* A test DLL for the loader: exports by name and by ordinal only, forwarders (see the .def), a
 * table of absolute pointers (base relocations when it is not at its preferred base) and a
 * DllMain that records how the loader called it. */
#include <stdint.h>

int lib_add(int a, int b) {
  return a + b;
}
int lib_sub(int a, int b) {
  return a - b;
}
int lib_secret(void) {
  return 0x5EC2E7;
} /* exported by ordinal 7 only */

static int (*const table[])(int, int) = {lib_add, lib_sub};
int lib_indirect(int i, int a, int b) {
  return table[i & 1](a, b);
}

static uint32_t attach_reason = 0xFFFFFFFF, attach_count;
static void *attach_handle, *attach_reserved;
uint32_t lib_attach_reason(void) {
  return attach_reason;
}
uint32_t lib_attach_count(void) {
  return attach_count;
}
void* lib_attach_handle(void) {
  return attach_handle;
}
void* lib_attach_reserved(void) {
  return attach_reserved;
}

int DllMain(void* handle, uint32_t reason, void* reserved) {
  attach_reason = reason;
  attach_count++;
  attach_handle = handle;
  attach_reserved = reserved;
  return 1;
}
