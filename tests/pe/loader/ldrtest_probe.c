/* The executable test_pe_loader (a unit test) loads into its own process and calls into: every
 * import kind, a relocated pointer table, the TLS index and block, and TLS callbacks, each
 * reachable through an export. Imports nothing but ldrtest_lib.dll (no ntdll, no system calls),
 * so the unit test can call it directly. */
#include <stdint.h>

#include "tls_directory.h"

#define EXPORT __declspec(dllexport)

__declspec(dllimport) int lib_add(int a, int b);    /* by name */
__declspec(dllimport) int lib_secret(void);         /* by ordinal (NONAME) */
__declspec(dllimport) int lib_forwarded(int x);     /* forwarder to a name */
__declspec(dllimport) int lib_forwarded_ord(int x); /* forwarder to an ordinal */
__declspec(dllimport) int lib_indirect(int i, int a, int b);
__declspec(dllimport) uint32_t lib_attach_reason(void);
__declspec(dllimport) uint32_t lib_attach_count(void);
__declspec(dllimport) void* lib_attach_reserved(void);

EXPORT int probe_add(int a, int b) {
  return lib_add(a, b);
}
EXPORT int probe_secret(void) {
  return lib_secret();
}
EXPORT int probe_forwarded(int x) {
  return lib_forwarded(x);
}
EXPORT int probe_forwarded_ord(int x) {
  return lib_forwarded_ord(x);
}
EXPORT int probe_lib_indirect(int i, int a, int b) {
  return lib_indirect(i, a, b);
}
EXPORT uint32_t probe_lib_attach_reason(void) {
  return lib_attach_reason();
}
EXPORT uint32_t probe_lib_attach_count(void) {
  return lib_attach_count();
}
EXPORT void* probe_lib_attach_reserved(void) {
  return lib_attach_reserved();
}

/* Absolute addresses in writable data: wrong unless base relocations were applied. */
static int twice(int x) {
  return 2 * x;
}
static int square(int x) {
  return x * x;
}
static int (*table[])(int) = {twice, square};
EXPORT int probe_reloc(int i, int x) {
  return table[i & 1](x);
}
EXPORT void* probe_table_entry(int i) {
  return (void*)table[i & 1];
}
EXPORT void* probe_twice_address(void) {
  return (void*)twice;
}

/* TLS */
TLS_VAR int tls_counter = 1234;
TLS_VAR char tls_tag[8] = "probe";
EXPORT uint32_t probe_tls_index(void) {
  return _tls_index;
}
EXPORT int probe_tls_get(void) {
  return TLS_REF(int, tls_counter);
}
EXPORT void probe_tls_set(int v) {
  TLS_REF(int, tls_counter) = v;
}
EXPORT int probe_tls_tag_char(int i) {
  return TLS_REF(char, tls_tag[i & 7]);
}

static uint32_t callback_log[8], callback_count;
static void* callback_handle;
static void first_callback(void* h, uint32_t reason, void* reserved) {
  callback_handle = h;
  if (callback_count < 8) callback_log[callback_count] = 0x100 | reason;
  callback_count++;
}
static void second_callback(void* h, uint32_t reason, void* reserved) {
  if (callback_count < 8) callback_log[callback_count] = 0x200 | reason;
  callback_count++;
}
TLS_CALLBACK(B, first_callback);
TLS_CALLBACK(C, second_callback);
EXPORT uint32_t probe_callback_count(void) {
  return callback_count;
}
EXPORT uint32_t probe_callback_log(int i) {
  return callback_log[i & 7];
}
EXPORT void* probe_callback_handle(void) {
  return callback_handle;
}

void entry(void* peb) {}
