// The version a namespace's Windows build presents (PEB.OS*Version, KUSER_SHARED_DATA):
// "10.0.19045" → major 10, minor 0, build 19045.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ireactor::loader {

struct WindowsVersion {
  uint32_t major = 10;
  uint32_t minor = 0;
  uint32_t build = 19045;
};

// nullopt unless `text` is three dot-separated decimal numbers (build below 65536).
std::optional<WindowsVersion> parse_windows_version(std::string_view text);

}  // namespace ireactor::loader
