/* The loader lock: serialises loads, unloads and walks of PEB.Ldr. Recursive per thread (DllMain
 * may load further DLLs). A spin-then-yield lock of its own: it must work before any other
 * synchronisation export does, and is only contended while another thread loads. */
#include "loader_private.h"

#define LDR_LOCK_LOADER_LOCK_FLAG_RAISE_ON_ERRORS 0x1
#define LDR_LOCK_LOADER_LOCK_FLAG_TRY_ONLY 0x2
#define LDR_UNLOCK_LOADER_LOCK_FLAG_RAISE_ON_ERRORS 0x1
#define LDR_LOCK_LOADER_LOCK_DISPOSITION_LOCK_ACQUIRED 1
#define LDR_LOCK_LOADER_LOCK_DISPOSITION_LOCK_NOT_ACQUIRED 2

static volatile LONG_PTR lock_owner; /* thread id of the owner, 0 when free */
static LONG lock_depth;
static LONG cookie_counter;

static LONG_PTR current_thread_id(void) {
  return (LONG_PTR)ir_teb()->ClientId.UniqueThread;
}

static BOOLEAN try_lock(void) {
  const LONG_PTR me = current_thread_id();
  if (lock_owner == me) {
    ++lock_depth;
    return TRUE;
  }
  if (__sync_val_compare_and_swap(&lock_owner, 0, me) != 0) return FALSE;
  lock_depth = 1;
  return TRUE;
}

void loader_lock(void) {
  for (unsigned spins = 0; !try_lock(); ++spins)
    if (spins > 100) NtYieldExecution();
}

void loader_unlock(void) {
  if (--lock_depth == 0) __atomic_store_n(&lock_owner, 0, __ATOMIC_RELEASE);
}

/* The cookie names the owning thread ((TID & 0xFFF) << 16) and the acquisition (low 16 bits), as
 * Windows' does; only the thread part is checked. */
static ULONG_PTR make_cookie(void) {
  return ((ULONG_PTR)(current_thread_id() & 0xFFF) << 16) |
         ((ULONG_PTR)__sync_add_and_fetch(&cookie_counter, 1) & 0xFFFF);
}

/* RAISE_ON_ERRORS is accepted, but the error is returned rather than raised: nothing here can raise
 * yet (no exception dispatch in our ntdll), and the callers we serve do not set it. */
NTDLL_EXPORT NTSTATUS NTAPI LdrLockLoaderLock(ULONG Flags, PULONG Disposition, PULONG_PTR Cookie) {
  if (Disposition) *Disposition = 0;
  if (Cookie) *Cookie = 0;
  NTSTATUS status = STATUS_SUCCESS;
  if (Flags & ~(LDR_LOCK_LOADER_LOCK_FLAG_RAISE_ON_ERRORS | LDR_LOCK_LOADER_LOCK_FLAG_TRY_ONLY))
    status = STATUS_INVALID_PARAMETER_1;
  else if ((Flags & LDR_LOCK_LOADER_LOCK_FLAG_TRY_ONLY) && !Disposition)
    status = STATUS_INVALID_PARAMETER_2;
  else if (!Cookie)
    status = STATUS_INVALID_PARAMETER_3;
  if (status != STATUS_SUCCESS) return status;
  if (Flags & LDR_LOCK_LOADER_LOCK_FLAG_TRY_ONLY) {
    if (!try_lock()) {
      *Disposition = LDR_LOCK_LOADER_LOCK_DISPOSITION_LOCK_NOT_ACQUIRED;
      return STATUS_SUCCESS;
    }
  } else {
    loader_lock();
  }
  if (Disposition) *Disposition = LDR_LOCK_LOADER_LOCK_DISPOSITION_LOCK_ACQUIRED;
  *Cookie = make_cookie();
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrUnlockLoaderLock(ULONG Flags, ULONG_PTR Cookie) {
  NTSTATUS status = STATUS_SUCCESS;
  if (Flags & ~LDR_UNLOCK_LOADER_LOCK_FLAG_RAISE_ON_ERRORS)
    status = STATUS_INVALID_PARAMETER_1;
  else if (Cookie == 0)
    return STATUS_SUCCESS; /* nothing was acquired (a failed or try-only lock)
                            */
  else if ((Cookie >> 28) != 0 || ((Cookie >> 16) & 0xFFF) != (current_thread_id() & 0xFFF) ||
           lock_owner != current_thread_id())
    status = STATUS_INVALID_PARAMETER_2;
  if (status != STATUS_SUCCESS) return status;
  loader_unlock();
  return STATUS_SUCCESS;
}
