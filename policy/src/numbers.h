// Numbers as policy files write them: decimal or 0x-hexadecimal, and ioctl command ranges.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace ireactor::policy {

// "226", "0xe2"; nothing else (no sign, no spaces, no octal). nullopt when not such a number or
// above UINT64_MAX.
std::optional<uint64_t> parse_unsigned(std::string_view text);

struct CmdRange {
  uint32_t lo = 0, hi = 0;  // inclusive
};

// "0x5401", "21505", "0x6400-0x64ff" (spaces around '-' allowed) or "*" (every command). The
// error is a sentence fragment for a diagnostic.
std::variant<CmdRange, std::string> parse_cmd_range(const std::string& text);

}  // namespace ireactor::policy
