// Writing to the console's screen buffer: text (WriteConsole, WriteFile), character
// attributes as the terminal's colours (SGR), cursor moves, and the cell writes and fills that
// a terminal can show (WriteConsoleOutput*, FillConsoleOutput*).
#pragma once

#include <string>
#include <string_view>

#include "ireactor/io/file_object.h"
#include "ireactor/nt/status.h"
#include "ireactor/win/console_abi.h"

namespace ireactor::console {

nt::NTSTATUS write_text(FileObject& f, std::u16string_view text);
// Bytes in the output code page.
nt::NTSTATUS write_bytes(FileObject& f, std::string_view bytes);
void get_output_info(FileObject& f, win::CondrvOutputInfo& out);
nt::NTSTATUS set_output_info(FileObject& f, const win::CondrvOutputInfoParams& p);
// FillConsoleOutputCharacter/Attribute; `done` receives the number of cells written.
nt::NTSTATUS fill_output(FileObject& f, const win::CondrvFillOutputParams& p, uint32_t& done);
// WriteConsoleOutput (CHAR_INFO cells of a rectangle) and WriteConsoleOutputCharacter (text
// from a position on). `cells` is what follows the parameters; `done` the cells written.
nt::NTSTATUS write_output(FileObject& f, const win::CondrvOutputParams& p, std::string_view cells,
                          uint32_t& done);
// The terminal's SGR sequence for a console attribute.
std::string attribute_sequence(uint16_t attr);

}  // namespace ireactor::console
