#include "yaml_syntax_message.h"

namespace ireactor::policy {

namespace {

struct Wording {
  std::string_view libyaml;
  std::string_view yaml_cpp;
};

// Problems whose yaml-cpp wording does not depend on where they happened.
constexpr Wording kSameWords[] = {
    {"mapping values are not allowed in this context", "illegal map value"},
    {"mapping keys are not allowed in this context", "illegal map key"},
    {"block sequence entries are not allowed in this context", "illegal block entry"},
    {"found a tab character where an indentation space is expected",
     "illegal tab when looking for indentation"},
    {"found a tab character that violates indentation", "illegal tab when looking for indentation"},
    {"found unexpected document indicator", "illegal document indicator in scalar"},
    {"did not find expected hexdecimal number", "bad character found while scanning hex number"},
    {"did not find the expected '>'", "end of verbatim tag not found"},
    {"found an indentation indicator equal to 0", "cannot set zero indentation for a block scalar"},
    {"found incompatible YAML document", "YAML major version too large"},
    {"found duplicate %YAML directive", "repeated YAML directive"},
    {"found duplicate %TAG directive", "repeated TAG directive"},
};

bool closes_flow(std::string_view text) {
  return text.starts_with(']') || text.starts_with('}');
}

// "- " starting a block sequence entry.
bool block_entry(std::string_view text) {
  return text.starts_with('-') && (text.size() == 1 || text[1] == ' ' || text[1] == '\t' ||
                                   text[1] == '\n' || text[1] == '\r');
}

// Which block collection yaml-cpp found unfinished at the token: its scanner closed those the
// token is left of, and a sequence at the token's column unless the token is one of its entries.
// Its parser then complained about the innermost one left.
const char* unfinished_block(const SyntaxProblem& p) {
  auto open = p.open.rbegin();
  while (open != p.open.rend() && !open->flow &&
         (open->column > p.column ||
          (open->column == p.column && open->sequence && !block_entry(p.text))))
    ++open;
  return open != p.open.rend() && open->sequence ? "end of sequence not found"
                                                 : "end of map not found";
}

}  // namespace

std::string syntax_message(const SyntaxProblem& p) {
  for (const Wording& w : kSameWords)
    if (p.problem == w.libyaml) return std::string(w.yaml_cpp);

  const std::string_view& problem = p.problem;
  const bool expected_more = problem == "did not find expected ',' or ']'" ||
                             problem == "did not find expected ',' or '}'" ||
                             problem == "did not find expected node content" ||
                             problem == "did not find expected key";
  // A bracket that closes nothing open, or the wrong kind; "- " inside [...] or {...}.
  if (expected_more && closes_flow(p.text)) return "illegal flow end";
  if (expected_more && problem != "did not find expected key" && block_entry(p.text))
    return "illegal block entry";
  if (problem == "did not find expected ',' or ']'") return "end of sequence flow not found";
  if (problem == "did not find expected ',' or '}'") return "end of map flow not found";
  // The text ends inside [...] or {...} (yaml-cpp also read an unclosed quote to the end).
  const bool ends_in_flow = p.text.empty() && !p.open.empty() && p.open.back().flow;
  if (ends_in_flow && (problem == "did not find expected node content" ||
                       problem == "found unexpected end of stream"))
    return p.open.back().sequence ? "end of sequence flow not found" : "end of map flow not found";
  if (problem == "did not find expected key" || problem == "did not find expected '-' indicator")
    return unfinished_block(p);
  if (problem == "could not find expected ':'" && p.text.starts_with(':'))
    return "illegal map value";  // the ':' after a key spanning lines
  if (problem == "found character that cannot start any token")
    return p.text.starts_with('\t') ? "illegal tab when looking for indentation" : "unknown token";
  if (problem == "found unknown escape character" && p.text.size() > 1) {
    size_t end = 2;  // text[0] is the backslash; the character may take more bytes
    while (end < p.text.size() && (static_cast<unsigned char>(p.text[end]) & 0xC0) == 0x80) ++end;
    return "unknown escape character: " + std::string(p.text.substr(1, end - 1));
  }
  if (problem == "did not find expected alphabetic or numeric character") {
    if (p.context == "while scanning an alias") return "alias not found after *";
    if (p.context == "while scanning an anchor") return "anchor not found after &";
  }
  if (problem == "found unexpected end of stream" && p.context.ends_with(" scalar"))
    return "illegal EOF in scalar";

  std::string message(problem);
  if (!p.context.empty()) message += " " + std::string(p.context);
  return message;
}

}  // namespace ireactor::policy
