// Where libc's code lives: Syscall User Dispatch never diverts a syscall issued from there, so the
// runtime's own system calls, glibc's rt_sigreturn restorer included, always reach Linux.
#pragma once

#include <cstdint>
#include <optional>

namespace ireactor::entry {

struct CodeRange {
  uint64_t start = 0;
  uint64_t len = 0;
  bool contains(uint64_t addr) const { return addr - start < len; }
};

// The executable PT_LOAD segment, page-rounded, of the loaded object whose segment holds addr.
std::optional<CodeRange> text_segment_containing(uint64_t addr);

// libc's text segment: the one holding glibc's syscall(). Throws std::runtime_error when it
// cannot be found.
CodeRange libc_text_range();

}  // namespace ireactor::entry
