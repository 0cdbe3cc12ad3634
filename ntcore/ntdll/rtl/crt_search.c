/* The C library's sorting and searching: qsort (an in-place heapsort: O(n log n) whatever the
 * input, no allocation), bsearch and _lfind. */
#include "strings_private.h"

typedef int(__cdecl* compare_fn)(const void*, const void*);

static void swap_elements(unsigned char* a, unsigned char* b, size_t size) {
  while (size--) {
    const unsigned char t = *a;
    *a++ = *b;
    *b++ = t;
  }
}

/* Moves element i down the max-heap of n elements until its children are smaller. */
static void sift_down(unsigned char* base, size_t i, size_t n, size_t size, compare_fn cmp) {
  for (;;) {
    size_t largest = i;
    const size_t left = 2 * i + 1, right = left + 1;
    if (left < n && cmp(base + left * size, base + largest * size) > 0) largest = left;
    if (right < n && cmp(base + right * size, base + largest * size) > 0) largest = right;
    if (largest == i) return;
    swap_elements(base + i * size, base + largest * size, size);
    i = largest;
  }
}

NTDLL_EXPORT void __cdecl qsort(void* base, size_t count, size_t size, compare_fn cmp) {
  unsigned char* b = base;
  if (count < 2 || !size) return;
  for (size_t i = count / 2; i-- > 0;) sift_down(b, i, count, size, cmp);
  for (size_t end = count - 1; end > 0; end--) {
    swap_elements(b, b + end * size, size);
    sift_down(b, 0, end, size, cmp);
  }
}

NTDLL_EXPORT void* __cdecl bsearch(const void* key, const void* base, size_t count, size_t size,
                                   compare_fn cmp) {
  const unsigned char* b = base;
  size_t low = 0, high = count;
  while (low < high) {
    const size_t mid = low + (high - low) / 2;
    const int c = cmp(key, b + mid * size);
    if (!c) return (void*)(b + mid * size);
    if (c < 0)
      high = mid;
    else
      low = mid + 1;
  }
  return NULL;
}

/* Linear search: the first element equal to key (cmp returns 0), or NULL. */
NTDLL_EXPORT void* __cdecl _lfind(const void* key, const void* base, unsigned int* count,
                                  unsigned int size, compare_fn cmp) {
  const unsigned char* b = base;
  for (unsigned int i = 0; i < *count; i++)
    if (!cmp(key, b + (size_t)i * size)) return (void*)(b + (size_t)i * size);
  return NULL;
}

NTDLL_EXPORT int __cdecl abs(int v) {
  return v < 0 ? -v : v;
}
NTDLL_EXPORT long __cdecl labs(long v) {
  return v < 0 ? -v : v;
}
