// The console device: its code pages and key decoding, and NtDeviceIoControlFile, NtReadFile
// and NtWriteFile on console handles over a real pseudo-terminal (the test holds the master
// side, as a terminal emulator would).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>
#include <deque>
#include <string>

#include "console/code_page.h"
#include "console/console.h"
#include "console/key_input.h"
#include "ireactor/io/file_information.h"
#include "ireactor/io/file_object.h"
#include "ireactor/io/host_fd.h"
#include "ireactor/process.h"
#include "ireactor/services/io_services.h"
#include "ireactor/win/console_abi.h"
#include "windows_memory.h"

using namespace ireactor;
using namespace ireactor::nt;
using ireactor::console::CodePage;

namespace {

constexpr ULONG ctl(uint32_t function, uint32_t access) {
  return (win::FILE_DEVICE_CONSOLE_TYPE << 16) | (access << 14) | (function << 2);
}
constexpr ULONG kRead = win::FILE_READ_ACCESS_BIT, kWrite = win::FILE_WRITE_ACCESS_BIT;

// A pseudo-terminal whose slave side is the process's stdin (fd 0) for the test's duration.
struct Pty {
  int master = -1, slave = -1, saved_stdin = -1;
  Pty() {
    master = posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0);
    REQUIRE(grantpt(master) == 0);
    REQUIRE(unlockpt(master) == 0);
    slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    REQUIRE(slave >= 0);
    saved_stdin = dup(0);
    REQUIRE(dup2(slave, 0) == 0);
  }
  ~Pty() {
    dup2(saved_stdin, 0);
    close(saved_stdin);
    close(slave);
    close(master);
  }
  // What the program wrote to the terminal, as far as it has arrived.
  std::string shown() {
    std::string s;
    char buf[4096];
    pollfd p{master, POLLIN, 0};
    while (poll(&p, 1, 100) > 0) {
      ssize_t r = read(master, buf, sizeof buf);
      if (r <= 0) break;
      s.append(buf, static_cast<size_t>(r));
    }
    return s;
  }
  void type(std::string_view keys) {
    REQUIRE(write(master, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size()));
  }
  termios settings() const {
    termios t{};
    REQUIRE(tcgetattr(slave, &t) == 0);
    return t;
  }
};

// Service calls with their buffers in Windows memory.
struct Console {
  test::WindowsMemory mem{0x20000};
  IO_STATUS_BLOCK* iosb = &mem.at<IO_STATUS_BLOCK>(0);
  uint8_t* in = mem.bytes(0x100);
  uint8_t* out = mem.bytes(0x8000);
  HANDLE input = 0, output = 0;

  UserPtr<IO_STATUS_BLOCK> io() { return UserPtr<IO_STATUS_BLOCK>(mem.addr(0)); }
  NTSTATUS ioctl(HANDLE h, ULONG code, std::string_view data, ULONG out_size) {
    std::memcpy(in, data.data(), data.size());
    return NtDeviceIoControlFile(h, 0, UserPtr<void>(), UserPtr<void>(), io(), code,
                                 UserPtr<void>(mem.addr(0x100)), static_cast<ULONG>(data.size()),
                                 UserPtr<void>(mem.addr(0x8000)), out_size);
  }
  template <class T>
  NTSTATUS ioctl_in(HANDLE h, ULONG code, const T& value) {
    return ioctl(h, code, std::string_view(reinterpret_cast<const char*>(&value), sizeof value), 0);
  }
  template <class T>
  T result() const {
    T v;
    std::memcpy(&v, out, sizeof v);
    return v;
  }
  uint32_t mode(HANDLE h) {
    REQUIRE(ioctl(h, ctl(win::CONDRV_GET_MODE, kRead), {}, 4) == STATUS_SUCCESS);
    return result<uint32_t>();
  }
  NTSTATUS set_mode(HANDLE h, uint32_t mode) {
    return ioctl_in(h, ctl(win::CONDRV_SET_MODE, kWrite), mode);
  }
  NTSTATUS write_file(HANDLE h, std::string_view bytes) {
    std::memcpy(out, bytes.data(), bytes.size());
    return NtWriteFile(h, 0, UserPtr<void>(), UserPtr<void>(), io(),
                       UserPtr<void>(mem.addr(0x8000)), static_cast<ULONG>(bytes.size()),
                       UserPtr<int64_t>(), UserPtr<ULONG>());
  }
  NTSTATUS create(std::u16string_view name, HANDLE& h, HANDLE root = 0) {
    auto* chars = reinterpret_cast<char16_t*>(mem.bytes(0x200));
    std::memcpy(chars, name.data(), name.size() * 2);
    auto& us = mem.at<UNICODE_STRING>(0x400);
    us.Length = us.MaximumLength = static_cast<USHORT>(name.size() * 2);
    us.Buffer = mem.addr(0x200);
    auto& oa = mem.at<OBJECT_ATTRIBUTES>(0x440);
    oa = {};
    oa.Length = sizeof(OBJECT_ATTRIBUTES);
    oa.RootDirectory = root;
    oa.ObjectName = mem.addr(0x400);
    NTSTATUS s =
        NtCreateFile(UserPtr<HANDLE>(mem.addr(0x500)), GENERIC_READ | GENERIC_WRITE,
                     UserPtr<OBJECT_ATTRIBUTES>(mem.addr(0x440)), io(), UserPtr<int64_t>(), 0,
                     FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, 0, UserPtr<void>(), 0);
    h = mem.at<HANDLE>(0x500);
    return s;
  }
  std::u16string read_console(HANDLE h, ULONG chars) {
    REQUIRE(ioctl(h, ctl(win::CONDRV_READ_CONSOLE, kRead), {}, chars * 2) == STATUS_SUCCESS);
    return std::u16string(reinterpret_cast<const char16_t*>(out), iosb->Information / 2);
  }
};

// The standard handles of a process started on the pty: stdin (fd 0) and a screen buffer.
void attach(Pty& pty, Console& c) {
  REQUIRE(create_handle_for_host_fd(0, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, c.input) ==
          STATUS_SUCCESS);
  REQUIRE(create_handle_for_host_fd(pty.slave, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE,
                                    c.output) == STATUS_SUCCESS);
}

}  // namespace

TEST_CASE("code pages: single-byte tables from the .nls files, UTF-8 passed through") {
  const CodePage* oem = CodePage::get(437);
  REQUIRE(oem);  // c_437.nls: scripts/setup installs the NLS files (Debian's libwine)
  CHECK(oem->decode("caf\x82") == u"caf\u00e9");
  CHECK(oem->encode(u"\u2500caf\u00e9") ==
        "\xc4"
        "caf\x82");
  CHECK(oem->encode(u"\u4e00") == "?");  // not in the code page: its default character
  CHECK(CodePage::get(437) == oem);      // loaded once
  const CodePage* utf8 = CodePage::get(console::kUtf8CodePage);
  REQUIRE(utf8);
  CHECK(utf8->decode("caf\xc3\xa9") == u"caf\u00e9");
  CHECK(CodePage::get(932) == nullptr);  // double-byte: not offered
  CHECK(CodePage::get(12345) == nullptr);
}

TEST_CASE("UTF-8 for the terminal: bad sequences and lone surrogates become U+FFFD") {
  CHECK(console::utf8_to_utf16("a\xff"
                               "b") ==
        u"a\ufffd"
        "b");
  CHECK(console::utf8_to_utf16("\xc0\xaf") == u"\ufffd\ufffd");  // overlong '/'
  CHECK(console::utf8_to_utf16("\xf0\x9f\x98\x80") == u"\U0001F600");
  CHECK(console::utf16_to_utf8(u"\U0001F600") == "\xf0\x9f\x98\x80");
  CHECK(console::utf16_to_utf8(std::u16string(1, char16_t(0xD800))) == "\xef\xbf\xbd");
  CHECK(console::complete_utf8_prefix("ab\xc3") == 2);
  CHECK(console::complete_utf8_prefix("ab\xc3\xa9") == 4);
  CHECK(console::complete_utf8_prefix("\xe2\x94") == 0);
}

TEST_CASE("terminal input as key events") {
  std::deque<win::INPUT_RECORD> keys;
  CHECK(console::decode_keys("x", false, keys) == 1);
  REQUIRE(keys.size() == 2);  // pressed and released
  CHECK(keys[0].EventType == win::KEY_EVENT);
  CHECK(keys[0].Event.KeyEvent.bKeyDown == 1);
  CHECK(keys[1].Event.KeyEvent.bKeyDown == 0);
  CHECK(keys[0].Event.KeyEvent.wVirtualKeyCode == 'X');
  CHECK(keys[0].Event.KeyEvent.UnicodeChar == u'x');
  keys.clear();
  CHECK(console::decode_keys("\x1b[A\x1b[3~\x03", false, keys) == 8);
  REQUIRE(keys.size() == 6);
  CHECK(keys[0].Event.KeyEvent.wVirtualKeyCode == 0x26);  // VK_UP
  CHECK(keys[0].Event.KeyEvent.UnicodeChar == 0);
  CHECK(keys[2].Event.KeyEvent.wVirtualKeyCode == 0x2E);  // VK_DELETE
  CHECK(keys[4].Event.KeyEvent.wVirtualKeyCode == 'C');   // Ctrl+C typed as a key
  CHECK(keys[4].Event.KeyEvent.dwControlKeyState == win::LEFT_CTRL_PRESSED);
  keys.clear();
  // A sequence cut off waits for its rest, unless nothing more is coming.
  CHECK(console::decode_keys("\x1b[", false, keys) == 0);
  CHECK(console::decode_keys("\xc3", false, keys) == 0);
  CHECK(keys.empty());
  CHECK(console::decode_keys("\x1b", true, keys) == 1);
  REQUIRE(keys.size() == 2);
  CHECK(keys[0].Event.KeyEvent.wVirtualKeyCode == 0x1B);  // VK_ESCAPE
  keys.clear();
  CHECK(console::decode_keys("\xc3\xa9\r", false, keys) == 3);
  REQUIRE(keys.size() == 4);
  CHECK(keys[0].Event.KeyEvent.UnicodeChar == u'\u00e9');
  CHECK(keys[2].Event.KeyEvent.wVirtualKeyCode == 0x0D);  // VK_RETURN
}

TEST_CASE("no terminal, no console: CONOUT$ cannot be opened") {
  test::WindowsMemory mem;
  std::shared_ptr<FileObject> f;
  CHECK(console::open(ConsoleRole::Output, f) == STATUS_INVALID_HANDLE);
}

TEST_CASE("console modes are the terminal's settings, and go back at the end") {
  Pty pty;
  Console c;
  attach(pty, c);
  CHECK(c.mode(c.input) == 0x1F7);  // processed, line, echo input and the extended flags
  CHECK(c.mode(c.output) == (win::ENABLE_PROCESSED_OUTPUT | win::ENABLE_WRAP_AT_EOL_OUTPUT));
  CHECK((pty.settings().c_lflag & ICANON) != 0);

  CHECK(c.set_mode(c.input, 0) == STATUS_SUCCESS);
  termios raw = pty.settings();
  CHECK((raw.c_lflag & (ICANON | ECHO | ISIG)) == 0);
  CHECK((raw.c_iflag & ICRNL) == 0);
  CHECK(c.mode(c.input) == 0);
  // Echo without line input, and bits that are no mode, are refused.
  CHECK(c.set_mode(c.input, win::ENABLE_ECHO_INPUT) == STATUS_INVALID_PARAMETER);
  CHECK(c.set_mode(c.input, 0x10000) == STATUS_INVALID_PARAMETER);
  CHECK(c.set_mode(c.output, 0x100) == STATUS_INVALID_PARAMETER);
  CHECK(c.set_mode(c.output, win::ENABLE_PROCESSED_OUTPUT) == STATUS_SUCCESS);
  CHECK(c.mode(c.output) == win::ENABLE_PROCESSED_OUTPUT);

  console::restore_terminal_settings();
  CHECK((pty.settings().c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG));
}

TEST_CASE("console reads: lines end in CR LF, come out in parts, and keys are events") {
  Pty pty;
  Console c;
  attach(pty, c);
  pty.type("typed line\r");
  CHECK(c.read_console(c.input, 64) == u"typed line\r\n");
  pty.type("abcdef\r");
  CHECK(c.read_console(c.input, 4) == u"abcd");
  CHECK(c.read_console(c.input, 4) == u"ef\r\n");
  // ReadFile: bytes in the input code page (437 first).
  pty.type("caf\xc3\xa9\r");
  uint8_t* buf = c.out;
  REQUIRE(NtReadFile(c.input, 0, UserPtr<void>(), UserPtr<void>(), c.io(),
                     UserPtr<void>(c.mem.addr(0x8000)), 64, UserPtr<int64_t>(),
                     UserPtr<ULONG>()) == STATUS_SUCCESS);
  CHECK(std::string(reinterpret_cast<char*>(buf), c.iosb->Information) == "caf\x82\r\n");

  // Key events, from a raw terminal.
  REQUIRE(c.set_mode(c.input, 0) == STATUS_SUCCESS);
  pty.type("\x1b[B");
  REQUIRE(c.ioctl(c.input, ctl(win::CONDRV_READ_INPUT, kRead), {}, 4 * sizeof(win::INPUT_RECORD)) ==
          STATUS_SUCCESS);
  REQUIRE(c.iosb->Information == 2 * sizeof(win::INPUT_RECORD));
  CHECK(c.result<win::INPUT_RECORD>().Event.KeyEvent.wVirtualKeyCode == 0x28);  // VK_DOWN
  // What a peek sees stays for the next read; the count includes it.
  pty.type("q");
  REQUIRE(c.ioctl(c.input, ctl(win::CONDRV_PEEK, kRead), {}, sizeof(win::INPUT_RECORD)) ==
          STATUS_SUCCESS);
  CHECK(c.result<win::INPUT_RECORD>().Event.KeyEvent.UnicodeChar == u'q');
  REQUIRE(c.ioctl(c.input, ctl(win::CONDRV_GET_INPUT_INFO, kRead), {},
                  sizeof(win::CondrvInputInfo)) == STATUS_SUCCESS);
  CHECK(c.result<win::CondrvInputInfo>().input_count == 2);
  CHECK(c.ioctl(c.input, ctl(win::CONDRV_FLUSH, 0), {}, 0) == STATUS_SUCCESS);
  REQUIRE(c.ioctl(c.input, ctl(win::CONDRV_GET_INPUT_INFO, kRead), {},
                  sizeof(win::CondrvInputInfo)) == STATUS_SUCCESS);
  CHECK(c.result<win::CondrvInputInfo>().input_count == 0);
  console::restore_terminal_settings();
}

TEST_CASE("console output: UTF-16 and code-page text, colours, cursor and title") {
  Pty pty;
  Console c;
  attach(pty, c);
  const std::u16string text = u"h\u00e9llo";
  CHECK(c.ioctl(c.output, ctl(win::CONDRV_WRITE_CONSOLE, kWrite),
                std::string_view(reinterpret_cast<const char*>(text.data()), text.size() * 2),
                0) == STATUS_SUCCESS);
  CHECK(pty.shown() == "h\xc3\xa9llo");
  CHECK(c.write_file(c.output, "\x82\xc4") == STATUS_SUCCESS);  // code page 437
  CHECK(c.iosb->Information == 2);
  CHECK(pty.shown() == "\xc3\xa9\xe2\x94\x80");
  win::CondrvInputInfoParams cp{win::SET_INPUT_INFO_OUTPUT_CODEPAGE, {0, 65001, 0}};
  CHECK(c.ioctl_in(c.output, ctl(win::CONDRV_SET_INPUT_INFO, kWrite), cp) == STATUS_SUCCESS);
  CHECK(c.write_file(c.output, "\xc3\xa9") == STATUS_SUCCESS);
  CHECK(pty.shown() == "\xc3\xa9");
  cp.info.output_cp = 932;
  CHECK(c.ioctl_in(c.output, ctl(win::CONDRV_SET_INPUT_INFO, kWrite), cp) ==
        STATUS_INVALID_PARAMETER);

  win::CondrvOutputInfoParams p{};
  p.mask = win::SET_OUTPUT_INFO_ATTR | win::SET_OUTPUT_INFO_CURSOR_POS;
  p.info.attr = win::FOREGROUND_RED | win::FOREGROUND_INTENSITY | 0x10;  // on dark blue
  p.info.cursor_x = 4;
  p.info.cursor_y = 2;
  CHECK(c.ioctl_in(c.output, ctl(win::CONDRV_SET_OUTPUT_INFO, kWrite), p) == STATUS_SUCCESS);
  CHECK(pty.shown() == "\x1b[0;91;44m\x1b[3;5H");
  REQUIRE(c.ioctl(c.output, ctl(win::CONDRV_GET_OUTPUT_INFO, kRead), {},
                  sizeof(win::CondrvOutputInfo)) == STATUS_SUCCESS);
  const auto info = c.result<win::CondrvOutputInfo>();
  CHECK(info.attr == p.info.attr);
  CHECK(info.cursor_x == 4);
  CHECK(info.cursor_y == 2);
  p.mask = win::SET_OUTPUT_INFO_CURSOR_POS;
  p.info.cursor_x = 10000;  // off the screen
  CHECK(c.ioctl_in(c.output, ctl(win::CONDRV_SET_OUTPUT_INFO, kWrite), p) ==
        STATUS_INVALID_PARAMETER);

  const std::u16string title = u"T\u00eftle";
  CHECK(c.ioctl(c.output, ctl(win::CONDRV_SET_TITLE, kWrite),
                std::string_view(reinterpret_cast<const char*>(title.data()), title.size() * 2),
                0) == STATUS_SUCCESS);
  CHECK(pty.shown() == "\x1b]0;T\xc3\xaftle\a");
  REQUIRE(c.ioctl(c.output, ctl(win::CONDRV_GET_TITLE, kRead), {}, 64) == STATUS_SUCCESS);
  CHECK(c.result<uint32_t>() == 5);
  CHECK(c.iosb->Information == 8 + 5 * 2);
  CHECK(std::memcmp(c.out + 4, title.data(), 10) == 0);
}

TEST_CASE("console requests: wrong handles, access and buffers get the NT answers") {
  Pty pty;
  Console c;
  attach(pty, c);
  // Input requests on a screen buffer and output requests on the input buffer.
  CHECK(c.ioctl(c.output, ctl(win::CONDRV_READ_CONSOLE, kRead), {}, 8) == STATUS_INVALID_HANDLE);
  CHECK(c.ioctl(c.input, ctl(win::CONDRV_WRITE_CONSOLE, kWrite), "a\0", 0) ==
        STATUS_INVALID_HANDLE);
  // A request the handle's access does not allow.
  HANDLE read_only = 0;
  REQUIRE(create_handle_for_host_fd(0, GENERIC_READ | SYNCHRONIZE, read_only) == STATUS_SUCCESS);
  CHECK(c.set_mode(read_only, 0) == STATUS_ACCESS_DENIED);
  CHECK(c.ioctl(c.input, ctl(win::CONDRV_GET_MODE, kRead), {}, 2) == STATUS_INVALID_PARAMETER);
  // Bad pointers, handles and files that are no console.
  CHECK(NtDeviceIoControlFile(c.input, 0, UserPtr<void>(), UserPtr<void>(),
                              UserPtr<IO_STATUS_BLOCK>(0x10), ctl(win::CONDRV_GET_MODE, kRead),
                              UserPtr<void>(), 0, UserPtr<void>(c.mem.addr(0x8000)),
                              4) == STATUS_ACCESS_VIOLATION);
  CHECK(NtDeviceIoControlFile(c.input, 0, UserPtr<void>(), UserPtr<void>(), c.io(),
                              ctl(win::CONDRV_SET_MODE, kWrite), UserPtr<void>(0x10), 4,
                              UserPtr<void>(), 0) == STATUS_ACCESS_VIOLATION);
  CHECK(c.ioctl(0xBEE0, ctl(win::CONDRV_GET_MODE, kRead), {}, 4) == STATUS_INVALID_HANDLE);
  int p[2];
  REQUIRE(pipe(p) == 0);
  HANDLE pipe_handle = 0;
  REQUIRE(create_handle_for_host_fd(p[0], GENERIC_READ | SYNCHRONIZE, pipe_handle) ==
          STATUS_SUCCESS);
  close(p[0]);
  close(p[1]);
  CHECK(c.ioctl(pipe_handle, ctl(win::CONDRV_GET_MODE, kRead), {}, 4) ==
        STATUS_INVALID_DEVICE_REQUEST);
  CHECK(c.ioctl(c.input, 0x00090000 /* a file system control code */, {}, 4) ==
        STATUS_INVALID_DEVICE_REQUEST);
}

TEST_CASE("console handles by name: \\Device\\ConDrv, CONIN$ and CONOUT$") {
  Pty pty;
  Console c;
  attach(pty, c);
  HANDLE out = 0, in = 0, console = 0, connection = 0, none = 0;
  REQUIRE(c.create(u"\\Device\\ConDrv\\Output", out) == STATUS_SUCCESS);
  CHECK(c.mode(out) == (win::ENABLE_PROCESSED_OUTPUT | win::ENABLE_WRAP_AT_EOL_OUTPUT));
  REQUIRE(c.create(u"\\??\\CONIN$", in) == STATUS_SUCCESS);
  CHECK(c.mode(in) == 0x1F7);
  REQUIRE(c.create(u"\\Device\\ConDrv\\Connection", console) == STATUS_SUCCESS);
  CHECK(c.ioctl(console, ctl(win::CONDRV_GET_MODE, kRead), {}, 4) == STATUS_INVALID_HANDLE);
  REQUIRE(c.ioctl(console, ctl(win::CONDRV_GET_INPUT_INFO, kRead), {},
                  sizeof(win::CondrvInputInfo)) == STATUS_SUCCESS);
  CHECK(c.result<win::CondrvInputInfo>().output_cp == 437);
  CHECK(c.create(u"Connection", connection, console) == STATUS_SUCCESS);
  CHECK(c.create(u"\\Device\\ConDrv\\Server", none) == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(c.create(u"\\Device\\ConDrv", none) == STATUS_OBJECT_TYPE_MISMATCH);
}
