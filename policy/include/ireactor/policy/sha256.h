// sha256 of a policy file's bytes (NamespacePolicy::source_sha256): how `policy apply` and
// `policy show` recognise a file in the agent's status.json.
#pragma once

#include <string>

namespace ireactor::policy {

std::string sha256_hex(const std::string& bytes);  // 64 lower-case hex digits

}  // namespace ireactor::policy
