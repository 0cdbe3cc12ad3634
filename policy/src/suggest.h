// "did you mean" for misspelt keys and values.
#pragma once

#include <string>
#include <vector>

namespace ireactor::policy {

// The candidate closest to `word` (case-insensitive edit distance), when close enough to be a
// likely typo; "" otherwise.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

// " (did you mean \"x\"?)" or "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace ireactor::policy
