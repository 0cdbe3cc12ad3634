// The enumeration state NtQueryDirectoryFile keeps in a directory file object: a sorted
// snapshot of the entries that match the mask given on the first call, and where the next
// call continues.
#pragma once

#include <string>
#include <vector>

namespace ireactor::io {

struct DirectoryEntry {
  std::u16string name;    // as reported to Windows
  std::string host_name;  // as stored on the host ("." and ".." for the two specials)
};

struct DirectoryScan {
  std::u16string mask;  // empty: every entry
  std::vector<DirectoryEntry> entries;
  size_t next = 0;
};

// Lists the directory `dir_fd` ("." and ".." first unless it is a drive root, then the other
// entries ordered as NTFS orders them: by upper-cased name) keeping the names matching `mask`.
// Returns 0 or an errno.
int list_directory(int dir_fd, bool is_root, const std::u16string& mask,
                   std::vector<DirectoryEntry>& out);

}  // namespace ireactor::io
