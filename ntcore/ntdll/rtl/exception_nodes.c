/* The exception family's small shared pieces: a spin lock and fixed-size list nodes (vectored
 * handlers, dynamic function tables) carved from pages of their own, so they work before, and
 * without, the process heap. */
#include "exception_private.h"

#define NODE_SIZE 128
#define CHUNK_SIZE 0x10000

void exceptions_lock(volatile LONG* lock) {
  while (InterlockedCompareExchange(lock, 1, 0) != 0) NtYieldExecution();
}

void exceptions_unlock(volatile LONG* lock) {
  InterlockedExchange(lock, 0);
}

static volatile LONG node_lock;
static void* free_nodes;
static BYTE* chunk_next;
static BYTE* chunk_end;

void* exceptions_alloc_node(void) {
  void* node = NULL;
  exceptions_lock(&node_lock);
  if (free_nodes) {
    node = free_nodes;
    free_nodes = *(void**)node;
  } else {
    if (chunk_next == chunk_end) {
      PVOID chunk = NULL;
      SIZE_T size = CHUNK_SIZE;
      if (NT_SUCCESS(NtAllocateVirtualMemory(EXCEPTIONS_CURRENT_PROCESS, &chunk, 0, &size,
                                             MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE))) {
        chunk_next = chunk;
        chunk_end = chunk_next + size;
      }
    }
    if (chunk_next != chunk_end) {
      node = chunk_next;
      chunk_next += NODE_SIZE;
    }
  }
  exceptions_unlock(&node_lock);
  if (node) __builtin_memset(node, 0, NODE_SIZE);
  return node;
}

void exceptions_free_node(void* node) {
  exceptions_lock(&node_lock);
  *(void**)node = free_nodes;
  free_nodes = node;
  exceptions_unlock(&node_lock);
}
