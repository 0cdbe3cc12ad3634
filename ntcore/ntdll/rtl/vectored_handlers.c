/* Vectored exception and continue handlers: process-wide lists called before (exception) and
 * after (continue) the frame-based handlers. A handler is called without the list lock held,
 * so it may add or remove handlers. */
#include "exception_private.h"

typedef struct VECTORED_HANDLER {
  LIST_ENTRY link;
  PVECTORED_EXCEPTION_HANDLER handler;
  LONG users; /* 1 while listed, +1 per running call */
  BOOLEAN removed;
} VECTORED_HANDLER;

static LIST_ENTRY lists[2] = {{&lists[0], &lists[0]}, {&lists[1], &lists[1]}};
static volatile LONG lock;

static PVOID add_handler(int which, ULONG first, PVECTORED_EXCEPTION_HANDLER handler) {
  VECTORED_HANDLER* v = exceptions_alloc_node();
  if (!v) return NULL;
  v->handler = handler;
  v->users = 1;
  LIST_ENTRY* head = &lists[which];
  exceptions_lock(&lock);
  if (first) { /* at the head */
    v->link.Flink = head->Flink;
    v->link.Blink = head;
    head->Flink->Blink = &v->link;
    head->Flink = &v->link;
  } else {
    v->link.Flink = head;
    v->link.Blink = head->Blink;
    head->Blink->Flink = &v->link;
    head->Blink = &v->link;
  }
  exceptions_unlock(&lock);
  return v;
}

static void unlink_entry(VECTORED_HANDLER* v) {
  v->link.Blink->Flink = v->link.Flink;
  v->link.Flink->Blink = v->link.Blink;
}

/* Drops one use, with the lock held; TRUE when the entry was removed and this was the last use
 * (it is then unlinked, and the caller frees it after unlocking). */
static BOOLEAN release(VECTORED_HANDLER* v) {
  if (--v->users || !v->removed) return FALSE;
  unlink_entry(v);
  return TRUE;
}

/* An entry removed while a call runs stays linked (so the walk can go on from it) until that
 * call ends. */
static ULONG remove_handler(int which, PVOID handle) {
  VECTORED_HANDLER* found = NULL;
  BOOLEAN free_it = FALSE;
  exceptions_lock(&lock);
  for (LIST_ENTRY* e = lists[which].Flink; e != &lists[which]; e = e->Flink) {
    VECTORED_HANDLER* v = CONTAINING_RECORD(e, VECTORED_HANDLER, link);
    if (e == (LIST_ENTRY*)handle && !v->removed) {
      found = v;
      found->removed = TRUE;
      free_it = release(found);
      break;
    }
  }
  exceptions_unlock(&lock);
  if (free_it) exceptions_free_node(found);
  return found != NULL;
}

LONG exceptions_call_vectored(EXCEPTION_RECORD* rec, CONTEXT* context, BOOLEAN continue_list) {
  LIST_ENTRY* head = &lists[continue_list ? 1 : 0];
  EXCEPTION_POINTERS ptrs = {rec, context};
  LONG result = EXCEPTION_CONTINUE_SEARCH;
  exceptions_lock(&lock);
  for (LIST_ENTRY* e = head->Flink; e != head;) {
    VECTORED_HANDLER* v = CONTAINING_RECORD(e, VECTORED_HANDLER, link);
    if (v->removed) {
      e = e->Flink;
      continue;
    }
    v->users++;
    exceptions_unlock(&lock);
    result = v->handler(&ptrs);
    exceptions_lock(&lock);
    e = e->Flink;
    if (release(v)) {
      exceptions_unlock(&lock);
      exceptions_free_node(v);
      exceptions_lock(&lock);
    }
    if (result == EXCEPTION_CONTINUE_EXECUTION) break;
  }
  exceptions_unlock(&lock);
  return result == EXCEPTION_CONTINUE_EXECUTION ? EXCEPTION_CONTINUE_EXECUTION
                                                : EXCEPTION_CONTINUE_SEARCH;
}

NTDLL_EXPORT PVOID NTAPI RtlAddVectoredExceptionHandler(ULONG first,
                                                        PVECTORED_EXCEPTION_HANDLER handler) {
  return add_handler(0, first, handler);
}

NTDLL_EXPORT ULONG NTAPI RtlRemoveVectoredExceptionHandler(PVOID handle) {
  return remove_handler(0, handle);
}

NTDLL_EXPORT PVOID NTAPI RtlAddVectoredContinueHandler(ULONG first,
                                                       PVECTORED_EXCEPTION_HANDLER handler) {
  return add_handler(1, first, handler);
}

NTDLL_EXPORT ULONG NTAPI RtlRemoveVectoredContinueHandler(PVOID handle) {
  return remove_handler(1, handle);
}
