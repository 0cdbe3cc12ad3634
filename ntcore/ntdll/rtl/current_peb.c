/* RtlGetCurrentPeb: the process's PEB, through the TEB. */
#include "ntdll_base.h"

NTDLL_EXPORT PPEB NTAPI RtlGetCurrentPeb(void) {
  return (PPEB)ir_peb();
}
