// Code pages of the console: the bytes ReadFile/WriteFile (and ReadConsoleA/WriteConsoleA)
// carry are in the console's input or output code page, while the host terminal speaks UTF-8.
// 65001 (UTF-8) passes through; single-byte code pages are read from their .nls table (the same
// files the NLS services map, system/nls_files.h). Double-byte code pages are not offered.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ireactor/text/utf.h"

namespace ireactor::console {

inline constexpr uint32_t kUtf8CodePage = 65001;

class CodePage {
 public:
  // The code page numbered `cp`, loaded once; nullptr when it is not one the console offers.
  static const CodePage* get(uint32_t cp);

  uint32_t number() const { return number_; }
  bool is_utf8() const { return number_ == kUtf8CodePage; }
  // Bytes -> UTF-16. For UTF-8, invalid sequences become U+FFFD.
  std::u16string decode(std::string_view bytes) const;
  // UTF-16 -> bytes; characters the code page lacks become its default character.
  std::string encode(std::u16string_view chars) const;

 private:
  explicit CodePage(uint32_t number) : number_(number) {}
  uint32_t number_;
  char16_t to_unicode_[256] = {};  // single-byte code pages: byte -> character
  std::string from_unicode_;       // and character -> byte (65536 entries)
};

using text::utf16_to_utf8;
using text::utf8_to_utf16;
// The length of the longest prefix of `s` that does not end inside a UTF-8 sequence.
size_t complete_utf8_prefix(std::string_view s);

}  // namespace ireactor::console
