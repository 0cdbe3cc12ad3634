// The console device's ABI: the records of wincon.h (INPUT_RECORD, KEY_EVENT_RECORD) and the
// \Device\ConDrv control codes and parameter blocks that kernelbase sends with
// NtDeviceIoControlFile. Windows' own kernelbase speaks a private protocol to conhost; the
// kernelbase ireactor runs (Wine 8's PE build) speaks Wine's condrv protocol, so that is the
// one ntcore's console device implements: function numbers and layouts below are the ones that
// kernelbase.dll sends (checked against the binary: the CTL_CODE constants it contains).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ireactor/nt/types.h"

namespace ireactor::win {

inline constexpr uint32_t FILE_DEVICE_CONSOLE_TYPE = 0x50;

// CTL_CODE(FILE_DEVICE_CONSOLE, function, METHOD_BUFFERED, access): the function number is what
// names a request; the access bits are checked against the handle as the I/O manager does.
constexpr uint32_t ctl_device(uint32_t code) {
  return code >> 16;
}
constexpr uint32_t ctl_access(uint32_t code) {
  return (code >> 14) & 3;
}
constexpr uint32_t ctl_function(uint32_t code) {
  return (code >> 2) & 0xFFF;
}
constexpr uint32_t ctl_method(uint32_t code) {
  return code & 3;
}
inline constexpr uint32_t METHOD_BUFFERED = 0;
inline constexpr uint32_t FILE_READ_ACCESS_BIT = 1;
inline constexpr uint32_t FILE_WRITE_ACCESS_BIT = 2;

enum CondrvFunction : uint32_t {
  CONDRV_GET_MODE = 0,
  CONDRV_SET_MODE = 1,
  CONDRV_READ_CONSOLE = 10,  // ReadConsoleW: UTF-16 characters
  CONDRV_READ_FILE = 11,     // ReadConsoleA/ReadFile: bytes in the input code page
  CONDRV_READ_INPUT = 12,    // ReadConsoleInput
  CONDRV_WRITE_INPUT = 13,   // WriteConsoleInput
  CONDRV_PEEK = 14,          // PeekConsoleInput
  CONDRV_GET_INPUT_INFO = 15,
  CONDRV_SET_INPUT_INFO = 16,
  CONDRV_GET_TITLE = 17,
  CONDRV_SET_TITLE = 18,
  CONDRV_CTRL_EVENT = 19,
  CONDRV_BEEP = 20,
  CONDRV_FLUSH = 21,  // FlushConsoleInputBuffer
  CONDRV_GET_WINDOW = 22,
  CONDRV_GET_PROCESS_LIST = 23,
  CONDRV_READ_CONSOLE_CONTROL = 24,  // ReadConsoleW with a CONSOLE_READCONSOLE_CONTROL
  CONDRV_WRITE_CONSOLE = 30,         // WriteConsoleW: UTF-16 characters
  CONDRV_WRITE_FILE = 31,            // WriteConsoleA/WriteFile: bytes in the output code page
  CONDRV_READ_OUTPUT = 32,
  CONDRV_WRITE_OUTPUT = 33,
  CONDRV_GET_OUTPUT_INFO = 34,
  CONDRV_SET_OUTPUT_INFO = 35,
  CONDRV_ACTIVATE = 36,
  CONDRV_FILL_OUTPUT = 37,
  CONDRV_SCROLL = 38,
  CONDRV_BIND_PID = 51,
};

// GetConsoleMode/SetConsoleMode flags (wincon.h).
inline constexpr uint32_t ENABLE_PROCESSED_INPUT = 0x0001;
inline constexpr uint32_t ENABLE_LINE_INPUT = 0x0002;
inline constexpr uint32_t ENABLE_ECHO_INPUT = 0x0004;
inline constexpr uint32_t ENABLE_WINDOW_INPUT = 0x0008;
inline constexpr uint32_t ENABLE_MOUSE_INPUT = 0x0010;
inline constexpr uint32_t ENABLE_INSERT_MODE = 0x0020;
inline constexpr uint32_t ENABLE_QUICK_EDIT_MODE = 0x0040;
inline constexpr uint32_t ENABLE_EXTENDED_FLAGS = 0x0080;
inline constexpr uint32_t ENABLE_AUTO_POSITION = 0x0100;
inline constexpr uint32_t ENABLE_VIRTUAL_TERMINAL_INPUT = 0x0200;
inline constexpr uint32_t kValidInputModes = 0x03FF;
inline constexpr uint32_t ENABLE_PROCESSED_OUTPUT = 0x0001;
inline constexpr uint32_t ENABLE_WRAP_AT_EOL_OUTPUT = 0x0002;
inline constexpr uint32_t ENABLE_VIRTUAL_TERMINAL_PROCESSING = 0x0004;
inline constexpr uint32_t DISABLE_NEWLINE_AUTO_RETURN = 0x0008;
inline constexpr uint32_t ENABLE_LVB_GRID_WORLDWIDE = 0x0010;
inline constexpr uint32_t kValidOutputModes = 0x001F;

struct KEY_EVENT_RECORD {
  int32_t bKeyDown;  // BOOL
  uint16_t wRepeatCount;
  uint16_t wVirtualKeyCode;
  uint16_t wVirtualScanCode;
  char16_t UnicodeChar;  // uChar
  uint32_t dwControlKeyState;
};
static_assert(sizeof(KEY_EVENT_RECORD) == 16);
static_assert(offsetof(KEY_EVENT_RECORD, UnicodeChar) == 10);
static_assert(offsetof(KEY_EVENT_RECORD, dwControlKeyState) == 12);

struct INPUT_RECORD {
  uint16_t EventType;
  uint16_t pad_;
  union {
    KEY_EVENT_RECORD KeyEvent;
    uint8_t raw[16];  // mouse, window-size, menu and focus events have the same size
  } Event;
};
static_assert(sizeof(INPUT_RECORD) == 20);
static_assert(offsetof(INPUT_RECORD, Event) == 4);
inline constexpr uint16_t KEY_EVENT = 0x0001;

// dwControlKeyState bits.
inline constexpr uint32_t SHIFT_PRESSED = 0x0010;
inline constexpr uint32_t LEFT_CTRL_PRESSED = 0x0008;
inline constexpr uint32_t LEFT_ALT_PRESSED = 0x0002;
inline constexpr uint32_t ENHANCED_KEY = 0x0100;

// Character attributes (wincon.h FOREGROUND_* / BACKGROUND_*).
inline constexpr uint16_t FOREGROUND_BLUE = 0x0001;
inline constexpr uint16_t FOREGROUND_GREEN = 0x0002;
inline constexpr uint16_t FOREGROUND_RED = 0x0004;
inline constexpr uint16_t FOREGROUND_INTENSITY = 0x0008;
inline constexpr uint16_t BACKGROUND_INTENSITY = 0x0080;
inline constexpr uint16_t kDefaultAttributes = 0x0007;  // light grey on black
inline constexpr uint16_t kDefaultPopupAttributes = 0x00F5;

// CONDRV_GET_INPUT_INFO's result and CONDRV_SET_INPUT_INFO's parameters.
struct CondrvInputInfo {
  uint32_t input_cp;
  uint32_t output_cp;
  uint32_t input_count;  // input events not yet read
};
static_assert(sizeof(CondrvInputInfo) == 12);
struct CondrvInputInfoParams {
  uint32_t mask;
  CondrvInputInfo info;
};
static_assert(sizeof(CondrvInputInfoParams) == 16);
inline constexpr uint32_t SET_INPUT_INFO_INPUT_CODEPAGE = 0x01;
inline constexpr uint32_t SET_INPUT_INFO_OUTPUT_CODEPAGE = 0x02;

// CONDRV_GET_OUTPUT_INFO's result and CONDRV_SET_OUTPUT_INFO's parameters.
struct CondrvOutputInfo {
  int16_t cursor_size;
  int16_t cursor_visible;
  int16_t cursor_x;
  int16_t cursor_y;
  int16_t width;
  int16_t height;
  int16_t attr;
  int16_t popup_attr;
  int16_t win_left;
  int16_t win_top;
  int16_t win_right;
  int16_t win_bottom;
  int16_t max_width;
  int16_t max_height;
  int16_t font_width;
  int16_t font_height;
  int16_t font_weight;
  int16_t font_pitch_family;
  uint32_t color_map[16];
};
static_assert(sizeof(CondrvOutputInfo) == 100);
static_assert(offsetof(CondrvOutputInfo, attr) == 12);
static_assert(offsetof(CondrvOutputInfo, color_map) == 36);
struct CondrvOutputInfoParams {
  uint32_t mask;
  CondrvOutputInfo info;
};
static_assert(sizeof(CondrvOutputInfoParams) == 104);
inline constexpr uint32_t SET_OUTPUT_INFO_CURSOR_GEOM = 0x0001;
inline constexpr uint32_t SET_OUTPUT_INFO_CURSOR_POS = 0x0002;
inline constexpr uint32_t SET_OUTPUT_INFO_SIZE = 0x0004;
inline constexpr uint32_t SET_OUTPUT_INFO_ATTR = 0x0008;
inline constexpr uint32_t SET_OUTPUT_INFO_DISPLAY_WINDOW = 0x0010;
inline constexpr uint32_t SET_OUTPUT_INFO_MAX_SIZE = 0x0020;
inline constexpr uint32_t SET_OUTPUT_INFO_POPUP_ATTR = 0x0040;
inline constexpr uint32_t SET_OUTPUT_INFO_FONT = 0x0080;

// CONDRV_WRITE_OUTPUT's parameters (followed by the cells), and CONDRV_FILL_OUTPUT's.
struct CondrvOutputParams {
  uint32_t x;
  uint32_t y;
  uint32_t mode;   // CharInfoMode
  uint32_t width;  // of the rectangle; 0: the cells wrap from (x, y) on
};
static_assert(sizeof(CondrvOutputParams) == 16);
enum CharInfoMode : uint32_t { CHAR_INFO_TEXT = 0, CHAR_INFO_ATTR = 1, CHAR_INFO_TEXTATTR = 2 };
struct CharInfo {  // CHAR_INFO: the cell of CHAR_INFO_TEXTATTR data
  char16_t ch;
  uint16_t attr;
};
static_assert(sizeof(CharInfo) == 4);
struct CondrvFillOutputParams {
  int32_t x;
  int32_t y;
  int32_t mode;
  int32_t count;
  int32_t wrap;
  char16_t ch;
  uint16_t attr;
};
static_assert(sizeof(CondrvFillOutputParams) == 24);
static_assert(offsetof(CondrvFillOutputParams, ch) == 20);

}  // namespace ireactor::win
