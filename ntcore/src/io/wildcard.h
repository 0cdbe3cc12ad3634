// Directory masks as NtQueryDirectoryFile applies them (FsRtlIsNameInExpression rules): `*` and
// `?`, the DOS forms `<` (star up to the last dot), `>` (question mark that also matches the end
// of a dotted part) and `"` (a dot, or nothing at the end), compared case-insensitively.
#pragma once

#include <string_view>

namespace ireactor::io {

bool mask_has_wildcards(std::u16string_view mask);
bool name_matches_mask(std::u16string_view name, std::u16string_view mask);

}  // namespace ireactor::io
