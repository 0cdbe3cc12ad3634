// WindowsNamespace::drive() and drive mapping.
#include "ireactor/windows_namespace.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ireactor/io/drive_map.h"

namespace ireactor {

namespace {

int letter_index(char letter) {
  if (letter >= 'a' && letter <= 'z') return letter - 'a';
  if (letter >= 'A' && letter <= 'Z') return letter - 'A';
  return -1;
}

}  // namespace

Drive* WindowsNamespace::drive(char letter) {
  int i = letter_index(letter);
  if (i < 0 || drives[i].root_fd < 0) return nullptr;
  return &drives[i];
}

bool map_drive(WindowsNamespace& ns, char letter, const std::string& host_dir, bool read_only,
               std::string& error) {
  int i = letter_index(letter);
  if (i < 0) {
    error = std::string("invalid drive letter '") + letter + "'";
    return false;
  }
  int fd = open(host_dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    error = "cannot open " + host_dir + " for drive " + static_cast<char>('A' + i) + ": " +
            std::string(strerror(errno));
    return false;
  }
  char* real = realpath(host_dir.c_str(), nullptr);
  Drive& d = ns.drives[i];
  if (d.root_fd >= 0) close(d.root_fd);
  d.root_fd = fd;
  d.host_path = real ? real : host_dir;
  d.read_only = read_only;
  free(real);
  return true;
}

}  // namespace ireactor
