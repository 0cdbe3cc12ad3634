// The checks of a policy that depend on this host: drive directories, device nodes named by
// path, rules that land on one device key, ioctl ranges that would not fit the guard's map.
#pragma once

#include "ireactor/policy/model.h"
#include "yaml_reader.h"

namespace ireactor::policy {

void check_on_host(YamlReader& r, const NamespacePolicy& policy);

}  // namespace ireactor::policy
