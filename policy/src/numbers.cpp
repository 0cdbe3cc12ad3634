#include "numbers.h"

#include <charconv>

namespace ireactor::policy {

namespace {

std::string trim(const std::string& s) {
  const size_t first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::variant<uint32_t, std::string> parse_cmd(const std::string& text) {
  const auto value = parse_unsigned(text);
  if (!value) return "\"" + text + "\" is not a number (write 0x5401 or 21505)";
  if (*value > UINT32_MAX) return "\"" + text + "\" does not fit an ioctl command (32 bits)";
  return static_cast<uint32_t>(*value);
}

}  // namespace

std::optional<uint64_t> parse_unsigned(std::string_view text) {
  int base = 10;
  std::string_view digits = text;
  if (digits.starts_with("0x") || digits.starts_with("0X")) {
    base = 16;
    digits.remove_prefix(2);
  }
  if (digits.empty()) return std::nullopt;
  uint64_t value = 0;
  const char* last = digits.data() + digits.size();
  auto [end, ec] = std::from_chars(digits.data(), last, value, base);
  if (ec != std::errc() || end != last) return std::nullopt;
  return value;
}

std::variant<CmdRange, std::string> parse_cmd_range(const std::string& text) {
  if (trim(text) == "*") return CmdRange{0, UINT32_MAX};
  const size_t dash = text.find('-');
  const std::string lo_text = trim(text.substr(0, dash));
  const std::string hi_text = dash == std::string::npos ? lo_text : trim(text.substr(dash + 1));
  if (lo_text.empty() || hi_text.empty())
    return "\"" + text + "\" is not a command or a range (write 0x5401 or 0x6400-0x64ff)";
  const auto lo = parse_cmd(lo_text);
  if (auto* e = std::get_if<std::string>(&lo)) return *e;
  const auto hi = parse_cmd(hi_text);
  if (auto* e = std::get_if<std::string>(&hi)) return *e;
  CmdRange r{std::get<uint32_t>(lo), std::get<uint32_t>(hi)};
  if (r.lo > r.hi) return "range \"" + text + "\" ends before it starts";
  return r;
}

}  // namespace ireactor::policy
