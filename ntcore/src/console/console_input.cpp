#include "console/console_input.h"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "console/code_page.h"
#include "console/console_state.h"
#include "console/key_input.h"
#include "console/terminal.h"

namespace ireactor::console {

using namespace nt;

namespace {

constexpr size_t kReadChunk = 4096;
// How long the rest of an escape sequence may take to arrive after its ESC.
constexpr int kEscapeWaitMs = 30;

bool line_mode(uint32_t mode) {
  return (mode & win::ENABLE_LINE_INPUT) != 0;
}

// One read(2) of the terminal: >0 bytes appended, 0 at end of input, <0 -errno.
ssize_t read_terminal(int fd, std::string& into) {
  char buf[kReadChunk];
  ssize_t r;
  do {
    r = read(fd, buf, sizeof buf);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return -errno;
  into.append(buf, static_cast<size_t>(r));
  return r;
}

bool readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, timeout_ms) > 0 && (p.revents & POLLIN);
}

// Moves characters typed as key events (WriteConsoleInput, or keys a peek took from the
// terminal) into the pending characters: a read of characters sees them first, as on Windows.
void take_record_chars(ConsoleState& s) {
  while (!s.records.empty()) {
    const win::INPUT_RECORD r = s.records.front();
    s.records.pop_front();
    if (r.EventType != win::KEY_EVENT || !r.Event.KeyEvent.bKeyDown) continue;
    if (char16_t c = r.Event.KeyEvent.UnicodeChar) s.pending += c;
  }
}

// Makes sure there are pending characters: the terminal's next line (line mode) or input.
// input_mutex() is held. STATUS_END_OF_FILE when the terminal reports end of input.
NTSTATUS fill_pending(FileObject& f) {
  ConsoleState& s = state();
  uint32_t mode;
  {
    std::lock_guard lock(s.mu);
    take_record_chars(s);
    if (!s.pending.empty()) return STATUS_SUCCESS;
    mode = s.input_mode;
  }
  std::string bytes;
  for (;;) {
    ssize_t r = read_terminal(f.fd, bytes);
    if (r < 0) return status_from_errno(static_cast<int>(-r));
    std::lock_guard lock(s.mu);
    if (r == 0 && s.partial_utf8.empty()) return STATUS_END_OF_FILE;
    s.partial_utf8 += bytes;
    bytes.clear();
    size_t complete = r == 0 ? s.partial_utf8.size() : complete_utf8_prefix(s.partial_utf8);
    std::u16string text = utf8_to_utf16(std::string_view(s.partial_utf8).substr(0, complete));
    s.partial_utf8.erase(0, complete);
    // A console line ends in CR LF; the terminal's line discipline ends it in LF.
    for (char16_t c : text) {
      if (c == u'\n' && line_mode(mode)) s.pending += u'\r';
      s.pending += c;
    }
    if (!s.pending.empty()) return STATUS_SUCCESS;
  }
}

// Reads what the terminal has into key events without waiting for a line: the terminal is
// switched out of line mode for the read when the console is in it. input_mutex() is held.
NTSTATUS fill_records(FileObject& f, bool wait) {
  ConsoleState& s = state();
  uint32_t mode;
  {
    std::lock_guard lock(s.mu);
    mode = s.input_mode;
  }
  const bool processed = (mode & win::ENABLE_PROCESSED_INPUT) != 0;
  const bool switched = line_mode(mode) && set_terminal_input(f.fd, false, false, processed);
  NTSTATUS status = STATUS_SUCCESS;
  std::string bytes;
  if (wait || readable(f.fd, 0)) {
    // Then whatever else is already there, and the rest of an escape sequence.
    ssize_t r = read_terminal(f.fd, bytes);
    while (r > 0 && readable(f.fd, bytes.back() == 0x1B ? kEscapeWaitMs : 0))
      r = read_terminal(f.fd, bytes);
    if (r < 0) status = status_from_errno(static_cast<int>(-r));
  }
  if (switched) apply_input_mode(f, mode);
  std::lock_guard lock(s.mu);
  s.partial_utf8 += bytes;
  size_t used = decode_keys(s.partial_utf8, true, s.records);
  s.partial_utf8.erase(0, used);
  return status;
}

}  // namespace

NTSTATUS read_chars(FileObject& f, size_t max_chars, std::u16string& out) {
  std::lock_guard reader(input_mutex());
  if (max_chars == 0) return STATUS_SUCCESS;
  NTSTATUS st = fill_pending(f);
  if (st == STATUS_END_OF_FILE) return STATUS_SUCCESS;  // nothing read: ReadConsole's end
  if (!nt_success(st)) return st;
  ConsoleState& s = state();
  std::lock_guard lock(s.mu);
  out = s.pending.substr(0, max_chars);
  s.pending.erase(0, out.size());
  return STATUS_SUCCESS;
}

NTSTATUS read_bytes(FileObject& f, size_t max_bytes, std::string& out) {
  std::lock_guard reader(input_mutex());
  if (max_bytes == 0) return STATUS_SUCCESS;
  NTSTATUS st = fill_pending(f);
  if (st == STATUS_END_OF_FILE) return STATUS_SUCCESS;
  if (!nt_success(st)) return st;
  ConsoleState& s = state();
  std::lock_guard lock(s.mu);
  const CodePage* cp = CodePage::get(s.input_cp);
  if (!cp) cp = CodePage::get(kUtf8CodePage);
  size_t used = 0;
  while (used < s.pending.size()) {
    // A surrogate pair is one character.
    size_t n =
        (s.pending[used] >= 0xD800 && s.pending[used] < 0xDC00 && used + 1 < s.pending.size()) ? 2
                                                                                               : 1;
    std::string enc = cp->encode(std::u16string_view(s.pending).substr(used, n));
    if (out.size() + enc.size() > max_bytes) {
      if (out.empty()) out = enc.substr(0, max_bytes), used += n;  // a character cut is lost
      break;
    }
    out += enc;
    used += n;
  }
  s.pending.erase(0, used);
  return STATUS_SUCCESS;
}

NTSTATUS read_records(FileObject& f, size_t max, bool wait, bool remove,
                      std::vector<win::INPUT_RECORD>& out) {
  std::lock_guard reader(input_mutex());
  ConsoleState& s = state();
  bool empty;
  {
    std::lock_guard lock(s.mu);
    empty = s.records.empty();
  }
  // A wait ends with the first key; a peek takes in what is there without waiting.
  while (max != 0) {
    if (NTSTATUS st = fill_records(f, wait && empty); !nt_success(st)) return st;
    std::lock_guard lock(s.mu);
    if (!s.records.empty() || !wait) break;
  }
  std::lock_guard lock(s.mu);
  const size_t n = std::min(max, s.records.size());
  out.assign(s.records.begin(), s.records.begin() + static_cast<std::ptrdiff_t>(n));
  if (remove)
    s.records.erase(s.records.begin(), s.records.begin() + static_cast<std::ptrdiff_t>(n));
  return STATUS_SUCCESS;
}

size_t count_records(FileObject& f) {
  // A reader waiting on the terminal has the input: count what is queued without it.
  std::unique_lock reader(input_mutex(), std::try_to_lock);
  if (reader.owns_lock()) fill_records(f, false);
  ConsoleState& s = state();
  std::lock_guard lock(s.mu);
  return s.records.size();
}

void flush_input(FileObject& f) {
  std::lock_guard reader(input_mutex());
  tcflush(f.fd, TCIFLUSH);
  ConsoleState& s = state();
  std::lock_guard lock(s.mu);
  s.records.clear();
  s.pending.clear();
  s.partial_utf8.clear();
}

NTSTATUS apply_input_mode(FileObject& f, uint32_t mode) {
  const bool line = line_mode(mode);
  const bool echo = line && (mode & win::ENABLE_ECHO_INPUT);
  if (!set_terminal_input(f.fd, line, echo, (mode & win::ENABLE_PROCESSED_INPUT) != 0))
    return status_from_errno(errno);
  return STATUS_SUCCESS;
}

}  // namespace ireactor::console
