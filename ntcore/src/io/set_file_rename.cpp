// FileRenameInformation(Ex): move a file within its drive. The target is a full NT name, a name
// relative to RootDirectory, or a bare name (same directory). Replacing needs ReplaceIfExists
// and fails for directories, open files and read-only files, as on Windows.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <span>

#include "io/file_stat.h"
#include "io/name_rules.h"
#include "io/open_file_table.h"
#include "io/set_file_information.h"
#include "ireactor/process.h"

namespace ireactor::io {

using namespace nt;

namespace {

struct Fd {
  int fd;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

FileId id_of(const struct statx& st) {
  return FileId{makedev(st.stx_dev_major, st.stx_dev_minor), st.stx_ino};
}

// Parses the target name into `target`, with `base` the directory relative names start from.
NTSTATUS parse_target(const FileObject& f, const HostPath& src, HANDLE root_handle,
                      const std::u16string& name, ParsedName& target, HostPath& base, int& drive) {
  if (root_handle) {
    std::shared_ptr<FileObject> root;
    if (NTSTATUS s = current_process().handles.reference<FileObject>(root_handle, 0, root);
        !nt_success(s))
      return s;
    if (!root->is_disk() || !root->directory || name[0] == u'\\') return STATUS_INVALID_PARAMETER;
    if (NTSTATUS s = parse_relative_name(name, target); !nt_success(s)) return s;
    drive = root->drive;
    std::lock_guard lock(open_files().mutex());
    base = root->record->name;
    return STATUS_SUCCESS;
  }
  if (name[0] == u'\\') {
    if (NTSTATUS s = parse_absolute_name(name, current_process().ns, target); !nt_success(s))
      return s;
    if (target.kind != ParsedName::Kind::Drive) return STATUS_NOT_SAME_DEVICE;
    drive = target.drive;
    base = HostPath{};
    return STATUS_SUCCESS;
  }
  // A bare name renames within the file's own directory.
  if (name.find(u'\\') != std::u16string::npos) return STATUS_OBJECT_PATH_SYNTAX_BAD;
  if (NTSTATUS s = parse_relative_name(name, target); !nt_success(s)) return s;
  drive = f.drive;
  base.path = src.parent();
  base.nt_name = src.nt_parent();
  return STATUS_SUCCESS;
}

}  // namespace

NTSTATUS set_rename(FileObject& f, bool ex, const uint8_t* info, ULONG length) {
  FILE_RENAME_INFORMATION r;
  std::memcpy(&r, info, offsetof(FILE_RENAME_INFORMATION, FileName));
  const ULONG room = length - offsetof(FILE_RENAME_INFORMATION, FileName);
  if (r.FileNameLength == 0 || (r.FileNameLength & 1) || r.FileNameLength > room)
    return STATUS_INVALID_PARAMETER;
  const bool replace = ex ? (r.Flags & FILE_RENAME_REPLACE_IF_EXISTS) : r.ReplaceIfExists != 0;
  const bool posix = ex && (r.Flags & FILE_RENAME_POSIX_SEMANTICS);
  const bool ignore_readonly = ex && (r.Flags & FILE_RENAME_IGNORE_READONLY_ATTRIBUTE);
  std::u16string name(r.FileNameLength / sizeof(char16_t), u'\0');
  std::memcpy(name.data(), info + offsetof(FILE_RENAME_INFORMATION, FileName), r.FileNameLength);

  HostPath src;
  {
    std::lock_guard lock(open_files().mutex());
    src = f.record->name;
  }
  if (src.is_root()) return STATUS_ACCESS_DENIED;

  ParsedName target;
  HostPath base;
  int drive = -1;
  if (NTSTATUS s = parse_target(f, src, r.RootDirectory, name, target, base, drive); !nt_success(s))
    return s;
  if (target.components.empty()) return STATUS_OBJECT_NAME_INVALID;
  if (drive != f.drive) return STATUS_NOT_SAME_DEVICE;
  const Drive& d = current_process().ns.drives[drive];
  if (d.read_only) return STATUS_MEDIA_WRITE_PROTECTED;

  // The target's directory must exist; naming a file as that directory is invalid.
  HostPath parent;
  std::span<const std::u16string_view> comps(target.components);
  if (NTSTATUS s = resolve_host_path(d.root_fd, base, comps.first(comps.size() - 1), parent);
      !nt_success(s))
    return s;
  if (!parent.exists) return STATUS_OBJECT_PATH_NOT_FOUND;
  if (!parent.is_root()) {
    struct statx pst;
    Fd p(open_in_root(d.root_fd, parent.path, O_PATH));
    if (p.fd < 0) return STATUS_OBJECT_PATH_NOT_FOUND;
    if (int e = stat_fd(p.fd, pst)) return status_from_errno(e);
    if (!is_directory(pst)) return STATUS_INVALID_PARAMETER;
  }
  HostPath dst;
  if (NTSTATUS s = resolve_host_path(d.root_fd, parent, comps.last(1), dst); !nt_success(s))
    return s;
  // The new entry is spelled as given, whatever spelling a replaced entry had.
  std::string new_leaf;
  utf8_from_utf16(target.components.back(), new_leaf);
  Fd src_dir(open_in_root(d.root_fd, src.parent(), O_PATH | O_DIRECTORY));
  Fd dst_dir(open_in_root(d.root_fd, dst.parent(), O_PATH | O_DIRECTORY));
  if (src_dir.fd < 0) return status_from_errno(-src_dir.fd);
  if (dst_dir.fd < 0)
    return dst_dir.fd == -ENOTDIR || dst_dir.fd == -ENOENT ? STATUS_OBJECT_PATH_NOT_FOUND
                                                           : status_from_errno(-dst_dir.fd);

  std::lock_guard lock(open_files().mutex());
  // Windows refuses to move a directory while anything below it is open.
  if (f.directory && open_files().has_open_below_locked(f.drive, src.path))
    return STATUS_ACCESS_DENIED;
  if (dst.exists) {
    struct statx self, other;
    if (int e = stat_fd(f.fd, self)) return status_from_errno(e);
    std::string old_leaf = dst.leaf();
    if (int e = stat_at(dst_dir.fd, old_leaf.c_str(), other)) return status_from_errno(e);
    bool same = id_of(self) == id_of(other) || dst.path == src.path;
    if (same) {
      if (old_leaf == new_leaf && dst.parent() == src.parent()) return STATUS_SUCCESS;
    } else {
      if (!replace) return STATUS_OBJECT_NAME_COLLISION;
      if (is_directory(other)) return STATUS_ACCESS_DENIED;
      if (!posix && open_files().find_locked(id_of(other))) return STATUS_ACCESS_DENIED;
      if (!(other.stx_mode & S_IWUSR) && !ignore_readonly) return STATUS_ACCESS_DENIED;
      if (unlinkat(dst_dir.fd, old_leaf.c_str(), 0) != 0) return status_from_errno(errno);
    }
  }
  std::string src_leaf = src.leaf();
  if (renameat2(src_dir.fd, src_leaf.c_str(), dst_dir.fd, new_leaf.c_str(), RENAME_NOREPLACE) !=
      0) {
    if (errno == EEXIST) return STATUS_OBJECT_NAME_COLLISION;
    return status_from_errno(errno);
  }
  HostPath moved;
  moved.path = dst.parent();
  moved.nt_name = dst.nt_parent();
  moved.append(new_leaf, target.components.back());
  f.record->name = moved;
  return STATUS_SUCCESS;
}

}  // namespace ireactor::io
