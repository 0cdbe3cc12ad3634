#include "api_sets.h"

#include <cctype>

namespace ireactor::loader {

namespace {

// By prefix, longest first where they overlap. The contract name ends in "-lN-N-N"; any version
// of a listed family maps to the same host, as the schema's entries do.
struct ApiSetFamily {
  std::string_view prefix;
  std::string_view host;
};

constexpr ApiSetFamily kFamilies[] = {
    {"api-ms-win-crt-", "ucrtbase.dll"},
    {"api-ms-win-core-crt-", "msvcrt.dll"},
    {"api-ms-win-core-localization-obsolete-", "kernel32.dll"},
    {"api-ms-win-core-kernel32-legacy-", "kernel32.dll"},
    {"api-ms-win-core-", "kernelbase.dll"},
    {"api-ms-win-eventing-", "kernelbase.dll"},
    {"api-ms-win-security-base-", "kernelbase.dll"},
};

}  // namespace

std::string api_set_host(std::string_view name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.ends_with(".dll")) lower.resize(lower.size() - 4);
  if (!lower.starts_with("api-") && !lower.starts_with("ext-")) return {};
  for (const ApiSetFamily& f : kFamilies)
    if (lower.starts_with(f.prefix)) return std::string(f.host);
  return {};
}

}  // namespace ireactor::loader
