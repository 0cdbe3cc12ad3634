/* The console: standard handles on a terminal are console handles. Modes, code pages, screen
 * buffer information, attributes, cursor, title, line and character reads, key events, _getch,
 * CONIN$/CONOUT$ and cell fills, through kernel32 and msvcrt as console programs use them.
 *
 * run_win32_test.py --pty runs it on a pseudo-terminal of 80x25 and types what each "ASK-..."
 * prompt asks for; the check lines go to console_io.log, since the console is what is tested. */
#include <conio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

#include "win32_check.h"

static HANDLE in, out;

/* A prompt the harness answers by typing. */
static void ask(const char* what) {
  printf("ASK-%s\n", what);
  fflush(stdout);
}

static WORD attributes(void) {
  CONSOLE_SCREEN_BUFFER_INFO info;
  return GetConsoleScreenBufferInfo(out, &info) ? info.wAttributes : 0xFFFF;
}

static void modes_and_handles(void) {
  DWORD mode = 0;
  CHECK(GetFileType(in) == FILE_TYPE_CHAR && GetFileType(out) == FILE_TYPE_CHAR);
  CHECK(GetConsoleMode(out, &mode) &&
        (mode & 3) == (ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT));
  CHECK(GetConsoleMode(in, &mode) &&
        (mode & 7) == (ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT));
  const DWORD vt =
      ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT | ENABLE_VIRTUAL_TERMINAL_PROCESSING;
  CHECK(SetConsoleMode(out, vt) && GetConsoleMode(out, &mode) && mode == vt);
  CHECK(SetConsoleMode(out, ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT));

  /* A disk file is no console: every console call on it says ERROR_INVALID_HANDLE. */
  HANDLE file = CreateFileA("console_file.txt", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                            CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  CHECK(file != INVALID_HANDLE_VALUE);
  SetLastError(0);
  CHECK(!GetConsoleMode(file, &mode) && GetLastError() == ERROR_INVALID_HANDLE);
  CloseHandle(file);
  DeleteFileA("console_file.txt");

  HANDLE conout = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE,
                              FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
  CHECK(conout != INVALID_HANDLE_VALUE);
  DWORD written = 0;
  CHECK(WriteFile(conout, "via CONOUT$\n", 12, &written, NULL) && written == 12);
  CHECK(GetConsoleMode(conout, &mode));
  CloseHandle(conout);
  HANDLE conin = CreateFileA("CONIN$", GENERIC_READ | GENERIC_WRITE,
                             FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
  CHECK(conin != INVALID_HANDLE_VALUE);
  CHECK(GetConsoleMode(conin, &mode) && (mode & ENABLE_LINE_INPUT));
  CloseHandle(conin);
}

static void code_pages(void) {
  CHECK(GetConsoleCP() != 0 && GetConsoleOutputCP() == GetConsoleCP());
  const UINT original = GetConsoleOutputCP();
  DWORD written = 0;
  /* The same word three ways: UTF-16, UTF-8 bytes in code page 65001, and code page 437's
   * 0x82; the terminal shows "cafe" with an acute e each time (the harness looks). */
  CHECK(WriteConsoleW(out, L"caf\x00e9 1\n", 7, &written, NULL) && written == 7);
  CHECK(SetConsoleOutputCP(CP_UTF8) && GetConsoleOutputCP() == CP_UTF8);
  CHECK(WriteFile(out, "caf\xc3\xa9 2\n", 8, &written, NULL) && written == 8);
  CHECK(SetConsoleOutputCP(437) && GetConsoleOutputCP() == 437);
  CHECK(WriteConsoleA(out, "caf\x82 3\n", 7, &written, NULL) && written == 7);
  CHECK(SetConsoleOutputCP(original));
}

static void screen_buffer(void) {
  CONSOLE_SCREEN_BUFFER_INFO info;
  CHECK(GetConsoleScreenBufferInfo(out, &info));
  CHECK(info.dwSize.X == 80 && info.srWindow.Left == 0 && info.srWindow.Right == 79);
  CHECK(info.srWindow.Bottom - info.srWindow.Top == 24);

  const WORD red = FOREGROUND_RED | FOREGROUND_INTENSITY;
  CHECK(SetConsoleTextAttribute(out, red) && attributes() == red);
  printf("in red\n");
  fflush(stdout);
  CHECK(SetConsoleTextAttribute(out, FOREGROUND_RED | FOREGROUND_GREEN | FOREGROUND_BLUE) &&
        attributes() == 7);

  COORD at = {5, 3};
  CHECK(SetConsoleCursorPosition(out, at));
  CHECK(GetConsoleScreenBufferInfo(out, &info) && info.dwCursorPosition.X == 5 &&
        info.dwCursorPosition.Y == 3);
  COORD outside = {200, 3};
  CHECK(!SetConsoleCursorPosition(out, outside));

  DWORD filled = 0;
  COORD row = {0, 10};
  CHECK(FillConsoleOutputCharacterA(out, 'X', 3, row, &filled) && filled == 3);

  CONSOLE_CURSOR_INFO cursor;
  CHECK(GetConsoleCursorInfo(out, &cursor) && cursor.bVisible);

  WCHAR title[64];
  CHECK(SetConsoleTitleW(L"ireactor console test"));
  CHECK(GetConsoleTitleW(title, 64) == 21 && wcscmp(title, L"ireactor console test") == 0);
  printf("\n");
}

static void line_reads(void) {
  WCHAR wbuf[64];
  DWORD got = 0;
  ask("LINE");
  CHECK(ReadConsoleW(in, wbuf, 64, &got, NULL) && got == 12 &&
        memcmp(wbuf, L"typed line\r\n", 12 * sizeof(WCHAR)) == 0);

  /* A line longer than the buffer comes out in parts, the rest kept for the next reads. */
  ask("SMALL");
  CHECK(ReadConsoleW(in, wbuf, 4, &got, NULL) && got == 4 && memcmp(wbuf, L"abcd", 8) == 0);
  CHECK(ReadConsoleW(in, wbuf, 4, &got, NULL) && got == 4 && memcmp(wbuf, L"efgh", 8) == 0);
  CHECK(ReadConsoleW(in, wbuf, 4, &got, NULL) && got == 2 && memcmp(wbuf, L"\r\n", 4) == 0);

  char buf[64];
  ask("FILE");
  CHECK(ReadFile(in, buf, sizeof buf, &got, NULL) && got == 8 && memcmp(buf, "second\r\n", 8) == 0);
}

/* A key as ReadConsoleInput reports it: its key-down event. */
static int next_key_down(KEY_EVENT_RECORD* key) {
  INPUT_RECORD record;
  DWORD got;
  for (;;) {
    if (!ReadConsoleInputW(in, &record, 1, &got) || got != 1) return 0;
    if (record.EventType == KEY_EVENT && record.Event.KeyEvent.bKeyDown) {
      *key = record.Event.KeyEvent;
      return 1;
    }
  }
}

static void key_events(void) {
  DWORD mode = 0, events = 99;
  CHECK(GetConsoleMode(in, &mode));
  CHECK(FlushConsoleInputBuffer(in));
  CHECK(GetNumberOfConsoleInputEvents(in, &events) && events == 0);
  CHECK(SetConsoleMode(in, 0));
  KEY_EVENT_RECORD key;
  /* A key pressed shows as events before anything reads them; a peek leaves them there. */
  ask("PEEK");
  for (int tries = 0; tries < 500 && GetNumberOfConsoleInputEvents(in, &events) && !events; ++tries)
    Sleep(10);
  CHECK(events >= 1);
  INPUT_RECORD peeked;
  DWORD got = 0;
  CHECK(PeekConsoleInputW(in, &peeked, 1, &got) && got == 1 && peeked.EventType == KEY_EVENT &&
        peeked.Event.KeyEvent.bKeyDown && peeked.Event.KeyEvent.uChar.UnicodeChar == L'p');
  CHECK(next_key_down(&key) && key.uChar.UnicodeChar == L'p');
  ask("RAW");
  CHECK(next_key_down(&key) && key.uChar.UnicodeChar == L'x' && key.wVirtualKeyCode == 'X');
  ask("ARROW");
  CHECK(next_key_down(&key) && key.wVirtualKeyCode == VK_UP && key.uChar.UnicodeChar == 0);
  CHECK(SetConsoleMode(in, mode));

  ask("GETCH");
  CHECK(_getch() == 'y');
  CHECK(FlushConsoleInputBuffer(in));
}

int main(void) {
  win32_check_out = fopen("console_io.log", "w");
  if (!win32_check_out) return 2;
  in = GetStdHandle(STD_INPUT_HANDLE);
  out = GetStdHandle(STD_OUTPUT_HANDLE);
  modes_and_handles();
  code_pages();
  screen_buffer();
  line_reads();
  key_events();
  int status = WIN32_SUMMARY();
  fclose(win32_check_out);
  return status;
}
