#include "io/name_rules.h"

#include <locale.h>
#include <wctype.h>

#include <array>
#include <memory>

namespace ireactor::io {

namespace {

// One entry per BMP unit, built once from the C.UTF-8 simple case mappings. Windows' table
// never maps a non-ASCII character onto ASCII (dotless i, long s, Kelvin sign stay apart), and
// surrogates are compared as they are.
struct UpcaseTable {
  std::array<char16_t, 0x10000> map;
  UpcaseTable() {
    locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    for (uint32_t c = 0; c < 0x10000; ++c) {
      char16_t u = static_cast<char16_t>(c);
      if (c >= 'a' && c <= 'z') {
        u = static_cast<char16_t>(c - ('a' - 'A'));
      } else if (c >= 0x80 && (c < 0xD800 || c > 0xDFFF) && loc) {
        wint_t w = towupper_l(static_cast<wint_t>(c), loc);
        if (w >= 0x80 && w < 0x10000) u = static_cast<char16_t>(w);
      }
      map[c] = u;
    }
    if (loc) freelocale(loc);
  }
};

const UpcaseTable& table() {
  static const auto* t = new UpcaseTable;  // never destroyed: used by late destructors too
  return *t;
}

}  // namespace

char16_t upcase(char16_t c) {
  if (c < 0x80) return (c >= u'a' && c <= u'z') ? static_cast<char16_t>(c - 32) : c;
  return table().map[c];
}

bool equal_nocase(std::u16string_view a, std::u16string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i] && upcase(a[i]) != upcase(b[i])) return false;
  return true;
}

int compare_nocase(std::u16string_view a, std::u16string_view b) {
  size_t n = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    char16_t x = upcase(a[i]), y = upcase(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

nt::NTSTATUS check_component(std::u16string_view c) {
  // NTFS refuses these in names; "." and ".." are never passed down by Windows' own path
  // handling, so an NT name that contains them is malformed.
  if (c.empty() || c.size() > 255 || c == u"." || c == u"..") return nt::STATUS_OBJECT_NAME_INVALID;
  for (char16_t ch : c) {
    if (ch < 0x20) return nt::STATUS_OBJECT_NAME_INVALID;
    switch (ch) {
      case u'"':
      case u'*':
      case u'/':
      case u':':
      case u'<':
      case u'>':
      case u'?':
      case u'|':
        return nt::STATUS_OBJECT_NAME_INVALID;
      default:
        break;
    }
  }
  return nt::STATUS_SUCCESS;
}

bool utf8_from_utf16(std::u16string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    uint32_t c = in[i];
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    // A surrogate pair is one character; a lone surrogate (NTFS allows those) is kept as its
    // own three-byte sequence (WTF-8), so every Windows name has a host spelling and back.
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < in.size() && in[i + 1] >= 0xDC00 &&
        in[i + 1] <= 0xDFFF)
      c = 0x10000 + ((c - 0xD800) << 10) + (in[++i] - 0xDC00);
    if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    }
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return true;
}

std::u16string utf16_from_utf8(std::string_view in) {
  std::u16string out;
  out.reserve(in.size());
  size_t i = 0;
  while (i < in.size()) {
    auto b = static_cast<unsigned char>(in[i]);
    if (b < 0x80) {
      out += static_cast<char16_t>(b);
      ++i;
      continue;
    }
    size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
    uint32_t c = len == 4 ? (b & 0x07) : len == 3 ? (b & 0x0F) : (b & 0x1F);
    bool ok = len != 0 && i + len <= in.size();
    for (size_t k = 1; ok && k < len; ++k) {
      auto cb = static_cast<unsigned char>(in[i + k]);
      if ((cb & 0xC0) != 0x80) ok = false;
      c = (c << 6) | (cb & 0x3F);
    }
    // Overlong forms and values past U+10FFFF are invalid; encoded surrogates are the WTF-8
    // form of lone surrogates in Windows names.
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (ok && (c < kMin[len] || c > 0x10FFFF)) ok = false;
    if (!ok) {
      out += u'\xFFFD';
      ++i;
      continue;
    }
    if (c >= 0x10000) {
      c -= 0x10000;
      out += static_cast<char16_t>(0xD800 + (c >> 10));
      out += static_cast<char16_t>(0xDC00 + (c & 0x3FF));
    } else {
      out += static_cast<char16_t>(c);
    }
    i += len;
  }
  return out;
}

}  // namespace ireactor::io
