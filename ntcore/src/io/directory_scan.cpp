#include "io/directory_scan.h"

#include <algorithm>

#include "io/host_dir.h"
#include "io/name_rules.h"
#include "io/wildcard.h"

namespace ireactor::io {

int list_directory(int dir_fd, bool is_root, const std::u16string& mask,
                   std::vector<DirectoryEntry>& out) {
  out.clear();
  auto keep = [&](const std::u16string& name) {
    return mask.empty() || name_matches_mask(name, mask);
  };
  // NTFS lists "." and ".." first in every directory but the root of a volume.
  if (!is_root) {
    for (const char* special : {".", ".."}) {
      std::u16string name = utf16_from_utf8(special);
      if (keep(name)) out.push_back({std::move(name), special});
    }
  }
  size_t first_regular = out.size();
  int err = for_each_entry(dir_fd, [&](std::string_view entry) {
    if (entry == "." || entry == "..") return true;
    std::u16string name = utf16_from_utf8(entry);
    if (keep(name)) out.push_back({std::move(name), std::string(entry)});
    return true;
  });
  std::sort(out.begin() + static_cast<ptrdiff_t>(first_regular), out.end(),
            [](const DirectoryEntry& a, const DirectoryEntry& b) {
              int c = compare_nocase(a.name, b.name);
              return c != 0 ? c < 0 : a.host_name < b.host_name;
            });
  return err;
}

}  // namespace ireactor::io
