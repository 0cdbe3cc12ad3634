// A YAML syntax error as libyaml describes it, in the words yaml-cpp used for the same mistake:
// policy diagnostics were written with those words before the reader moved to libyaml, and users
// and tests know them. A problem yaml-cpp had no words for keeps libyaml's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ireactor::policy {

struct SyntaxProblem {
  std::string_view problem;  // libyaml's parser.problem
  std::string_view context;  // libyaml's parser.context, "" when none
  std::string_view text;     // the text from the problem's position to its end
  int column = 0;            // the problem's (1-based)

  // The collections open at the problem, outermost first, as yaml-cpp had them: with the block
  // collections libyaml closed on reaching the problem's token.
  struct Open {
    bool sequence = false;  // else a mapping
    bool flow = false;      // [...] or {...}
    int column = 0;
  };
  std::vector<Open> open;
};

std::string syntax_message(const SyntaxProblem& p);

}  // namespace ireactor::policy
