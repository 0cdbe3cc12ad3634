#include "windows_version.h"

#include <charconv>

namespace ireactor::loader {

std::optional<WindowsVersion> parse_windows_version(std::string_view text) {
  uint32_t parts[3];
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int i = 0; i < 3; ++i) {
    if (i > 0) {
      if (p == end || *p != '.') return std::nullopt;
      ++p;
    }
    auto [next, ec] = std::from_chars(p, end, parts[i]);
    if (ec != std::errc() || next == p) return std::nullopt;
    p = next;
  }
  if (p != end || parts[2] > 0xFFFF) return std::nullopt;
  return WindowsVersion{parts[0], parts[1], parts[2]};
}

}  // namespace ireactor::loader
