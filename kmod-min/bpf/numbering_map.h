// The nt_numbering map's contents on the kernel side: written from nt_numbering.h's entries plus
// the version key, stale keys (a build or number this executable no longer has, another
// version key) removed.
#pragma once

#include <cstddef>

namespace ireactor::kmod {

// Makes the map behind `fd` hold exactly numbering_entries() and this executable's version key;
// returns how many entries (the version key not counted). Lookups running meanwhile see each
// key's old or new service. Throws std::runtime_error.
size_t write_numbering(int fd);

// Whether the map behind `fd` was written for programs with this executable's service ids: its
// only version key is numbering_fingerprint()'s.
bool numbering_is_ours(int fd);

// The number of entries in the map behind `fd` (the version key not counted).
size_t count_numbering(int fd);

}  // namespace ireactor::kmod
