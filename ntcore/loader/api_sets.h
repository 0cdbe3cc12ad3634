// API set names (api-ms-win-*, ext-ms-win-*): virtual DLL names that Windows' ApiSetSchema maps
// to the DLL hosting the functions. The DLLs we load (Wine's kernelbase, kernel32, msvcrt,
// ucrtbase) import none of them today; the table covers the families programs and the CRT use,
// mapped to the host Windows 10 gives them.
#pragma once

#include <string>
#include <string_view>

namespace ireactor::loader {

// The host DLL of an API set name ("api-ms-win-crt-runtime-l1-1-0.dll" → "ucrtbase.dll"); empty
// when `name` is not an API set name we know. Case-insensitive; ".dll" optional.
std::string api_set_host(std::string_view name);

}  // namespace ireactor::loader
