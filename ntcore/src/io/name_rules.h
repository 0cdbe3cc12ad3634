// How Windows compares and restricts file names: per-UTF-16-unit upper-casing (the file system's
// upcase table), which characters a name component may hold, and UTF-16 <-> UTF-8 for host names.
#pragma once

#include <string>
#include <string_view>

#include "ireactor/nt/status.h"

namespace ireactor::io {

// The upper-case form Windows compares file names by (one UTF-16 unit at a time; surrogates and
// characters without a simple upper-case mapping stay as they are).
char16_t upcase(char16_t c);

bool equal_nocase(std::u16string_view a, std::u16string_view b);
// <0, 0, >0 comparing upper-cased units, as RtlCompareUnicodeString(..., TRUE) orders names.
int compare_nocase(std::u16string_view a, std::u16string_view b);

// STATUS_SUCCESS when `c` is usable as one component of a file name on an NTFS-like volume:
// non-empty, not "." or "..", at most 255 units, none of `"*/:<>?|` or control characters.
nt::NTSTATUS check_component(std::u16string_view c);

// UTF-16 -> UTF-8, lone surrogates (valid in NTFS names) as WTF-8. Always true.
bool utf8_from_utf16(std::u16string_view in, std::string& out);
// UTF-8 (WTF-8) -> UTF-16; invalid sequences become U+FFFD (host names Windows could not type
// anyway).
std::u16string utf16_from_utf8(std::string_view in);

}  // namespace ireactor::io
