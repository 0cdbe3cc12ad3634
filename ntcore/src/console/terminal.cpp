#include "console/terminal.h"

#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

namespace ireactor::console {

namespace {

std::mutex g_mu;
int g_fd = -1;  // the terminal whose settings were remembered
termios g_saved{};
bool g_changed = false;

}  // namespace

void remember_terminal(int fd) {
  std::lock_guard lock(g_mu);
  if (g_fd >= 0) return;
  termios t;
  if (tcgetattr(fd, &t) != 0) return;
  g_fd = fd;
  g_saved = t;
}

bool set_terminal_input(int fd, bool line, bool echo, bool processed) {
  termios t;
  if (tcgetattr(fd, &t) != 0) return false;
  auto flag = [](tcflag_t& f, tcflag_t bit, bool on) { f = on ? (f | bit) : (f & ~bit); };
  flag(t.c_lflag, ICANON, line);
  flag(t.c_lflag, ECHO | ECHOE | ECHOK, echo);
  flag(t.c_lflag, ISIG, processed);
  // Enter ends a line as "\n" in line mode; a raw console read gives the "\r" the key sends.
  flag(t.c_iflag, ICRNL, line);
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  std::lock_guard lock(g_mu);
  if (tcsetattr(fd, TCSANOW, &t) != 0) return false;
  g_changed = true;
  return true;
}

void restore_terminal() {
  std::lock_guard lock(g_mu);
  if (g_fd >= 0 && g_changed) tcsetattr(g_fd, TCSANOW, &g_saved);
  g_changed = false;
}

WindowSize window_size(int fd) {
  WindowSize s;
  winsize ws{};
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
    s.columns = ws.ws_col;
    s.rows = ws.ws_row;
  }
  return s;
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t r = write(fd, bytes.data(), bytes.size());
    if (r < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(r));
  }
  return true;
}

}  // namespace ireactor::console
