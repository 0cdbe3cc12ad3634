// The host terminal behind the console: Windows console modes become termios settings of the
// terminal, and the settings it had are put back when the process ends.
#pragma once

#include <string_view>

namespace ireactor::console {

struct WindowSize {
  int columns = 80;
  int rows = 25;
};

// Remembers the terminal's settings (once per process) so that restore_terminal() can put them
// back through `fd`, which stays open for the life of the process.
void remember_terminal(int fd);
// Line input (canonical mode), echo and processed input (Ctrl+C as a signal) on or off.
// Returns false when the terminal refused.
bool set_terminal_input(int fd, bool line, bool echo, bool processed);
// The settings remembered first, if any mode was changed since.
void restore_terminal();
WindowSize window_size(int fd);
// Writes all of `bytes` (a terminal may take them in parts); false on error (errno set).
bool write_all(int fd, std::string_view bytes);

}  // namespace ireactor::console
