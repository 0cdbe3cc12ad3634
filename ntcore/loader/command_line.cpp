#include "command_line.h"

namespace ireactor::loader {

std::u16string quote_command_line_argument(const std::u16string& arg) {
  if (!arg.empty() && arg.find_first_of(u" \t\n\v\"") == std::u16string::npos) return arg;
  // Backslashes are literal unless they precede a quote: then each one is doubled, and the
  // quote itself escaped. The closing quote counts too.
  std::u16string out = u"\"";
  size_t backslashes = 0;
  for (char16_t c : arg) {
    if (c == u'\\') {
      ++backslashes;
      continue;
    }
    if (c == u'"') {
      out.append(backslashes * 2 + 1, u'\\');
    } else {
      out.append(backslashes, u'\\');
    }
    backslashes = 0;
    out.push_back(c);
  }
  out.append(backslashes * 2, u'\\');
  out.push_back(u'"');
  return out;
}

std::u16string build_command_line(const std::vector<std::u16string>& argv) {
  std::u16string out;
  for (size_t i = 0; i < argv.size(); ++i) {
    if (i) out.push_back(u' ');
    out += quote_command_line_argument(argv[i]);
  }
  return out;
}

}  // namespace ireactor::loader
