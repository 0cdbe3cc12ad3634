/* RTL_BITMAP: a caller-owned array of ULONGs holding SizeOfBitMap bits, bit n being bit n % 32 of
 * Buffer[n / 32]. Ranges outside the map are the caller's error, as on Windows (no checks). */
#include "env_private.h"

static BOOLEAN test_bit(const RTL_BITMAP* map, ULONG bit) {
  return (map->Buffer[bit >> 5] >> (bit & 31)) & 1;
}

/* Sets (value TRUE) or clears `count` bits from `start`, a word at a time where it can. */
static void fill_bits(PRTL_BITMAP map, ULONG start, ULONG count, BOOLEAN value) {
  while (count) {
    const ULONG shift = start & 31;
    const ULONG n = count < 32 - shift ? count : 32 - shift;
    const ULONG mask = (n == 32 ? ~0U : ((1U << n) - 1)) << shift;
    if (value)
      map->Buffer[start >> 5] |= mask;
    else
      map->Buffer[start >> 5] &= ~mask;
    start += n;
    count -= n;
  }
}

/* Whether `count` bits from `start` all equal `value`. */
static BOOLEAN bits_equal(const RTL_BITMAP* map, ULONG start, ULONG count, BOOLEAN value) {
  while (count) {
    const ULONG shift = start & 31;
    const ULONG n = count < 32 - shift ? count : 32 - shift;
    const ULONG mask = (n == 32 ? ~0U : ((1U << n) - 1)) << shift;
    const ULONG word = map->Buffer[start >> 5] & mask;
    if (value ? word != mask : word != 0) return FALSE;
    start += n;
    count -= n;
  }
  return TRUE;
}

NTDLL_EXPORT void NTAPI RtlInitializeBitMap(PRTL_BITMAP map, PULONG buffer, ULONG size) {
  map->SizeOfBitMap = size;
  map->Buffer = buffer;
}

NTDLL_EXPORT void NTAPI RtlSetBits(PRTL_BITMAP map, ULONG start, ULONG count) {
  fill_bits(map, start, count, TRUE);
}

NTDLL_EXPORT void NTAPI RtlClearBits(PRTL_BITMAP map, ULONG start, ULONG count) {
  fill_bits(map, start, count, FALSE);
}

NTDLL_EXPORT void NTAPI RtlSetAllBits(PRTL_BITMAP map) {
  fill_bits(map, 0, map->SizeOfBitMap, TRUE);
}

NTDLL_EXPORT void NTAPI RtlClearAllBits(PRTL_BITMAP map) {
  fill_bits(map, 0, map->SizeOfBitMap, FALSE);
}

/* A range reaching past the end of the map is neither all set nor all clear. */
NTDLL_EXPORT BOOLEAN NTAPI RtlAreBitsSet(PRTL_BITMAP map, ULONG start, ULONG count) {
  if (!count || start >= map->SizeOfBitMap || count > map->SizeOfBitMap - start) return FALSE;
  return bits_equal(map, start, count, TRUE);
}

NTDLL_EXPORT BOOLEAN NTAPI RtlAreBitsClear(PRTL_BITMAP map, ULONG start, ULONG count) {
  if (!count || start >= map->SizeOfBitMap || count > map->SizeOfBitMap - start) return FALSE;
  return bits_equal(map, start, count, FALSE);
}

/* Bits set in a word (no __builtin_popcount: it calls libgcc without -mpopcnt). */
static ULONG popcount(ULONG v) {
  v = v - ((v >> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >> 2) & 0x33333333);
  return (((v + (v >> 4)) & 0x0F0F0F0F) * 0x01010101) >> 24;
}

NTDLL_EXPORT ULONG NTAPI RtlNumberOfSetBits(PRTL_BITMAP map) {
  ULONG total = 0;
  const ULONG words = map->SizeOfBitMap >> 5;
  for (ULONG i = 0; i < words; i++) total += popcount(map->Buffer[i]);
  const ULONG rest = map->SizeOfBitMap & 31;
  if (rest) total += popcount(map->Buffer[words] & ((1U << rest) - 1));
  return total;
}

NTDLL_EXPORT ULONG NTAPI RtlNumberOfClearBits(PRTL_BITMAP map) {
  return map->SizeOfBitMap - RtlNumberOfSetBits(map);
}

/* The first run of `count` bits equal to `value` at or after `hint`, wrapping round to the start of
 * the map (Windows searches hint..end, then 0..hint); ~0U when there is none. */
static ULONG find_run(const RTL_BITMAP* map, ULONG count, ULONG hint, BOOLEAN value) {
  const ULONG size = map->SizeOfBitMap;
  if (!count || count > size) return ~0U;
  if (hint >= size) hint = 0;
  for (int pass = 0; pass < 2; pass++) {
    ULONG bit = pass ? 0 : hint;
    const ULONG end = pass ? hint + count - 1 : size; /* the runs the first pass missed */
    ULONG run = 0;
    for (; bit < end && bit < size; bit++) {
      run = test_bit(map, bit) == value ? run + 1 : 0;
      if (run == count) return bit + 1 - count;
    }
    if (!hint) break;
  }
  return ~0U;
}

NTDLL_EXPORT ULONG NTAPI RtlFindClearBits(PRTL_BITMAP map, ULONG count, ULONG hint) {
  return find_run(map, count, hint, FALSE);
}

NTDLL_EXPORT ULONG NTAPI RtlFindSetBits(PRTL_BITMAP map, ULONG count, ULONG hint) {
  return find_run(map, count, hint, TRUE);
}

NTDLL_EXPORT ULONG NTAPI RtlFindClearBitsAndSet(PRTL_BITMAP map, ULONG count, ULONG hint) {
  const ULONG start = find_run(map, count, hint, FALSE);
  if (start != ~0U) fill_bits(map, start, count, TRUE);
  return start;
}

NTDLL_EXPORT ULONG NTAPI RtlFindSetBitsAndClear(PRTL_BITMAP map, ULONG count, ULONG hint) {
  const ULONG start = find_run(map, count, hint, TRUE);
  if (start != ~0U) fill_bits(map, start, count, FALSE);
  return start;
}
