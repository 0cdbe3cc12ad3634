// LIST_ENTRY as Windows code sees it: the doubly linked list node of every NT list (loader
// module lists, TEB TLS links...). Flink/Blink are Windows addresses.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ireactor::win {

struct LIST_ENTRY {
  uint64_t Flink;
  uint64_t Blink;
};
static_assert(sizeof(LIST_ENTRY) == 16);
static_assert(offsetof(LIST_ENTRY, Blink) == 8);

}  // namespace ireactor::win
