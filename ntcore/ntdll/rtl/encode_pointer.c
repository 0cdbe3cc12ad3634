/* Pointer encoding: XOR with a secret cookie, then rotate right by the cookie's low six bits, as
 * Windows does. RtlEncodePointer uses the process's cookie (NtQueryInformationProcess
 * ProcessCookie, fetched once), the System variants the boot-wide cookie in KUSER_SHARED_DATA. */
#include "env_private.h"

#define PROCESS_COOKIE_CLASS 36 /* ProcessCookie */

static volatile ULONG process_cookie;
static volatile LONG process_cookie_known;

static ULONG get_process_cookie(void) {
  if (!process_cookie_known) {
    ULONG cookie = 0;
    NtQueryInformationProcess((HANDLE)-1, (PROCESSINFOCLASS)PROCESS_COOKIE_CLASS, &cookie,
                              sizeof(cookie), NULL);
    process_cookie = cookie;  // every thread fetches the same value: a race is harmless
    __atomic_store_n(&process_cookie_known, 1, __ATOMIC_RELEASE);
  }
  return process_cookie;
}

static PVOID encode(PVOID p, ULONG cookie) {
  const ULONG_PTR v = (ULONG_PTR)p ^ cookie;
  const unsigned r = cookie & 63;
  return (PVOID)(r ? (v >> r) | (v << (64 - r)) : v);
}

static PVOID decode(PVOID p, ULONG cookie) {
  const ULONG_PTR v = (ULONG_PTR)p;
  const unsigned r = cookie & 63;
  return (PVOID)((r ? (v << r) | (v >> (64 - r)) : v) ^ cookie);
}

NTDLL_EXPORT PVOID NTAPI RtlEncodePointer(PVOID p) {
  return encode(p, get_process_cookie());
}

NTDLL_EXPORT PVOID NTAPI RtlDecodePointer(PVOID p) {
  return decode(p, get_process_cookie());
}

NTDLL_EXPORT PVOID NTAPI RtlEncodeSystemPointer(PVOID p) {
  return encode(p, *(const volatile ULONG*)(ENV_KUSER + ENV_KUSER_COOKIE));
}

NTDLL_EXPORT PVOID NTAPI RtlDecodeSystemPointer(PVOID p) {
  return decode(p, *(const volatile ULONG*)(ENV_KUSER + ENV_KUSER_COOKIE));
}
