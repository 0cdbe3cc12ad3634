// Positions in a policy file's text, counted as its diagnostics always were: lines end at '\n'
// and columns count bytes, both from 1 (yaml-cpp's counting, which users, tests and docs know).
// libyaml counts characters and also ends lines at a lone '\r', so its marks are converted here.
#pragma once

#include <yaml.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ireactor::policy {

struct TextPosition {
  int line = 0;
  int column = 0;
};

class TextPositions {
 public:
  // `text` as libyaml reads it: a UTF-8 byte order mark already taken off (nothing counts it).
  explicit TextPositions(std::string_view text);

  TextPosition at(const yaml_mark_t& mark) const;
  TextPosition at_offset(size_t offset) const;
  // The byte offset of a mark (libyaml's index counts characters).
  size_t offset_of(const yaml_mark_t& mark) const;
  // Where the next token starts from `mark` on, past blanks, line breaks and comments: the
  // position yaml-cpp gave a node written as nothing at all (`key:` with no value).
  TextPosition next_token(const yaml_mark_t& mark) const;

 private:
  std::string_view text_;
  bool utf16_ = false;      // libyaml decodes it: its own line and column are all there is
  bool as_libyaml_ = true;  // ASCII without '\r': libyaml's line and column are ours
  // Only when libyaml's counting is not ours: the byte offset of each character (when not
  // ASCII) and of each line.
  std::vector<uint32_t> char_offsets_;
  std::vector<size_t> line_starts_;
};

}  // namespace ireactor::policy
