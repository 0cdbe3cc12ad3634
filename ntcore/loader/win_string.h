// Conversions between the runtime's UTF-8 strings and Windows' UTF-16, and the case folding the
// loader uses for DLL names (ASCII only, like the file names it compares).
#pragma once

#include <string>
#include <string_view>

namespace ireactor::loader {

// Invalid UTF-8 sequences become U+FFFD.
std::u16string utf8_to_utf16(std::string_view s);
// Unpaired surrogates become U+FFFD.
std::string utf16_to_utf8(std::u16string_view s);

std::string ascii_lower(std::string_view s);
bool iequals_ascii(std::string_view a, std::string_view b);

}  // namespace ireactor::loader
