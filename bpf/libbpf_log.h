// libbpf reports why a load failed through its print callback (the verifier log, "couldn't reuse
// pinned map", ...), not through errno. LibbpfLog captures those lines for the duration of one
// operation so the exception it throws says what the kernel said.
#pragma once

#include <string>

namespace ireactor::guard {

class LibbpfLog {
 public:
  LibbpfLog();   // starts capturing this thread's libbpf messages (warnings and info)
  ~LibbpfLog();  // stops; nested logs share the outermost capture
  LibbpfLog(const LibbpfLog&) = delete;
  LibbpfLog& operator=(const LibbpfLog&) = delete;

  // The last captured lines (bounded: a verifier log is long, its end says why).
  std::string tail() const;

  // Throws std::runtime_error "<what>: <strerror(-err)>", followed by the captured tail.
  [[noreturn]] void fail(const std::string& what, int err) const;
};

// "Operation not permitted" for -EPERM or EPERM.
std::string errno_text(int err);

}  // namespace ireactor::guard
