/* Processor facts for user mode: the features KUSER_SHARED_DATA lists and the processor the calling
 * thread runs on. */
#include "env_private.h"

NTDLL_EXPORT BOOLEAN NTAPI RtlIsProcessorFeaturePresent(ULONG feature) {
  if (feature >= 64) return FALSE;
  return ENV_KUSER[ENV_KUSER_PROCESSOR_FEATURES + feature] != 0;
}

/* Linux keeps the current CPU in the limit of the per-CPU GDT entry (selector 0x7b, what its
 * vgetcpu reads): one unprivileged instruction, like Windows' rdpid/TSC_AUX read. Group 0 is the
 * only group. */
static ULONG current_cpu(void) {
  ULONG limit = 0;
  __asm__ volatile("lsl %1, %0" : "=r"(limit) : "r"(0x7bU) : "cc");
  return limit & 0xFFF;
}

NTDLL_EXPORT ULONG NTAPI RtlGetCurrentProcessorNumber(void) {
  return current_cpu();
}

NTDLL_EXPORT void NTAPI RtlGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER number) {
  number->Group = 0;
  number->Number = (BYTE)current_cpu();
  number->Reserved = 0;
}
