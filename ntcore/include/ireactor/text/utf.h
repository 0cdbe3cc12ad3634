// UTF-8 <-> UTF-16 between the runtime's (and the host's) strings and Windows' text, for text
// meant to be read: invalid UTF-8 and unpaired surrogates become U+FFFD. (File names, where a
// lone surrogate must survive, use io/name_rules.h's WTF-8 instead.)
#pragma once

#include <string>
#include <string_view>

namespace ireactor::text {

std::u16string utf8_to_utf16(std::string_view s);
std::string utf16_to_utf8(std::u16string_view s);

}  // namespace ireactor::text
