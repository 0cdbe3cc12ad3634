#include "io/wildcard.h"

#include <vector>

#include "io/name_rules.h"

namespace ireactor::io {

namespace {

class Matcher {
 public:
  Matcher(std::u16string_view name, std::u16string_view mask)
      : name_(name), mask_(mask), memo_((mask.size() + 1) * (name.size() + 1), -1) {
    last_dot_ = name.rfind(u'.');
  }

  bool match(size_t mi, size_t ni) {
    int8_t& m = memo_[mi * (name_.size() + 1) + ni];
    if (m < 0) m = compute(mi, ni) ? 1 : 0;
    return m != 0;
  }

 private:
  bool compute(size_t mi, size_t ni) {
    size_t n = name_.size();
    if (mi == mask_.size()) return ni == n;
    char16_t c = mask_[mi];
    bool more = ni < n;
    switch (c) {
      case u'*':
        return match(mi + 1, ni) || (more && match(mi, ni + 1));
      case u'?':
        return more && match(mi + 1, ni + 1);
      case u'<':  // any run that does not swallow the final dot
        return match(mi + 1, ni) || (more && ni != last_dot_ && match(mi, ni + 1));
      case u'>':  // one character, or nothing at a dot or at the end
        if (more && name_[ni] != u'.') return match(mi + 1, ni + 1);
        return match(mi + 1, ni);
      case u'"':  // a dot, or nothing past the end
        if (more) return name_[ni] == u'.' && match(mi + 1, ni + 1);
        return match(mi + 1, ni);
      default:
        return more && (c == name_[ni] || upcase(c) == upcase(name_[ni])) && match(mi + 1, ni + 1);
    }
  }

  std::u16string_view name_;
  std::u16string_view mask_;
  std::vector<int8_t> memo_;
  size_t last_dot_;
};

}  // namespace

bool mask_has_wildcards(std::u16string_view mask) {
  return mask.find_first_of(u"*?<>\"") != std::u16string_view::npos;
}

bool name_matches_mask(std::u16string_view name, std::u16string_view mask) {
  if (!mask_has_wildcards(mask)) return equal_nocase(name, mask);
  if (mask == u"*") return true;
  return Matcher(name, mask).match(0, 0);
}

}  // namespace ireactor::io
