#include "console/console_output.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "console/code_page.h"
#include "console/console_state.h"
#include "console/terminal.h"

namespace ireactor::console {

using namespace nt;

namespace {

// The Windows console's default colour table (COLORREF 0x00BBGGRR).
constexpr uint32_t kColorTable[16] = {0x000000, 0x800000, 0x008000, 0x808000, 0x000080, 0x800080,
                                      0x008080, 0xC0C0C0, 0x808080, 0xFF0000, 0x00FF00, 0xFFFF00,
                                      0x0000FF, 0xFF00FF, 0x00FFFF, 0xFFFFFF};
constexpr uint16_t COMMON_LVB_REVERSE_VIDEO = 0x4000;
constexpr uint16_t COMMON_LVB_UNDERSCORE = 0x8000;

NTSTATUS write_terminal(FileObject& f, std::string_view bytes) {
  if (!write_all(f.fd, bytes))
    return errno == EPIPE ? STATUS_PIPE_BROKEN : status_from_errno(errno);
  return STATUS_SUCCESS;
}

// Console colour bits are blue 1, green 2, red 4; the terminal's colour numbers red 1, green 2,
// blue 4.
int ansi_color(unsigned bits) {
  return ((bits & 4) ? 1 : 0) | (bits & 2) | ((bits & 1) ? 4 : 0);
}

uint16_t current_attribute() {
  ConsoleState& s = state();
  std::lock_guard lock(s.mu);
  return s.attr;
}

std::string cursor_to(int x, int y) {
  return "\x1b[" + std::to_string(y + 1) + ";" + std::to_string(x + 1) + "H";
}

}  // namespace

std::string attribute_sequence(uint16_t attr) {
  // The default attribute is the terminal's own default colours, whatever they are.
  if ((attr & 0xFF) == win::kDefaultAttributes && !(attr & 0xC000)) return "\x1b[0m";
  std::string s = "\x1b[0";
  const unsigned fg = attr & 0x0F, bg = (attr >> 4) & 0x0F;
  s += ";" + std::to_string(((fg & 8) ? 90 : 30) + ansi_color(fg));
  s += ";" + std::to_string(((bg & 8) ? 100 : 40) + ansi_color(bg));
  if (attr & COMMON_LVB_REVERSE_VIDEO) s += ";7";
  if (attr & COMMON_LVB_UNDERSCORE) s += ";4";
  return s + "m";
}

NTSTATUS write_text(FileObject& f, std::u16string_view text) {
  return write_terminal(f, utf16_to_utf8(text));
}

NTSTATUS write_bytes(FileObject& f, std::string_view bytes) {
  uint32_t cp_number;
  {
    ConsoleState& s = state();
    std::lock_guard lock(s.mu);
    cp_number = s.output_cp;
  }
  const CodePage* cp = CodePage::get(cp_number);
  if (!cp || cp->is_utf8()) return write_terminal(f, bytes);  // the terminal speaks UTF-8
  return write_terminal(f, utf16_to_utf8(cp->decode(bytes)));
}

void get_output_info(FileObject& f, win::CondrvOutputInfo& o) {
  const WindowSize ws = window_size(f.fd);
  ConsoleState& s = state();
  std::lock_guard lock(s.mu);
  o = {};
  o.cursor_size = s.cursor_size;
  o.cursor_visible = s.cursor_visible;
  o.cursor_x = s.cursor_x;
  o.cursor_y = s.cursor_y;
  // The screen buffer is the terminal's screen: no scrollback a program could address.
  o.width = o.max_width = static_cast<int16_t>(ws.columns);
  o.height = o.max_height = static_cast<int16_t>(ws.rows);
  o.win_right = static_cast<int16_t>(ws.columns - 1);
  o.win_bottom = static_cast<int16_t>(ws.rows - 1);
  o.attr = static_cast<int16_t>(s.attr);
  o.popup_attr = static_cast<int16_t>(s.popup_attr);
  o.font_width = 8;
  o.font_height = 16;
  o.font_weight = 400;  // FW_NORMAL
  std::memcpy(o.color_map, kColorTable, sizeof kColorTable);
}

NTSTATUS set_output_info(FileObject& f, const win::CondrvOutputInfoParams& p) {
  const WindowSize ws = window_size(f.fd);
  const win::CondrvOutputInfo& i = p.info;
  // The terminal's size is the user's to change: a program may only ask for what it is.
  if ((p.mask & (win::SET_OUTPUT_INFO_SIZE | win::SET_OUTPUT_INFO_MAX_SIZE)) &&
      (i.width != ws.columns || i.height != ws.rows))
    return STATUS_INVALID_PARAMETER;
  if ((p.mask & win::SET_OUTPUT_INFO_DISPLAY_WINDOW) &&
      (i.win_left != 0 || i.win_top != 0 || i.win_right != ws.columns - 1 ||
       i.win_bottom != ws.rows - 1))
    return STATUS_INVALID_PARAMETER;
  if ((p.mask & win::SET_OUTPUT_INFO_CURSOR_POS) &&
      (i.cursor_x < 0 || i.cursor_y < 0 || i.cursor_x >= ws.columns || i.cursor_y >= ws.rows))
    return STATUS_INVALID_PARAMETER;
  if ((p.mask & win::SET_OUTPUT_INFO_CURSOR_GEOM) && (i.cursor_size < 1 || i.cursor_size > 100))
    return STATUS_INVALID_PARAMETER;
  std::string seq;
  {
    ConsoleState& s = state();
    std::lock_guard lock(s.mu);
    if (p.mask & win::SET_OUTPUT_INFO_ATTR) {
      s.attr = static_cast<uint16_t>(i.attr);
      seq += attribute_sequence(s.attr);
    }
    if (p.mask & win::SET_OUTPUT_INFO_POPUP_ATTR)
      s.popup_attr = static_cast<uint16_t>(i.popup_attr);
    if (p.mask & win::SET_OUTPUT_INFO_CURSOR_GEOM) {
      s.cursor_size = i.cursor_size;
      s.cursor_visible = i.cursor_visible != 0;
      seq += s.cursor_visible ? "\x1b[?25h" : "\x1b[?25l";
    }
    if (p.mask & win::SET_OUTPUT_INFO_CURSOR_POS) {
      s.cursor_x = i.cursor_x;
      s.cursor_y = i.cursor_y;
      seq += cursor_to(i.cursor_x, i.cursor_y);
    }
  }
  // Fonts are the terminal's; the request is taken and changes nothing, as a font request to
  // a console without that font does.
  return seq.empty() ? STATUS_SUCCESS : write_terminal(f, seq);
}

NTSTATUS fill_output(FileObject& f, const win::CondrvFillOutputParams& p, uint32_t& done) {
  done = 0;
  const WindowSize ws = window_size(f.fd);
  if (p.x < 0 || p.y < 0 || p.x >= ws.columns || p.y >= ws.rows || p.count < 0)
    return STATUS_INVALID_PARAMETER;
  const long cells_left = static_cast<long>(ws.rows - p.y) * ws.columns - p.x;
  const long count = std::min<long>(p.count, p.wrap ? cells_left : ws.columns - p.x);
  const bool whole_screen =
      p.x == 0 && p.y == 0 && count >= static_cast<long>(ws.rows) * ws.columns;
  const uint16_t attr = current_attribute();
  std::string seq =
      "\x1b"
      "7";  // save the cursor, write, restore: a fill does not move it
  if (p.mode == win::CHAR_INFO_ATTR) {
    // Cells' attributes cannot be changed without their characters, which the terminal does not
    // give back; clearing the whole screen in one colour (what "cls" does) is what it can show.
    if (!whole_screen) return STATUS_NOT_SUPPORTED;
    seq += attribute_sequence(p.attr) + "\x1b[2J" + attribute_sequence(attr);
  } else if (p.mode == win::CHAR_INFO_TEXT || p.mode == win::CHAR_INFO_TEXTATTR) {
    if (p.mode == win::CHAR_INFO_TEXTATTR) seq += attribute_sequence(p.attr);
    if (whole_screen && p.ch == u' ') {
      seq += "\x1b[2J";
    } else {
      const std::string ch = utf16_to_utf8(std::u16string_view(&p.ch, 1));
      long left = count;
      for (int y = p.y, x = p.x; left > 0; ++y, x = 0) {
        const long n = std::min<long>(left, ws.columns - x);
        seq += cursor_to(x, y);
        for (long k = 0; k < n; ++k) seq += ch;
        left -= n;
      }
    }
    if (p.mode == win::CHAR_INFO_TEXTATTR) seq += attribute_sequence(attr);
  } else {
    return STATUS_INVALID_PARAMETER;
  }
  seq +=
      "\x1b"
      "8";
  if (NTSTATUS st = write_terminal(f, seq); !nt_success(st)) return st;
  done = static_cast<uint32_t>(count);
  return STATUS_SUCCESS;
}

NTSTATUS write_output(FileObject& f, const win::CondrvOutputParams& p, std::string_view cells,
                      uint32_t& done) {
  done = 0;
  const WindowSize ws = window_size(f.fd);
  if (p.x >= static_cast<uint32_t>(ws.columns) || p.y >= static_cast<uint32_t>(ws.rows))
    return STATUS_INVALID_PARAMETER;
  const size_t cell_size = p.mode == win::CHAR_INFO_TEXTATTR ? sizeof(win::CharInfo)
                           : p.mode == win::CHAR_INFO_TEXT   ? sizeof(char16_t)
                                                             : 0;
  // Attributes alone would recolour characters the terminal does not give back.
  if (cell_size == 0) return STATUS_NOT_SUPPORTED;
  const size_t n = cells.size() / cell_size;
  // width 0: the cells run on from (x, y), wrapping at the end of each line; else a rectangle.
  const uint32_t width = p.width ? p.width : static_cast<uint32_t>(ws.columns);
  const uint16_t attr = current_attribute();
  std::string seq =
      "\x1b"
      "7";
  uint16_t current = attr;
  uint32_t x = p.x, y = p.y;
  for (size_t k = 0; k < n && y < static_cast<uint32_t>(ws.rows); ++k) {
    if (k == 0 || x == (p.width ? p.x : 0))
      seq += cursor_to(static_cast<int>(x), static_cast<int>(y));
    win::CharInfo c{};
    std::memcpy(&c, cells.data() + k * cell_size, cell_size);
    if (cell_size == sizeof(win::CharInfo) && c.attr != current) {
      seq += attribute_sequence(c.attr);
      current = c.attr;
    }
    if (x < static_cast<uint32_t>(ws.columns)) {
      seq += utf16_to_utf8(std::u16string_view(&c.ch, 1));
      ++done;
    }
    if (++x == (p.width ? p.x + width : width)) {
      x = p.width ? p.x : 0;
      ++y;
    }
  }
  if (current != attr) seq += attribute_sequence(attr);
  seq +=
      "\x1b"
      "8";
  return write_terminal(f, seq);
}

}  // namespace ireactor::console
