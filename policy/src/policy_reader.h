// The policy schema (docs/policy.md) walked over a YAML document: structure, types and values.
// Checks that need this host (device nodes, drive directories) are in host_check.h.
#pragma once

#include "ireactor/policy/model.h"
#include "yaml_document.h"
#include "yaml_reader.h"

namespace ireactor::policy {

// Fills what it can read; the caller decides by r.has_errors() whether it is a policy.
NamespacePolicy read_policy(YamlReader& r, const YamlNode& document);

}  // namespace ireactor::policy
