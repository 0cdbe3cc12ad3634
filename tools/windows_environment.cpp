#include "windows_environment.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace ireactor::cli {

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string user_name() {
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name) return pw->pw_name;
  return "user";
}

std::string computer_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == 0) return "IREACTOR";
  std::string name(host);
  name = name.substr(0, name.find('.'));
  return upper(name.substr(0, 15));  // NetBIOS names are at most 15 characters
}

}  // namespace

std::vector<std::string> default_windows_environment() {
  const long cpus = std::max(1L, sysconf(_SC_NPROCESSORS_ONLN));
  std::vector<std::string> env = {
      "COMPUTERNAME=" + computer_name(),
      "ComSpec=C:\\Windows\\System32\\cmd.exe",
      "NUMBER_OF_PROCESSORS=" + std::to_string(cpus),
      "OS=Windows_NT",
      "Path=C:\\Windows\\System32;C:\\Windows",
      "PATHEXT=.COM;.EXE;.BAT;.CMD",
      "PROCESSOR_ARCHITECTURE=AMD64",
      "SystemDrive=C:",
      "SystemRoot=C:\\Windows",
      "TEMP=C:\\Windows\\Temp",
      "TMP=C:\\Windows\\Temp",
      "USERNAME=" + user_name(),
      "USERPROFILE=C:\\Users\\Default",
      "windir=C:\\Windows",
  };
  std::sort(env.begin(), env.end(), [](const std::string& a, const std::string& b) {
    return upper(a.substr(0, a.find('='))) < upper(b.substr(0, b.find('=')));
  });
  return env;
}

}  // namespace ireactor::cli
