#include "libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace ireactor::guard {
namespace {

constexpr size_t kTailBytes = 4096;

thread_local int capture_depth = 0;
thread_local std::string captured;

int capture(enum libbpf_print_level level, const char* format, va_list args) {
  if (capture_depth == 0 || level == LIBBPF_DEBUG) return 0;
  // One message can be a whole verifier log, whose end says why: format all of it.
  va_list copy;
  va_copy(copy, args);
  int n = vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  if (n <= 0) return n;
  std::string message(n + 1, '\0');
  vsnprintf(message.data(), message.size(), format, args);
  message.pop_back();
  captured += message;
  if (captured.size() > 2 * kTailBytes) captured.erase(0, captured.size() - kTailBytes);
  return n;
}

}  // namespace

LibbpfLog::LibbpfLog() {
  // The callback is process-wide; it only records on threads that opened a LibbpfLog, so the
  // library stays quiet otherwise (ireactord logs through spdlog, not stderr).
  static std::once_flag installed;
  std::call_once(installed, [] { libbpf_set_print(capture); });
  if (capture_depth++ == 0) captured.clear();
}

LibbpfLog::~LibbpfLog() {
  --capture_depth;
}

std::string LibbpfLog::tail() const {
  std::string t =
      captured.size() > kTailBytes ? captured.substr(captured.size() - kTailBytes) : captured;
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  return t;
}

void LibbpfLog::fail(const std::string& what, int err) const {
  std::string message = what + ": " + errno_text(err);
  std::string log = tail();
  if (!log.empty()) message += "\nlibbpf: " + log;
  throw std::runtime_error(message);
}

std::string errno_text(int err) {
  return std::strerror(err < 0 ? -err : err);
}

}  // namespace ireactor::guard
