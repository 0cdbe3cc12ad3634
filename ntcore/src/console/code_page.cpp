#include "console/code_page.h"

#include <fcntl.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <mutex>

#include "ireactor/text/utf.h"
#include "system/nls_files.h"

namespace ireactor::console {

namespace {

// A c_NNNN.nls file: a header of 13 16-bit words (size, code page, maximum character size,
// default characters, lead bytes), then the offset in words of the Unicode->bytes table, the
// 256-entry bytes->Unicode table, and after the optional glyph and DBCS tables the Unicode->bytes
// table (65536 bytes for a single-byte code page).
bool load_single_byte(uint32_t cp, char16_t (&to_unicode)[256], std::string& from_unicode) {
  const std::string path = nls::data_directory() + "/c_" + std::to_string(cp) + ".nls";
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::string data;
  char buf[65536];
  ssize_t r;
  while ((r = read(fd, buf, sizeof buf)) > 0) data.append(buf, static_cast<size_t>(r));
  close(fd);
  auto word = [&](size_t i) -> uint16_t {
    return static_cast<uint16_t>(static_cast<uint8_t>(data[2 * i]) |
                                 static_cast<uint8_t>(data[2 * i + 1]) << 8);
  };
  if (data.size() < 2 * (14 + 256)) return false;
  const size_t header = word(0);
  if (header != 13 || word(1) != cp || word(2) != 1) return false;  // single-byte only
  const size_t wc_table = 2 * (header + 1 + word(header));
  if (data.size() < wc_table + 65536) return false;
  for (size_t b = 0; b < 256; ++b) to_unicode[b] = static_cast<char16_t>(word(header + 1 + b));
  from_unicode.assign(data, wc_table, 65536);
  return true;
}

}  // namespace

const CodePage* CodePage::get(uint32_t cp) {
  static std::mutex mu;
  static std::map<uint32_t, std::unique_ptr<CodePage>> loaded;
  std::lock_guard lock(mu);
  if (auto it = loaded.find(cp); it != loaded.end()) return it->second.get();
  std::unique_ptr<CodePage> page(new CodePage(cp));
  if (cp != kUtf8CodePage && !load_single_byte(cp, page->to_unicode_, page->from_unicode_))
    return nullptr;
  return (loaded[cp] = std::move(page)).get();
}

std::u16string CodePage::decode(std::string_view bytes) const {
  if (is_utf8()) return text::utf8_to_utf16(bytes);
  std::u16string out;
  out.reserve(bytes.size());
  for (unsigned char b : bytes) out += to_unicode_[b];
  return out;
}

std::string CodePage::encode(std::u16string_view chars) const {
  if (is_utf8()) return text::utf16_to_utf8(chars);
  std::string out;
  out.reserve(chars.size());
  for (char16_t c : chars) out += from_unicode_[c];
  return out;
}

size_t complete_utf8_prefix(std::string_view s) {
  // Look back over at most three continuation bytes for the lead byte of the last sequence.
  size_t n = s.size();
  for (size_t back = 1; back <= 4 && back <= n; ++back) {
    const unsigned char b = static_cast<unsigned char>(s[n - back]);
    if ((b >> 6) == 2) continue;  // continuation byte
    const size_t len = b < 0x80         ? 1
                       : (b >> 5) == 6  ? 2
                       : (b >> 4) == 14 ? 3
                       : (b >> 3) == 30 ? 4
                                        : 1;
    return back < len ? n - back : n;
  }
  return n;
}

}  // namespace ireactor::console
