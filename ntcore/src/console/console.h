// The console device (\Device\ConDrv): what a Windows console handle does here. Standard
// handles that are a host terminal, and CONIN$/CONOUT$ opened by name, are console handles;
// kernelbase's console functions reach them through NtDeviceIoControlFile (the condrv requests
// of win/console_abi.h), and ReadFile/WriteFile through NtReadFile/NtWriteFile, whose bytes are
// in the console's code pages. Modes map onto the terminal's termios settings, attributes and
// cursor moves onto its escape sequences; there is no screen buffer to read back (docs/runtime.md).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ireactor/io/file_object.h"
#include "ireactor/nt/status.h"

namespace ireactor::console {

// A standard handle's file object for host fd `std_fd`, a terminal (its device type is
// FILE_DEVICE_CONSOLE): it becomes a console handle (the input buffer for fd 0, the screen
// buffer for the others), and the first such terminal the process's console.
void adopt_standard_handle(FileObject& f, int std_fd);

// "\Device\ConDrv\Input" / "\Device\ConDrv\Output": a new file object on the console's input or
// screen buffer (access, options and share for the caller to set). STATUS_INVALID_HANDLE when
// the process has no console, as Windows answers CONIN$ then.
nt::NTSTATUS open(ConsoleRole role, std::shared_ptr<FileObject>& out);

// NtReadFile / NtWriteFile of a console handle: bytes in the input / output code page.
nt::NTSTATUS read_file(FileObject& f, uint64_t user_buffer, nt::ULONG length, nt::ULONG_PTR& done);
nt::NTSTATUS write_file(FileObject& f, uint64_t user_buffer, nt::ULONG length, nt::ULONG_PTR& done);

// NtDeviceIoControlFile of a console handle. The request is METHOD_BUFFERED: `in` is a copy of
// the input buffer; `out` receives at most `out_size` bytes for the caller's output buffer.
nt::NTSTATUS device_io_control(FileObject& f, nt::ULONG code, std::string_view in,
                               nt::ULONG out_size, std::string& out);

// Puts the terminal's settings back as the process found them (at process end).
void restore_terminal_settings();

}  // namespace ireactor::console
