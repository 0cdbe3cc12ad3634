/* What every C source of our ntdll.dll includes: mingw-w64's Windows headers (types, CONTEXT,
 * EXCEPTION_RECORD, RTL_CRITICAL_SECTION, ...) declared as the NT system itself sees them
 * (_NTSYSTEM_: no dllimport on the functions we define), the NTSTATUS values, the NT services
 * the C side calls and the PEB/TEB (ntdll_teb.h). Exports are marked NTDLL_EXPORT; every name the
 * Windows DLLs import that no source defines gets a pending stub (gen_ntdll_stubs.py). */
#ifndef NTDLL_BASE_H
#define NTDLL_BASE_H

#define _NTSYSTEM_
#define WIN32_NO_STATUS
#include <windef.h>
#include <winbase.h>
#include <winternl.h>
#undef WIN32_NO_STATUS
#include <ntstatus.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define NTDLL_EXPORT __declspec(dllexport)

/* ntdll's own C-library export (rtl/crt_wstring.c), for every family. */
size_t __cdecl wcslen(const WCHAR* s);

#include "ntdll_services.h"
#include "ntdll_teb.h"
#include "ntdll_ldr.h"

#endif
