/* One-time initialisation. The RTL_RUN_ONCE pointer's low two bits hold the state: 0 not started,
 * 1 a synchronous initialisation is running (others wait on the word with RtlWaitOnAddress),
 * 2 done (the other bits are the context the initialiser left), 3 asynchronous initialisations
 * are running (every caller runs its own, the first to complete wins). */
#include "sync_private.h"

#define ONCE_IDLE 0
#define ONCE_SYNC 1
#define ONCE_DONE 2
#define ONCE_ASYNC 3
#define ONCE_STATE 3

static ULONG_PTR* word(RTL_RUN_ONCE* once) {
  return (ULONG_PTR*)&once->Ptr;
}

NTDLL_EXPORT void NTAPI RtlRunOnceInitialize(RTL_RUN_ONCE* once) {
  once->Ptr = NULL;
}

/* STATUS_SUCCESS (and the context) when done already, STATUS_PENDING when the caller is to
 * initialise; RTL_RUN_ONCE_CHECK_ONLY reports STATUS_UNSUCCESSFUL instead of starting. */
NTDLL_EXPORT NTSTATUS NTAPI RtlRunOnceBeginInitialize(RTL_RUN_ONCE* once, ULONG flags,
                                                      PVOID* context) {
  if ((flags & RTL_RUN_ONCE_CHECK_ONLY) && (flags & RTL_RUN_ONCE_ASYNC))
    return STATUS_INVALID_PARAMETER;
  for (;;) {
    ULONG_PTR v = __atomic_load_n(word(once), __ATOMIC_ACQUIRE);
    switch (v & ONCE_STATE) {
      case ONCE_DONE:
        if (context) *context = (PVOID)(v & ~(ULONG_PTR)ONCE_STATE);
        return STATUS_SUCCESS;
      case ONCE_IDLE:
        if (flags & RTL_RUN_ONCE_CHECK_ONLY) return STATUS_UNSUCCESSFUL;
        if (__atomic_compare_exchange_n(word(once), &v,
                                        (flags & RTL_RUN_ONCE_ASYNC) ? ONCE_ASYNC : ONCE_SYNC,
                                        FALSE, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
          return STATUS_PENDING;
        break;
      case ONCE_SYNC:
        if (flags & RTL_RUN_ONCE_CHECK_ONLY) return STATUS_UNSUCCESSFUL;
        if (flags & RTL_RUN_ONCE_ASYNC) return STATUS_INVALID_PARAMETER;
        RtlWaitOnAddress(word(once), &v, sizeof v, NULL);
        break;
      case ONCE_ASYNC:
        if (flags & RTL_RUN_ONCE_CHECK_ONLY) return STATUS_UNSUCCESSFUL;
        if (!(flags & RTL_RUN_ONCE_ASYNC)) return STATUS_INVALID_PARAMETER;
        return STATUS_PENDING;
    }
  }
}

/* Ends the caller's initialisation: done with `context` (its low two bits must be clear), or
 * back to not started with RTL_RUN_ONCE_INIT_FAILED. STATUS_UNSUCCESSFUL when nothing is in
 * progress, as for an asynchronous initialiser whose rival completed first. */
NTDLL_EXPORT NTSTATUS NTAPI RtlRunOnceComplete(RTL_RUN_ONCE* once, ULONG flags, PVOID context) {
  if (flags & ~(RTL_RUN_ONCE_ASYNC | RTL_RUN_ONCE_INIT_FAILED)) return STATUS_INVALID_PARAMETER;
  if ((ULONG_PTR)context & ONCE_STATE) return STATUS_INVALID_PARAMETER;
  ULONG_PTR done = (ULONG_PTR)context | ONCE_DONE;
  if (flags & RTL_RUN_ONCE_INIT_FAILED) {
    if (context || (flags & RTL_RUN_ONCE_ASYNC)) return STATUS_INVALID_PARAMETER;
    done = ONCE_IDLE;
  }
  ULONG_PTR v = __atomic_load_n(word(once), __ATOMIC_ACQUIRE);
  switch (v & ONCE_STATE) {
    case ONCE_SYNC:
      __atomic_store_n(word(once), done, __ATOMIC_RELEASE);
      RtlWakeAddressAll(word(once));
      return STATUS_SUCCESS;
    case ONCE_ASYNC:
      if (!(flags & RTL_RUN_ONCE_ASYNC)) return STATUS_INVALID_PARAMETER;
      if (!__atomic_compare_exchange_n(word(once), &v, done, FALSE, __ATOMIC_RELEASE,
                                       __ATOMIC_RELAXED))
        return STATUS_UNSUCCESSFUL; /* another one completed first */
      return STATUS_SUCCESS;
    default:
      return STATUS_UNSUCCESSFUL;
  }
}

/* Runs `function` once; a failing initialiser leaves the object to be tried again. */
NTDLL_EXPORT NTSTATUS NTAPI RtlRunOnceExecuteOnce(RTL_RUN_ONCE* once,
                                                  PRTL_RUN_ONCE_INIT_FN function, PVOID parameter,
                                                  PVOID* context) {
  NTSTATUS status = RtlRunOnceBeginInitialize(once, 0, context);
  if (status != STATUS_PENDING) return status;
  if (!function(once, parameter, context)) {
    RtlRunOnceComplete(once, RTL_RUN_ONCE_INIT_FAILED, NULL);
    return STATUS_UNSUCCESSFUL;
  }
  return RtlRunOnceComplete(once, 0, context ? *context : NULL);
}
