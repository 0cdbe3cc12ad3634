// The process's console: one per process, over the host terminal the standard handles are
// attached to. Its handles (FileObject::console_role) are its input buffer and its one screen
// buffer; their modes, code pages, attributes, title and the input not yet read live here.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "ireactor/win/console_abi.h"

namespace ireactor::console {

// The OEM code page of the namespace's locale (en-US): what a Windows console starts with.
inline constexpr uint32_t kDefaultCodePage = 437;

struct ConsoleState {
  std::mutex mu;      // guards every member; never held across a blocking read
  int terminal = -1;  // a dup of the first standard fd that is a terminal; -1: no console
  uint32_t input_mode = win::ENABLE_PROCESSED_INPUT | win::ENABLE_LINE_INPUT |
                        win::ENABLE_ECHO_INPUT | win::ENABLE_MOUSE_INPUT | win::ENABLE_INSERT_MODE |
                        win::ENABLE_QUICK_EDIT_MODE | win::ENABLE_EXTENDED_FLAGS |
                        win::ENABLE_AUTO_POSITION;
  uint32_t output_mode = win::ENABLE_PROCESSED_OUTPUT | win::ENABLE_WRAP_AT_EOL_OUTPUT;
  uint32_t input_cp = kDefaultCodePage;
  uint32_t output_cp = kDefaultCodePage;
  uint16_t attr = win::kDefaultAttributes;
  uint16_t popup_attr = win::kDefaultPopupAttributes;
  int16_t cursor_x = 0;  // where the program last put the cursor (a terminal does not say)
  int16_t cursor_y = 0;
  int16_t cursor_size = 25;
  bool cursor_visible = true;
  std::u16string title;
  std::deque<win::INPUT_RECORD> records;  // key events typed (or written) and not yet read
  std::u16string pending;                 // characters of a line read and not yet returned
  std::string partial_utf8;               // an incomplete UTF-8 sequence the terminal gave
};

ConsoleState& state();

// Serialises the readers of the console's input: held while one waits on the terminal.
std::mutex& input_mutex();

}  // namespace ireactor::console
