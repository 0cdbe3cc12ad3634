// What a terminal's input bytes are as console key events: each character a key pressed and
// released (two INPUT_RECORDs, as ReadConsoleInput reports them), the terminal's escape
// sequences for arrows, Home, End, Insert, Delete and Page Up/Down as those keys.
#pragma once

#include <deque>
#include <string_view>

#include "ireactor/win/console_abi.h"

namespace ireactor::console {

// Appends the events of the complete keys at the start of `bytes` and returns how many bytes
// they took. An escape or UTF-8 sequence cut off at the end is left for the next call, unless
// `no_more` says nothing else is coming: then a lone ESC is the Escape key.
size_t decode_keys(std::string_view bytes, bool no_more, std::deque<win::INPUT_RECORD>& out);

}  // namespace ireactor::console
