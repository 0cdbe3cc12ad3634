// The nt_numbering map's contents on the kernel side: written from nt_numbering.h's values (every
// entry in its build's slot, the rest empty, the version), read back for checks and counts.
#pragma once

#include <cstddef>

namespace ireactor::kmod {

// Whether the map behind `fd` has this executable's layout (an ARRAY of
// NT_NUMBERING_MAP_SIZE u32s): a map pinned by an older release may not.
bool numbering_layout_ok(int fd);

// Makes the map behind `fd` hold exactly numbering_values(); returns how many entries (the
// version not counted). Lookups running meanwhile see each entry's old or new service. Throws
// std::runtime_error (another layout, more builds than slots, a failed write).
size_t write_numbering(int fd);

// Whether the map behind `fd` was written for programs with this executable's service ids and
// build slots: its layout is ours and its version is numbering_fingerprint().
bool numbering_is_ours(int fd);

// The number of entries in the map behind `fd` (the version not counted); 0 for another layout.
size_t count_numbering(int fd);

}  // namespace ireactor::kmod
