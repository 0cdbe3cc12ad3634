// Reading policy files: YAML (libyaml) -> NamespacePolicy, every problem reported with
// file:line:column. A file with any error yields no policy.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ireactor/policy/model.h"

namespace ireactor::policy {

struct ParseResult {
  std::optional<NamespacePolicy> policy;  // set only when diagnostics hold no error
  std::vector<Diagnostic> diagnostics;    // all of them, in file order

  bool ok() const { return policy.has_value(); }
};

ParseResult parse_policy_file(const std::filesystem::path& file);
// `name` stands in for the file name in diagnostics.
ParseResult parse_policy_text(const std::string& yaml, const std::string& name);

// Feature names as written in policy files, indexed by enum ir_feature.
const char* feature_name(int feature);
std::optional<int> feature_from_name(const std::string& name);

// The Windows builds a policy may name: those ireactor ships a system call numbering for
// (ntcore/ntdll/syscalls/*.tsv, fixed at build time), sorted.
const std::vector<std::string>& shipped_windows_builds();

}  // namespace ireactor::policy
