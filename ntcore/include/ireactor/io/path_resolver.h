// NT file names -> places on the host, confined to a drive's root.
//
// An NT name ("\??\C:\dir\file", "\DosDevices\C:\...", "\GLOBAL??\C:\...", or "dir\file" relative
// to a directory handle) is first parsed into a drive and validated components, then resolved
// beneath that drive's root fd. Every host open goes through openat2(RESOLVE_IN_ROOT |
// RESOLVE_NO_MAGICLINKS), so "..", absolute symlinks and symlinks pointing upwards all stay
// inside the drive. Lookups are case-insensitive on a case-sensitive host: each component is
// tried as given, and on a miss the directory is scanned for a name equal under Windows'
// upper-case rules.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ireactor/nt/status.h"
#include "ireactor/windows_namespace.h"

namespace ireactor::io {

// openat2(root_fd, path, flags | O_CLOEXEC, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS). An empty
// path names the root itself. Returns the fd, or -errno.
int open_in_root(int root_fd, const std::string& path, int flags, unsigned mode = 0);

// What an NT name designates before the host is consulted.
struct ParsedName {
  // Console*: the console device (\Device\ConDrv\...): its input buffer, its screen buffer, or
  // the console itself.
  enum class Kind : uint8_t { Drive, NullDevice, ConsoleInput, ConsoleOutput, Console };
  Kind kind = Kind::Drive;
  int drive = -1;                               // drive index, 0 = A:
  std::vector<std::u16string_view> components;  // views into the parsed name, all valid
  std::string host_path;                        // the components in UTF-8, joined by '/'
  bool trailing_separator = false;              // the name ended in '\': a directory is meant
};

// Parses an absolute NT name. Unmapped drives and unknown object-manager names give
// STATUS_OBJECT_PATH_NOT_FOUND (more follows) or STATUS_OBJECT_NAME_NOT_FOUND (last component);
// names not starting with '\' give STATUS_OBJECT_PATH_SYNTAX_BAD; bad components (empty, ".",
// "..", wildcards, ':', control characters) give STATUS_OBJECT_NAME_INVALID.
nt::NTSTATUS parse_absolute_name(std::u16string_view name, const WindowsNamespace& ns,
                                 ParsedName& out);
// Parses a name relative to a directory handle ("" designates the directory itself).
nt::NTSTATUS parse_relative_name(std::u16string_view name, ParsedName& out);
// Parses a name relative to a console handle ("Connection", "Input", "Output"...).
nt::NTSTATUS parse_console_relative_name(std::u16string_view name, ParsedName& out);

// A place beneath a drive root as stored on the host.
struct HostPath {
  std::string path;                // relative to the drive root, '/'-joined; empty = the root
  std::u16string nt_name = u"\\";  // "\dir\file" with the host's spelling; "\" = the root
  bool exists = true;              // false: the parent exists but the last component does not

  bool is_root() const { return path.empty(); }
  std::string parent() const;        // path of the containing directory ("" for top-level names)
  std::string leaf() const;          // last component of path
  std::u16string nt_parent() const;  // nt_name of the containing directory
  void append(std::string_view host_name, std::u16string_view nt_component);
};

// Walks `components` below `base` (an existing directory beneath root_fd), matching each one
// case-insensitively; a missing last component leaves out.exists false with the name as given.
// A missing or non-directory intermediate component gives STATUS_OBJECT_PATH_NOT_FOUND.
nt::NTSTATUS resolve_host_path(int root_fd, const HostPath& base,
                               std::span<const std::u16string_view> components, HostPath& out);

// Looks for `name` in the directory dir_fd (any fd of it) case-insensitively; on success sets
// host_name to the entry's name as stored (an exact match wins over other spellings).
bool find_entry_nocase(int dir_fd, std::u16string_view name, std::string& host_name);

}  // namespace ireactor::io
