#include "windows_builds.h"

#include <charconv>
#include <map>

#include "ireactor/dispatcher.h"

namespace ireactor::cli {

std::vector<std::string> supported_builds() {
  return supported_windows_builds();
}

std::string windows_release_name(const std::string& build) {
  // Marketing names are not derivable from the number; unknown builds still get the product.
  static const std::map<std::string, std::string, std::less<>> releases = {
      {"10.0.19041", "Windows 10 2004"}, {"10.0.19042", "Windows 10 20H2"},
      {"10.0.19043", "Windows 10 21H1"}, {"10.0.19044", "Windows 10 21H2"},
      {"10.0.19045", "Windows 10 22H2"}, {"10.0.20348", "Windows Server 2022"},
      {"10.0.22000", "Windows 11 21H2"}, {"10.0.22621", "Windows 11 22H2"},
      {"10.0.22631", "Windows 11 23H2"}, {"10.0.26100", "Windows 11 24H2"},
  };
  if (auto it = releases.find(build); it != releases.end()) return it->second;
  if (!build.starts_with("10.0.")) return "";
  unsigned number = 0;
  const char* first = build.data() + 5;
  const char* last = build.data() + build.size();
  if (auto [end, ec] = std::from_chars(first, last, number); ec != std::errc() || end != last)
    return "";
  return number >= 22000 ? "Windows 11" : "Windows 10";
}

}  // namespace ireactor::cli
