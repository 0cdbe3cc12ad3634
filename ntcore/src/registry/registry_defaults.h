// The keys and values a Windows program and Wine's kernelbase expect to find at start.
#pragma once

#include "ireactor/windows_namespace.h"
#include "registry/registry_key.h"

namespace ireactor::registry {

// The namespace's one user, whose hive is \Registry\User\<SID> (HKEY_CURRENT_USER). Fixed for
// every namespace; ntdll's RtlFormatCurrentUserKeyPath names the same SID.
inline constexpr char16_t kCurrentUserSid[] = u"S-1-5-21-0-0-0-1000";

// Makes the default keys and values under `root` (\Registry) that are missing. Values that
// describe the namespace itself (the Windows version) are always rewritten from `ns`.
void add_default_contents(Key& root, const WindowsNamespace& ns);

}  // namespace ireactor::registry
