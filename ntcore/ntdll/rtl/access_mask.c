/* Access masks: generic rights mapped to an object type's specific rights, and
 * the granted- access tests. */
#include "security_private.h"

NTDLL_EXPORT VOID NTAPI RtlMapGenericMask(PACCESS_MASK mask, const GENERIC_MAPPING* mapping) {
  ACCESS_MASK m = *mask;
  if (m & GENERIC_READ) m |= mapping->GenericRead;
  if (m & GENERIC_WRITE) m |= mapping->GenericWrite;
  if (m & GENERIC_EXECUTE) m |= mapping->GenericExecute;
  if (m & GENERIC_ALL) m |= mapping->GenericAll;
  *mask = m & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL);
}

NTDLL_EXPORT BOOLEAN NTAPI RtlAreAllAccessesGranted(ACCESS_MASK granted, ACCESS_MASK desired) {
  return (granted & desired) == desired;
}

NTDLL_EXPORT BOOLEAN NTAPI RtlAreAnyAccessesGranted(ACCESS_MASK granted, ACCESS_MASK desired) {
  return (granted & desired) != 0;
}
