// The loader's private services (ntcore/loader/loader_services.cpp): how our ntdll's Ldr*
// exports reach the runtime's PE loader. Numbers in the private range of dispatcher.h; the
// ntdll side calls them through its own stubs (ntcore/ntdll/rtl/ldr_services.c). Windows code
// (DllMain, TLS callbacks) never runs inside these: the runtime only maps, resolves and keeps
// PEB.Ldr and the reference counts; ntdll asks which entry points to call and calls them itself,
// on the calling Windows thread.
#pragma once

#include "ireactor/nt/status.h"
#include "ireactor/user_memory.h"

namespace ireactor {

// STATUS_NO_MORE_ENTRIES (a warning: the queues below are empty).
inline constexpr nt::NTSTATUS kStatusNoMoreEntries = nt::status(0x8000001A);

// IrLdrLoadDll flags. kIrLdrFindOnly: only report whether the DLL would be found (and write its
// base when it is already loaded, else 0).
inline constexpr nt::ULONG kIrLdrFindOnly = 1;

// Finds (loaded module list, then the search path) or loads `Name` (a UNICODE_STRING: a base
// name, "kernel32" gaining ".dll", or a DOS path) with its imports, appends the new modules to
// PEB.Ldr, counts one reference and returns its base. SearchPath: NULL for the standard order
// (the application's directory, system32, the current directory, PATH), else a ';'-separated
// list of DOS directories searched instead. STATUS_DLL_NOT_FOUND, or the load's failure.
nt::NTSTATUS IrLdrLoadDll(UserPtr<char16_t> SearchPath, nt::ULONG Flags,
                          UserPtr<nt::UNICODE_STRING> Name, UserPtr<uint64_t> BaseAddress);
// The next module owed DLL_PROCESS_ATTACH, in initialisation order, now counted as attached:
// its base and entry point (0 when none). STATUS_NO_MORE_ENTRIES when none is owed.
nt::NTSTATUS IrLdrNextInit(UserPtr<uint64_t> BaseAddress, UserPtr<uint64_t> EntryPoint);
// One reference less; a dynamically loaded module reaching none is queued for
// DLL_PROCESS_DETACH with the imports only it held. STATUS_DLL_NOT_FOUND for an unknown base;
// modules loaded with the process are never unloaded (STATUS_SUCCESS).
nt::NTSTATUS IrLdrUnloadDll(nt::ULONG_PTR BaseAddress);
// The next queued module owed DLL_PROCESS_DETACH (base, entry point; 0 when it never attached or
// has none). When the queue is empty, unmaps every queued module, removes it from PEB.Ldr and
// returns STATUS_NO_MORE_ENTRIES.
nt::NTSTATUS IrLdrNextDetach(UserPtr<uint64_t> BaseAddress, UserPtr<uint64_t> EntryPoint);
// One reference more, or (Flags & 1, LDR_ADDREF_DLL_PIN) pinned until the process ends.
nt::NTSTATUS IrLdrAddRefDll(nt::ULONG Flags, nt::ULONG_PTR BaseAddress);

// clang-format off
#define IR_LOADER_SERVICES(X) \
  X(IrLdrLoadDll, 0x2E00) \
  X(IrLdrNextInit, 0x2E01) \
  X(IrLdrUnloadDll, 0x2E02) \
  X(IrLdrNextDetach, 0x2E03) \
  X(IrLdrAddRefDll, 0x2E04)
// clang-format on

}  // namespace ireactor
