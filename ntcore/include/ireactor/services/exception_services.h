// Exception services: resuming a thread at a CONTEXT and raising an exception through the
// executive (loader/entry/exception_delivery.cpp, which also turns faults of Windows code into
// exceptions dispatched by ntdll's KiUserExceptionDispatcher).
#pragma once

#include "ireactor/nt/status.h"
#include "ireactor/user_memory.h"

namespace ireactor {

// Resumes the calling thread with every register from the CONTEXT; returns only on failure.
nt::NTSTATUS NtContinue(UserPtr<void> Context, nt::BOOLEAN TestAlert);
// FirstChance: dispatches the exception in the thread (KiUserExceptionDispatcher, as for a
// fault). Otherwise, with no debugger to ask, the exception is unhandled: the process ends with
// the exception code.
nt::NTSTATUS NtRaiseException(UserPtr<void> ExceptionRecord, UserPtr<void> Context,
                              nt::BOOLEAN FirstChance);

// clang-format off
#define IR_EXCEPTION_SERVICES(X) \
  X(NtContinue) \
  X(NtRaiseException)
// clang-format on

}  // namespace ireactor
