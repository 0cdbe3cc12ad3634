#include "text_positions.h"

#include <algorithm>
#include <cstring>

namespace ireactor::policy {

namespace {

// Word at a time: this runs over every byte of every policy file read.
bool is_ascii(std::string_view text) {
  uint64_t high = 0;
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    high |= word;
  }
  for (; i < text.size(); ++i) high |= static_cast<unsigned char>(text[i]);
  return (high & 0x8080808080808080ULL) == 0;
}

}  // namespace

TextPositions::TextPositions(std::string_view text) : text_(text) {
  utf16_ = text.starts_with("\xFE\xFF") || text.starts_with("\xFF\xFE");
  const bool ascii = is_ascii(text);
  as_libyaml_ = ascii && text.find('\r') == std::string_view::npos;  // as most policy files are
  if (as_libyaml_ || utf16_) return;
  line_starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
    if (!ascii && (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)  // not a continuation
      char_offsets_.push_back(static_cast<uint32_t>(i));
  }
}

size_t TextPositions::offset_of(const yaml_mark_t& mark) const {
  if (char_offsets_.empty()) return std::min(mark.index, text_.size());
  return mark.index < char_offsets_.size() ? char_offsets_[mark.index] : text_.size();
}

TextPosition TextPositions::at_offset(size_t offset) const {
  // The end is column 1 of the line it is on, as yaml-cpp had it, also when the text does not
  // end in '\n' (libyaml then adds one and places the end a line further).
  if (offset >= text_.size())
    return {static_cast<int>(std::count(text_.begin(), text_.end(), '\n')) + 1, 1};
  if (line_starts_.empty()) {
    // No table (plain text): count. Only a reader error asks, once.
    TextPosition p{1, 1};
    for (size_t i = 0; i < offset; ++i) {
      if (text_[i] == '\n')
        p = {p.line + 1, 1};
      else
        ++p.column;
    }
    return p;
  }
  const auto next_line = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const size_t line = static_cast<size_t>(next_line - line_starts_.begin());  // 1-based
  return {static_cast<int>(line), static_cast<int>(offset - line_starts_[line - 1] + 1)};
}

TextPosition TextPositions::at(const yaml_mark_t& mark) const {
  const TextPosition libyaml{static_cast<int>(mark.line + 1), static_cast<int>(mark.column + 1)};
  if (utf16_) return libyaml;
  const size_t offset = offset_of(mark);
  return as_libyaml_ && offset < text_.size() ? libyaml : at_offset(offset);
}

TextPosition TextPositions::next_token(const yaml_mark_t& mark) const {
  if (utf16_) return at(mark);
  const size_t from = offset_of(mark);
  size_t i = from;
  while (i < text_.size()) {
    const char c = text_[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '#') {
      while (i < text_.size() && text_[i] != '\n') ++i;
    } else {
      break;
    }
  }
  if (!as_libyaml_ || i == text_.size()) return at_offset(i);
  TextPosition p = at(mark);  // plain text: count on from the mark
  for (size_t k = from; k < i; ++k) {
    if (text_[k] == '\n')
      p = {p.line + 1, 1};
    else
      ++p.column;
  }
  return p;
}

}  // namespace ireactor::policy
