// Reading the console's input: lines or characters (ReadConsole, ReadFile) and key events
// (ReadConsoleInput, PeekConsoleInput), from the terminal of the handle.
#pragma once

#include <string>
#include <vector>

#include "ireactor/io/file_object.h"
#include "ireactor/nt/status.h"
#include "ireactor/win/console_abi.h"

namespace ireactor::console {

// Up to `max_chars` characters: in line mode a whole line ending in "\r\n" (handed out in parts
// when it does not fit), else what was typed. Blocks until there is input; none at all is the
// end of input (Ctrl+D at the start of a line).
nt::NTSTATUS read_chars(FileObject& f, size_t max_chars, std::u16string& out);
// The same in the input code page, at most `max_bytes` bytes.
nt::NTSTATUS read_bytes(FileObject& f, size_t max_bytes, std::string& out);
// Up to `max` key events; `wait`: block until there is one. `remove`: false for a peek.
nt::NTSTATUS read_records(FileObject& f, size_t max, bool wait, bool remove,
                          std::vector<win::INPUT_RECORD>& out);
// Key events not yet read (after taking in what the terminal already has).
size_t count_records(FileObject& f);
// Drops everything typed and not yet read.
void flush_input(FileObject& f);
// Applies an input mode to the terminal (SetConsoleMode of the input buffer).
nt::NTSTATUS apply_input_mode(FileObject& f, uint32_t mode);

}  // namespace ireactor::console
