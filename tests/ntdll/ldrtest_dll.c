/* The DLL tests/ntdll/rtl_loader.c loads (as ir_ldrtest.dll, and built with LDRTEST_FAIL as
 * ir_ldrtest_fail.dll, whose DllMain refuses the attach): counts its DllMain calls and reports
 * DLL_PROCESS_DETACH to a counter the test hands it; has implicit TLS (a template value and a
 * TLS callback), which a dynamic load must set up for the loading thread. No CRT, no imports. */
#include "../pe/loader/tls_directory.h"

typedef int BOOL;
typedef unsigned long DWORD;
typedef long LONG;

static LONG attaches, tls_attaches;
TLS_VAR LONG tls_value = 0x1234;

static void tls_callback(void* module, uint32_t reason, void* reserved) {
  if (reason == 1) ++tls_attaches;
}
TLS_CALLBACK(B, tls_callback);

/* This thread's copy of tls_value, and how often the TLS callback saw DLL_PROCESS_ATTACH. */
__declspec(dllexport) LONG ldrtest_tls_value(void) {
  return TLS_REF(LONG, tls_value);
}

__declspec(dllexport) LONG ldrtest_tls_attaches(void) {
  return tls_attaches;
}
static LONG* detach_sink;

__declspec(dllexport) LONG ldrtest_attach_count(void) {
  return attaches;
}

__declspec(dllexport) void ldrtest_set_detach_sink(LONG* sink) {
  detach_sink = sink;
}

__declspec(dllexport) LONG ldrtest_value(void) {
  return 42;
}

/* Exported by ordinal only (the .def says NONAME). */
LONG ldrtest_by_ordinal(void) {
  return 7;
}

BOOL DllMain(void* module, DWORD reason, void* reserved) {
  if (reason == 1) ++attaches;
  if (reason == 0 && detach_sink) ++*detach_sink;
#ifdef LDRTEST_FAIL
  return reason != 1;
#else
  return 1;
#endif
}
