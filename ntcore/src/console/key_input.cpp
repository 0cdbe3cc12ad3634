#include "console/key_input.h"

#include <algorithm>

#include "console/code_page.h"

namespace ireactor::console {

namespace {

// Virtual-key codes (winuser.h VK_*).
constexpr uint16_t VK_BACK = 0x08, VK_TAB = 0x09, VK_RETURN = 0x0D, VK_ESCAPE = 0x1B,
                   VK_SPACE = 0x20, VK_PRIOR = 0x21, VK_NEXT = 0x22, VK_END = 0x23, VK_HOME = 0x24,
                   VK_LEFT = 0x25, VK_UP = 0x26, VK_RIGHT = 0x27, VK_DOWN = 0x28, VK_INSERT = 0x2D,
                   VK_DELETE = 0x2E;

void push_key(std::deque<win::INPUT_RECORD>& out, uint16_t vk, char16_t ch, uint32_t state) {
  win::INPUT_RECORD r{};
  r.EventType = win::KEY_EVENT;
  r.Event.KeyEvent.wRepeatCount = 1;
  r.Event.KeyEvent.wVirtualKeyCode = vk;
  r.Event.KeyEvent.UnicodeChar = ch;
  r.Event.KeyEvent.dwControlKeyState = state;
  r.Event.KeyEvent.bKeyDown = 1;
  out.push_back(r);
  r.Event.KeyEvent.bKeyDown = 0;
  out.push_back(r);
}

// The key of a character typed as itself (US layout).
void push_char(std::deque<win::INPUT_RECORD>& out, char16_t c) {
  if (c == u'\r' || c == u'\n') return push_key(out, VK_RETURN, u'\r', 0);
  if (c == 0x7F || c == 0x08) return push_key(out, VK_BACK, 0x08, 0);
  if (c == u'\t') return push_key(out, VK_TAB, u'\t', 0);
  if (c >= 1 && c <= 26) return push_key(out, u'A' + c - 1, c, win::LEFT_CTRL_PRESSED);
  if (c == u' ') return push_key(out, VK_SPACE, c, 0);
  if (c >= u'a' && c <= u'z') return push_key(out, c - u'a' + u'A', c, 0);
  if (c >= u'A' && c <= u'Z') return push_key(out, c, c, win::SHIFT_PRESSED);
  if (c >= u'0' && c <= u'9') return push_key(out, c, c, 0);
  push_key(out, 0, c, 0);  // no key of its own on the layout: the character alone
}

// "ESC [ x" and "ESC [ n ~" sequences; 0 when not a key we know.
uint16_t escape_key(std::string_view seq) {
  if (seq == "[A" || seq == "OA") return VK_UP;
  if (seq == "[B" || seq == "OB") return VK_DOWN;
  if (seq == "[C" || seq == "OC") return VK_RIGHT;
  if (seq == "[D" || seq == "OD") return VK_LEFT;
  if (seq == "[H" || seq == "OH" || seq == "[1~") return VK_HOME;
  if (seq == "[F" || seq == "OF" || seq == "[4~") return VK_END;
  if (seq == "[2~") return VK_INSERT;
  if (seq == "[3~") return VK_DELETE;
  if (seq == "[5~") return VK_PRIOR;
  if (seq == "[6~") return VK_NEXT;
  return 0;
}

}  // namespace

size_t decode_keys(std::string_view bytes, bool no_more, std::deque<win::INPUT_RECORD>& out) {
  size_t i = 0;
  while (i < bytes.size()) {
    const unsigned char b = static_cast<unsigned char>(bytes[i]);
    if (b == 0x1B) {
      // CSI/SS3: ESC, '[' or 'O', parameters, then a final byte in 0x40-0x7E.
      size_t end = i + 1;
      if (end < bytes.size() && (bytes[end] == '[' || bytes[end] == 'O')) {
        ++end;
        while (end < bytes.size() && (bytes[end] < 0x40 || bytes[end] > 0x7E)) ++end;
        if (end == bytes.size() && !no_more) break;  // the rest is on its way
        if (end < bytes.size()) {
          const std::string_view seq = bytes.substr(i + 1, end - i);
          if (uint16_t vk = escape_key(seq)) push_key(out, vk, 0, win::ENHANCED_KEY);
          i = end + 1;  // an unknown sequence is dropped whole rather than typed as text
          continue;
        }
      } else if (end == bytes.size() && !no_more) {
        break;
      }
      push_key(out, VK_ESCAPE, 0x1B, 0);
      ++i;
      continue;
    }
    if (b < 0x80) {
      push_char(out, b);
      ++i;
      continue;
    }
    const size_t len = (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
    if (i + len > bytes.size() && !no_more) break;
    for (char16_t c : utf8_to_utf16(bytes.substr(i, len))) push_char(out, c);
    i += std::min(len, bytes.size() - i);
  }
  return i;
}

}  // namespace ireactor::console
