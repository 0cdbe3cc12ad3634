// Conversions between the runtime's UTF-8 strings and Windows' UTF-16, and the case folding the
// loader uses for DLL names (ASCII only, like the file names it compares).
#pragma once

#include <string>
#include <string_view>

#include "ireactor/text/utf.h"

namespace ireactor::loader {

using text::utf16_to_utf8;
using text::utf8_to_utf16;

std::string ascii_lower(std::string_view s);
bool iequals_ascii(std::string_view a, std::string_view b);

}  // namespace ireactor::loader
