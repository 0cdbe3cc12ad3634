// The per-thread Syscall User Dispatch selector and the scopes that flip it between runtime code
// (allow) and Windows code (block).
#include "ireactor/entry.h"

// Initial-exec so every access, C++ or asm (fast_gate.S), is a plain %fs-relative byte access:
// signal-safe, no TLS descriptor call. Zero (allow) on every new thread.
__thread uint8_t ir_sud_selector __attribute__((tls_model("initial-exec"))) =
    ireactor::entry::kSelectorAllow;

namespace ireactor::entry {

namespace {

// The kernel reads the byte at syscall time, so the store must be emitted where it is written,
// not merged or moved across the code it guards.
inline void set_selector(uint8_t v) {
  *static_cast<volatile uint8_t*>(&ir_sud_selector) = v;
}
inline uint8_t selector() {
  return *static_cast<volatile uint8_t*>(&ir_sud_selector);
}

}  // namespace

RuntimeScope::RuntimeScope() : saved_(selector()) {
  set_selector(kSelectorAllow);
}
RuntimeScope::~RuntimeScope() {
  set_selector(saved_);
}

WindowsCodeScope::WindowsCodeScope() : saved_(selector()) {
  set_selector(kSelectorBlock);
}
WindowsCodeScope::~WindowsCodeScope() {
  set_selector(saved_);
}

}  // namespace ireactor::entry
