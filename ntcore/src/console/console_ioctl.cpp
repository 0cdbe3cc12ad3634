// NtDeviceIoControlFile on console handles: the condrv requests kernelbase's console functions
// send (win/console_abi.h).
#include <algorithm>
#include <cstring>
#include <vector>

#include "console/code_page.h"
#include "console/console.h"
#include "console/console_input.h"
#include "console/console_output.h"
#include "console/console_state.h"
#include "console/terminal.h"
#include "ireactor/io/file_object.h"

namespace ireactor::console {

using namespace nt;

namespace {

// A parameter block at the start of `in`; false when `in` is too short.
template <class T>
bool take(std::string_view in, T& out) {
  if (in.size() < sizeof(T)) return false;
  std::memcpy(&out, in.data(), sizeof(T));
  return true;
}

template <class T>
void give(std::string& out, const T& value) {
  out.assign(reinterpret_cast<const char*>(&value), sizeof(T));
}

bool is_input_request(uint32_t fn) {
  return (fn >= win::CONDRV_READ_CONSOLE && fn <= win::CONDRV_SET_INPUT_INFO) ||
         fn == win::CONDRV_FLUSH || fn == win::CONDRV_READ_CONSOLE_CONTROL;
}

bool is_output_request(uint32_t fn) {
  return fn >= win::CONDRV_WRITE_CONSOLE && fn <= win::CONDRV_SCROLL;
}

NTSTATUS get_mode(FileObject& f, ULONG out_size, std::string& out) {
  if (out_size < sizeof(uint32_t)) return STATUS_INVALID_PARAMETER;
  ConsoleState& s = state();
  std::lock_guard lock(s.mu);
  give(out, f.console_role == ConsoleRole::Input ? s.input_mode : s.output_mode);
  return STATUS_SUCCESS;
}

NTSTATUS set_mode(FileObject& f, std::string_view in) {
  uint32_t mode;
  if (!take(in, mode)) return STATUS_INVALID_PARAMETER;
  ConsoleState& s = state();
  if (f.console_role == ConsoleRole::Output) {
    if (mode & ~win::kValidOutputModes) return STATUS_INVALID_PARAMETER;
    std::lock_guard lock(s.mu);
    s.output_mode = mode;
    return STATUS_SUCCESS;
  }
  // Echo needs line input (SetConsoleMode's documented rule).
  if ((mode & ~win::kValidInputModes) ||
      ((mode & win::ENABLE_ECHO_INPUT) && !(mode & win::ENABLE_LINE_INPUT)))
    return STATUS_INVALID_PARAMETER;
  if (NTSTATUS st = apply_input_mode(f, mode); !nt_success(st)) return st;
  std::lock_guard lock(s.mu);
  s.input_mode = mode;
  return STATUS_SUCCESS;
}

NTSTATUS read_console(FileObject& f, ULONG out_size, std::string& out) {
  std::u16string chars;
  if (NTSTATUS st = read_chars(f, out_size / sizeof(char16_t), chars); !nt_success(st)) return st;
  out.assign(reinterpret_cast<const char*>(chars.data()), chars.size() * sizeof(char16_t));
  return STATUS_SUCCESS;
}

// ReadConsoleW with a CONSOLE_READCONSOLE_CONTROL: in, the wake-up key mask and the characters
// the program already shows as typed; out, the control-key state and then the characters. The
// terminal's line discipline edits the line, so no key other than Enter ends it.
NTSTATUS read_console_control(FileObject& f, std::string_view in, ULONG out_size,
                              std::string& out) {
  uint32_t wakeup_mask;
  if (!take(in, wakeup_mask) || out_size < sizeof(uint32_t)) return STATUS_INVALID_PARAMETER;
  const std::string_view initial = in.substr(sizeof(uint32_t));
  const size_t room = (out_size - sizeof(uint32_t)) / sizeof(char16_t);
  if (initial.size() / sizeof(char16_t) > room) return STATUS_INVALID_PARAMETER;
  std::u16string chars;
  if (NTSTATUS st = read_chars(f, room - initial.size() / sizeof(char16_t), chars); !nt_success(st))
    return st;
  give(out, uint32_t{0});
  out.append(initial);
  out.append(reinterpret_cast<const char*>(chars.data()), chars.size() * sizeof(char16_t));
  return STATUS_SUCCESS;
}

NTSTATUS read_input(FileObject& f, ULONG out_size, bool wait, bool remove, std::string& out) {
  std::vector<win::INPUT_RECORD> records;
  if (NTSTATUS st = read_records(f, out_size / sizeof(win::INPUT_RECORD), wait, remove, records);
      !nt_success(st))
    return st;
  out.assign(reinterpret_cast<const char*>(records.data()),
             records.size() * sizeof(win::INPUT_RECORD));
  return STATUS_SUCCESS;
}

NTSTATUS write_input(std::string_view in, ULONG out_size, std::string& out) {
  const size_t n = in.size() / sizeof(win::INPUT_RECORD);
  ConsoleState& s = state();
  {
    std::lock_guard lock(s.mu);
    for (size_t k = 0; k < n; ++k) {
      win::INPUT_RECORD r;
      std::memcpy(&r, in.data() + k * sizeof r, sizeof r);
      s.records.push_back(r);
    }
  }
  if (out_size >= sizeof(uint32_t)) give(out, static_cast<uint32_t>(n));
  return STATUS_SUCCESS;
}

// Code pages and the number of input events (GetNumberOfConsoleInputEvents asks this).
NTSTATUS get_input_info(FileObject& f, ULONG out_size, std::string& out) {
  if (out_size < sizeof(win::CondrvInputInfo)) return STATUS_INVALID_PARAMETER;
  const uint32_t events =
      f.console_role == ConsoleRole::Input ? static_cast<uint32_t>(count_records(f)) : 0;
  ConsoleState& s = state();
  std::lock_guard lock(s.mu);
  give(out, win::CondrvInputInfo{s.input_cp, s.output_cp, events});
  return STATUS_SUCCESS;
}

NTSTATUS set_input_info(std::string_view in) {
  win::CondrvInputInfoParams p;
  if (!take(in, p)) return STATUS_INVALID_PARAMETER;
  // Only code pages the console can translate to and from the terminal's UTF-8.
  if ((p.mask & win::SET_INPUT_INFO_INPUT_CODEPAGE) && !CodePage::get(p.info.input_cp))
    return STATUS_INVALID_PARAMETER;
  if ((p.mask & win::SET_INPUT_INFO_OUTPUT_CODEPAGE) && !CodePage::get(p.info.output_cp))
    return STATUS_INVALID_PARAMETER;
  ConsoleState& s = state();
  std::lock_guard lock(s.mu);
  if (p.mask & win::SET_INPUT_INFO_INPUT_CODEPAGE) s.input_cp = p.info.input_cp;
  if (p.mask & win::SET_INPUT_INFO_OUTPUT_CODEPAGE) s.output_cp = p.info.output_cp;
  return STATUS_SUCCESS;
}

// The title (condrv_title_params): its length in characters, then as many characters as fit.
// The size given back counts the whole parameter block (its one-character array and padding)
// besides the characters, which is what kernelbase subtracts.
NTSTATUS get_title(ULONG out_size, std::string& out) {
  constexpr size_t kHeader = 8;  // sizeof(condrv_title_params)
  if (out_size < kHeader) return STATUS_INVALID_PARAMETER;
  ConsoleState& s = state();
  std::lock_guard lock(s.mu);
  give(out, static_cast<uint32_t>(s.title.size()));
  const size_t fit = std::min<size_t>(s.title.size(), (out_size - kHeader) / sizeof(char16_t));
  out.append(reinterpret_cast<const char*>(s.title.data()), fit * sizeof(char16_t));
  out.append(kHeader - sizeof(uint32_t), '\0');
  return STATUS_SUCCESS;
}

// The terminal shows the title too (OSC 0), as it shows any program's.
NTSTATUS set_title(std::string_view in) {
  std::u16string title(in.size() / sizeof(char16_t), u'\0');
  std::memcpy(title.data(), in.data(), title.size() * sizeof(char16_t));
  ConsoleState& s = state();
  int terminal;
  {
    std::lock_guard lock(s.mu);
    s.title = title;
    terminal = s.terminal;
  }
  std::string text = utf16_to_utf8(title);
  std::erase_if(text, [](char c) { return c == '\a' || c == '\x1b'; });  // would end the sequence
  if (terminal >= 0) write_all(terminal, "\x1b]0;" + text + "\a");
  return STATUS_SUCCESS;
}

NTSTATUS beep() {
  ConsoleState& s = state();
  std::lock_guard lock(s.mu);
  if (s.terminal >= 0) write_all(s.terminal, "\a");
  return STATUS_SUCCESS;
}

NTSTATUS output_info(FileObject& f, ULONG out_size, std::string& out) {
  if (out_size < sizeof(win::CondrvOutputInfo)) return STATUS_INVALID_PARAMETER;
  win::CondrvOutputInfo info;
  get_output_info(f, info);
  give(out, info);
  return STATUS_SUCCESS;
}

NTSTATUS change_output_info(FileObject& f, std::string_view in) {
  win::CondrvOutputInfoParams p;
  if (!take(in, p)) return STATUS_INVALID_PARAMETER;
  return set_output_info(f, p);
}

NTSTATUS fill(FileObject& f, std::string_view in, ULONG out_size, std::string& out) {
  win::CondrvFillOutputParams p;
  if (!take(in, p)) return STATUS_INVALID_PARAMETER;
  uint32_t done = 0;
  if (NTSTATUS st = fill_output(f, p, done); !nt_success(st)) return st;
  if (out_size >= sizeof done) give(out, done);
  return STATUS_SUCCESS;
}

// WriteConsoleOutputCharacter wants the number of cells back; WriteConsoleOutput the rectangle
// written (a SMALL_RECT).
NTSTATUS write_cells(FileObject& f, std::string_view in, ULONG out_size, std::string& out) {
  win::CondrvOutputParams p;
  if (!take(in, p)) return STATUS_INVALID_PARAMETER;
  uint32_t done = 0;
  if (NTSTATUS st = write_output(f, p, in.substr(sizeof p), done); !nt_success(st)) return st;
  if (out_size >= 4 * sizeof(int16_t) && p.width) {
    const uint32_t rows = done ? (done + p.width - 1) / p.width : 0;
    const int16_t rect[4] = {static_cast<int16_t>(p.x), static_cast<int16_t>(p.y),
                             static_cast<int16_t>(p.x + p.width - 1),
                             static_cast<int16_t>(p.y + rows - 1)};
    out.assign(reinterpret_cast<const char*>(rect), sizeof rect);
  } else if (out_size >= sizeof done) {
    give(out, done);
  }
  return STATUS_SUCCESS;
}

}  // namespace

NTSTATUS device_io_control(FileObject& f, ULONG code, std::string_view in, ULONG out_size,
                           std::string& out) {
  if (win::ctl_device(code) != win::FILE_DEVICE_CONSOLE_TYPE ||
      win::ctl_method(code) != win::METHOD_BUFFERED)
    return STATUS_INVALID_DEVICE_REQUEST;
  // The access the control code names must have been granted to the handle.
  if (((win::ctl_access(code) & win::FILE_READ_ACCESS_BIT) && !(f.access & FILE_READ_DATA)) ||
      ((win::ctl_access(code) & win::FILE_WRITE_ACCESS_BIT) && !(f.access & FILE_WRITE_DATA)))
    return STATUS_ACCESS_DENIED;
  const uint32_t fn = win::ctl_function(code);
  // Input requests go to the input buffer, output requests to a screen buffer; the console-wide
  // ones (code pages, title) to any console handle.
  const bool console_wide = fn == win::CONDRV_GET_INPUT_INFO || fn == win::CONDRV_SET_INPUT_INFO;
  if ((is_input_request(fn) && !console_wide && f.console_role != ConsoleRole::Input) ||
      (is_output_request(fn) && f.console_role != ConsoleRole::Output))
    return STATUS_INVALID_HANDLE;
  if ((fn == win::CONDRV_GET_MODE || fn == win::CONDRV_SET_MODE) &&
      f.console_role != ConsoleRole::Input && f.console_role != ConsoleRole::Output)
    return STATUS_INVALID_HANDLE;

  switch (fn) {
    case win::CONDRV_GET_MODE:
      return get_mode(f, out_size, out);
    case win::CONDRV_SET_MODE:
      return set_mode(f, in);
    case win::CONDRV_READ_CONSOLE:
      return read_console(f, out_size, out);
    case win::CONDRV_READ_CONSOLE_CONTROL:
      return read_console_control(f, in, out_size, out);
    case win::CONDRV_READ_FILE:
      return read_bytes(f, out_size, out);
    case win::CONDRV_READ_INPUT:
      return read_input(f, out_size, true, true, out);
    case win::CONDRV_PEEK:
      return read_input(f, out_size, false, false, out);
    case win::CONDRV_WRITE_INPUT:
      return write_input(in, out_size, out);
    case win::CONDRV_FLUSH:
      flush_input(f);
      return STATUS_SUCCESS;
    case win::CONDRV_GET_INPUT_INFO:
      return get_input_info(f, out_size, out);
    case win::CONDRV_SET_INPUT_INFO:
      return set_input_info(in);
    case win::CONDRV_GET_TITLE:
      return get_title(out_size, out);
    case win::CONDRV_SET_TITLE:
      return set_title(in);
    case win::CONDRV_BEEP:
      return beep();
    case win::CONDRV_WRITE_CONSOLE: {
      std::u16string text(in.size() / sizeof(char16_t), u'\0');
      std::memcpy(text.data(), in.data(), text.size() * sizeof(char16_t));
      return write_text(f, text);
    }
    case win::CONDRV_WRITE_FILE:
      return write_bytes(f, in);
    case win::CONDRV_GET_OUTPUT_INFO:
      return output_info(f, out_size, out);
    case win::CONDRV_SET_OUTPUT_INFO:
      return change_output_info(f, in);
    case win::CONDRV_ACTIVATE:
      return STATUS_SUCCESS;  // the one screen buffer is the active one
    case win::CONDRV_FILL_OUTPUT:
      return fill(f, in, out_size, out);
    case win::CONDRV_WRITE_OUTPUT:
      return write_cells(f, in, out_size, out);
    default:
      // READ_OUTPUT and SCROLL need the screen's contents, which a terminal does not give back;
      // CTRL_EVENT, GET_WINDOW, GET_PROCESS_LIST and BIND_PID need a console shared between
      // processes, which ntcore does not have yet.
      return STATUS_NOT_SUPPORTED;
  }
}

}  // namespace ireactor::console
