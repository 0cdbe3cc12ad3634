// The registry file of a namespace: the non-volatile keys, persisted as text next to the
// namespace's C: root. Format (one record a line, names and data as hex so nothing needs escaping):
//   ireactor-registry 1
//   K <last write time> <path below \Registry, UTF-16LE hex> <class, UTF-16LE hex>
//   V <type> <name, UTF-16LE hex> <data hex>        (a value of the last K line's key)
// Host paths never enter it: values hold only what Windows code stored.
#pragma once

#include <string>

#include "registry/registry_key.h"

namespace ireactor::registry {

// Where the current namespace keeps its registry; empty when C: is not mapped (nothing persists).
std::string registry_file_path();
// Merges the file's keys and values into the tree under `root` (\Registry). A missing file is an
// empty registry; a malformed line is skipped.
void load_registry_file(Key& root, const std::string& path);
// Replaces the file atomically (write to a temporary, fsync, rename) under an flock of
// "<path>.lock". Concurrent processes of one namespace: the last writer wins.
bool save_registry_file(const Key& root, const std::string& path);

}  // namespace ireactor::registry
