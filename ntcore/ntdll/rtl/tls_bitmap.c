/* The PEB's TLS slot bitmaps: kernelbase's TlsAlloc/TlsFree find and clear bits in
 * PEB.TlsBitmap (the 64 TEB.TlsSlots) and PEB.TlsExpansionBitmap (the 1024 expansion slots) under
 * the PEB lock. The bits live in the PEB; the RTL_BITMAP headers describing them live here. */
#include "env_private.h" /* RTL_BITMAP */

void NTAPI RtlInitializeBitMap(PRTL_BITMAP header, PULONG buffer, ULONG size);

#define TLS_MINIMUM_AVAILABLE 64
#define TLS_EXPANSION_SLOTS 1024

static RTL_BITMAP tls_bitmap;
static RTL_BITMAP tls_expansion_bitmap;

BOOL tls_init_bitmaps(void) {
  IR_PEB* peb = ir_peb();
  RtlInitializeBitMap(&tls_bitmap, peb->TlsBitmapBits, TLS_MINIMUM_AVAILABLE);
  RtlInitializeBitMap(&tls_expansion_bitmap, peb->TlsExpansionBitmapBits, TLS_EXPANSION_SLOTS);
  peb->TlsBitmap = &tls_bitmap;
  peb->TlsExpansionBitmap = &tls_expansion_bitmap;
  return TRUE;
}
