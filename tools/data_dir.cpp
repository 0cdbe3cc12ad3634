#include "data_dir.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "cli_error.h"

namespace ireactor::cli {

namespace {

std::filesystem::path home_dir() {
  if (const char* home = std::getenv("HOME"); home && home[0] == '/') return home;
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_dir && pw->pw_dir[0] == '/')
    return pw->pw_dir;
  fail("cannot find the user's data directory: neither XDG_DATA_HOME nor HOME is set");
}

}  // namespace

std::filesystem::path user_data_dir() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  // The spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const std::filesystem::path base =
      xdg && xdg[0] == '/' ? std::filesystem::path(xdg) : home_dir() / ".local" / "share";
  return base / "ireactor";
}

std::filesystem::path namespace_dir(std::string_view name) {
  return user_data_dir() / "namespaces" / std::filesystem::path(name);
}

}  // namespace ireactor::cli
