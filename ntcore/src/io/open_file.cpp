#include "io/open_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>

#include "console/console.h"
#include "io/file_stat.h"
#include "io/host_dir.h"
#include "io/open_file_table.h"
#include "ireactor/process.h"

namespace ireactor::io {

using namespace nt;

namespace {

// Rights that change a file or its directory entry: none of them on a read-only drive.
constexpr ACCESS_MASK kWriteRights = FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA |
                                     FILE_WRITE_ATTRIBUTES | FILE_DELETE_CHILD | DELETE |
                                     WRITE_DAC | WRITE_OWNER;
constexpr ACCESS_MASK kDataWrite = FILE_WRITE_DATA | FILE_APPEND_DATA;
constexpr ACCESS_MASK kDataRead = FILE_READ_DATA | FILE_EXECUTE;

bool overwrites(ULONG disposition) {
  return disposition == FILE_SUPERSEDE || disposition == FILE_OVERWRITE ||
         disposition == FILE_OVERWRITE_IF;
}

struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
  int release() {
    int f = fd;
    fd = -1;
    return f;
  }
};

// Opens an existing host file for a handle: a directory opened with write rights is opened for
// reading (Linux has no writable directory fds), and a handle that needs no data access falls
// back to O_PATH when the host refuses to open the file for reading.
int open_existing(int root_fd, const std::string& path, int flags) {
  int fd = open_in_root(root_fd, path, flags);
  if (fd == -EISDIR) fd = open_in_root(root_fd, path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
  return fd;
}

std::u16string join_nt(const std::u16string& base, const std::vector<std::u16string_view>& comps) {
  std::u16string out = base;
  for (std::u16string_view c : comps) {
    if (out != u"\\") out += u'\\';
    out += c;
  }
  return out;
}

// A regular file or directory needs no O_NONBLOCK; it was only there so that opening a FIFO or
// a device found in a drive cannot hang the caller.
void drop_nonblock(int fd, const struct statx& st) {
  if (S_ISREG(st.stx_mode) || S_ISDIR(st.stx_mode)) return;
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
}

// errno of a host open or create. A component too long for the host (255 bytes of UTF-8, which
// 128 non-ASCII characters can exceed) is a name this volume cannot hold.
NTSTATUS host_status(int err) {
  return err == ENAMETOOLONG ? STATUS_OBJECT_NAME_INVALID : status_from_errno(err);
}

NTSTATUS open_null_device(const OpenParams& p, OpenOutcome& out) {
  Fd fd(open("/dev/null", O_RDWR | O_CLOEXEC));
  if (fd.fd < 0) return status_from_errno(errno);
  auto f = std::make_shared<FileObject>(FileKind::Device, fd.release());
  f->access = map_file_access(p.desired);
  f->options = p.options;
  f->share = p.share;
  f->device_type = FILE_DEVICE_NULL;
  out.file = std::move(f);
  out.information = FILE_OPENED;
  return STATUS_SUCCESS;
}

// An empty name relative to a device handle (stdin, a pipe...) opens the same device again.
NTSTATUS reopen_device(const FileObject& root, const OpenParams& p, OpenOutcome& out) {
  Fd fd(fcntl(root.fd, F_DUPFD_CLOEXEC, 0));
  if (fd.fd < 0) return status_from_errno(errno);
  auto f = std::make_shared<FileObject>(FileKind::Device, fd.release());
  f->access = map_file_access(p.desired);
  f->options = p.options;
  f->share = p.share;
  f->device_type = root.device_type;
  f->console_role = root.console_role;
  out.file = std::move(f);
  out.information = FILE_OPENED;
  return STATUS_SUCCESS;
}

NTSTATUS open_console(ParsedName::Kind kind, const OpenParams& p, OpenOutcome& out) {
  const ConsoleRole role = kind == ParsedName::Kind::ConsoleInput    ? ConsoleRole::Input
                           : kind == ParsedName::Kind::ConsoleOutput ? ConsoleRole::Output
                                                                     : ConsoleRole::Reference;
  std::shared_ptr<FileObject> f;
  if (NTSTATUS s = console::open(role, f); !nt_success(s)) return s;
  f->access = map_file_access(p.desired);
  f->options = p.options;
  f->share = p.share;
  out.file = std::move(f);
  out.information = FILE_OPENED;
  return STATUS_SUCCESS;
}

}  // namespace

ACCESS_MASK map_file_access(ACCESS_MASK desired) {
  ACCESS_MASK a = desired & FILE_ALL_ACCESS;
  if (desired & GENERIC_READ) a |= FILE_GENERIC_READ;
  if (desired & GENERIC_WRITE) a |= FILE_GENERIC_WRITE;
  if (desired & GENERIC_EXECUTE) a |= FILE_GENERIC_EXECUTE;
  if (desired & (GENERIC_ALL | MAXIMUM_ALLOWED)) a |= FILE_ALL_ACCESS;
  return a;
}

NTSTATUS check_create_parameters(const OpenParams& p) {
  ULONG o = p.options;
  // The checks IoCreateFile makes before the name is even looked at.
  if ((p.attributes & ~FILE_ATTRIBUTE_VALID_FLAGS) || (p.share & ~FILE_SHARE_VALID_FLAGS) ||
      p.disposition > FILE_MAXIMUM_DISPOSITION || (o & ~FILE_VALID_OPTION_FLAGS))
    return STATUS_INVALID_PARAMETER;
  if ((o & FILE_SYNCHRONOUS_IO) && !(p.desired & SYNCHRONIZE)) return STATUS_INVALID_PARAMETER;
  if ((o & FILE_SYNCHRONOUS_IO) == FILE_SYNCHRONOUS_IO) return STATUS_INVALID_PARAMETER;
  if ((o & FILE_DELETE_ON_CLOSE) && !(p.desired & DELETE)) return STATUS_INVALID_PARAMETER;
  if ((o & FILE_DIRECTORY_FILE) && (o & FILE_NON_DIRECTORY_FILE)) return STATUS_INVALID_PARAMETER;
  if ((o & FILE_DIRECTORY_FILE) && p.disposition != FILE_CREATE && p.disposition != FILE_OPEN &&
      p.disposition != FILE_OPEN_IF)
    return STATUS_INVALID_PARAMETER;
  if ((o & FILE_COMPLETE_IF_OPLOCKED) && (o & FILE_RESERVE_OPFILTER))
    return STATUS_INVALID_PARAMETER;
  if ((o & FILE_NO_INTERMEDIATE_BUFFERING) && (p.desired & FILE_APPEND_DATA))
    return STATUS_INVALID_PARAMETER;
  return STATUS_SUCCESS;
}

NTSTATUS capture_open_target(UserPtr<OBJECT_ATTRIBUTES> oa_ptr, OpenTarget& out) {
  // No OBJECT_ATTRIBUTES at all is a parameter error, checked before anything is read.
  if (oa_ptr.null()) return STATUS_INVALID_PARAMETER;
  OBJECT_ATTRIBUTES oa;
  if (!oa_ptr.read(oa)) return STATUS_ACCESS_VIOLATION;
  if (oa.Length != sizeof(OBJECT_ATTRIBUTES) || (oa.Attributes & ~OBJ_VALID_ATTRIBUTES))
    return STATUS_INVALID_PARAMETER;
  // No ObjectName is an empty name: a syntax error alone, a reopen relative to RootDirectory.
  if (oa.ObjectName) {
    if (NTSTATUS s = read_user_unicode_string(UserPtr<UNICODE_STRING>(oa.ObjectName), out.name);
        !nt_success(s))
      return s;
  }
  out.captured = true;
  out.attributes = oa.Attributes;
  if (!oa.RootDirectory) return parse_absolute_name(out.name, current_process().ns, out.parsed);

  if (NTSTATUS s = current_process().handles.reference<FileObject>(oa.RootDirectory, 0, out.root);
      !nt_success(s))
    return s;
  // A name relative to a handle is relative: a leading separator is refused by the file
  // system, and only an empty name (reopen) is meaningful relative to a non-directory.
  if (!out.name.empty() && out.root->console_role != ConsoleRole::None)
    return parse_console_relative_name(out.name, out.parsed);
  if (!out.name.empty() && (out.name[0] == u'\\' || !out.root->directory))
    return STATUS_INVALID_PARAMETER;
  if (NTSTATUS s = parse_relative_name(out.name, out.parsed); !nt_success(s)) return s;
  if (out.root->is_disk()) {
    out.parsed.drive = out.root->drive;
    std::lock_guard lock(open_files().mutex());
    out.base = out.root->record->name;
    out.base.exists = true;
  }
  return STATUS_SUCCESS;
}

bool directory_has_entries(int dir_fd) {
  bool any = false;
  for_each_entry(dir_fd, [&](std::string_view e) {
    if (e == "." || e == "..") return true;
    any = true;
    return false;
  });
  return any;
}

NTSTATUS open_file(const OpenTarget& t, const OpenParams& p, OpenOutcome& out) {
  out = OpenOutcome{};
  if (t.parsed.kind == ParsedName::Kind::NullDevice) return open_null_device(p, out);
  if (t.parsed.kind != ParsedName::Kind::Drive) return open_console(t.parsed.kind, p, out);
  if (t.root && !t.root->is_disk()) return reopen_device(*t.root, p, out);

  const Drive& drive = current_process().ns.drives[t.parsed.drive];
  if (drive.root_fd < 0) return STATUS_OBJECT_PATH_NOT_FOUND;
  const bool ro_drive = drive.read_only;
  const bool max_allowed = p.desired & MAXIMUM_ALLOWED;
  const bool overwrite = overwrites(p.disposition);
  const bool delete_on_close = p.options & FILE_DELETE_ON_CLOSE;
  ACCESS_MASK granted = map_file_access(p.desired);
  if (max_allowed && ro_drive) granted &= ~kWriteRights;

  const bool want_read = granted & kDataRead;
  const bool want_write = ((granted & kDataWrite) || overwrite) && !ro_drive;
  int flags = (want_write ? (want_read ? O_RDWR : O_WRONLY) : O_RDONLY) | O_NOCTTY | O_NONBLOCK;
  if (p.options & FILE_DIRECTORY_FILE) flags = O_RDONLY | O_NOCTTY | O_NONBLOCK;

  const auto& comps = t.parsed.components;
  HostPath where;
  Fd fd;
  // Fast path: the name exactly as given exists on the host (one openat2, no directory scan).
  if (p.disposition != FILE_CREATE && !comps.empty()) {
    where.path = t.base.path.empty() ? t.parsed.host_path : t.base.path + '/' + t.parsed.host_path;
    fd.fd = open_existing(drive.root_fd, where.path, flags);
    if (fd.fd >= 0) {
      where.nt_name = join_nt(t.base.nt_name, comps);
      where.exists = true;
    }
  }
  if (fd.fd < 0) {
    if (NTSTATUS s = resolve_host_path(drive.root_fd, t.base, comps, where); !nt_success(s))
      return s;
    if (where.exists && p.disposition == FILE_CREATE) {
      out.information = FILE_EXISTS;
      return STATUS_OBJECT_NAME_COLLISION;
    }
    if (where.exists) {
      int r = open_existing(drive.root_fd, where.path, flags);
      if (r == -EACCES && !want_read && !want_write)
        r = open_in_root(drive.root_fd, where.path, O_PATH);
      if (r < 0) {
        // The name exists but leads nowhere (a dangling host symlink).
        if (r == -ENOENT) out.information = FILE_DOES_NOT_EXIST;
        return host_status(-r);
      }
      fd.fd = r;
    }
  }

  struct statx st;
  std::shared_ptr<OpenFileRecord> record;
  ULONG_PTR information;
  bool dir;
  if (where.exists) {
    if (int e = stat_fd(fd.fd, st)) return status_from_errno(e);
    dir = is_directory(st);
    if (p.disposition == FILE_CREATE) {
      out.information = FILE_EXISTS;
      return STATUS_OBJECT_NAME_COLLISION;
    }
    if (t.parsed.trailing_separator && !dir) return STATUS_OBJECT_NAME_INVALID;
    if ((p.options & FILE_NON_DIRECTORY_FILE) && dir) return STATUS_FILE_IS_A_DIRECTORY;
    if ((p.options & FILE_DIRECTORY_FILE) && !dir) return STATUS_NOT_A_DIRECTORY;
    if (dir && overwrite) {
      out.information = FILE_EXISTS;
      return STATUS_OBJECT_NAME_COLLISION;
    }
    if (ro_drive && ((granted & kWriteRights) || overwrite || delete_on_close))
      return STATUS_MEDIA_WRITE_PROTECTED;
    if (!dir && !(st.stx_mode & S_IWUSR)) {  // FILE_ATTRIBUTE_READONLY
      if (max_allowed) granted &= ~kDataWrite;
      if ((granted & kDataWrite) || overwrite) return STATUS_ACCESS_DENIED;
      if (delete_on_close) return STATUS_CANNOT_DELETE;
    }
    if (delete_on_close && where.is_root()) return STATUS_CANNOT_DELETE;
    information = p.disposition == FILE_SUPERSEDE ? FILE_SUPERSEDED
                  : overwrite                     ? FILE_OVERWRITTEN
                                                  : FILE_OPENED;
  } else {
    if (p.disposition == FILE_OPEN || p.disposition == FILE_OVERWRITE) {
      out.information = FILE_DOES_NOT_EXIST;
      return STATUS_OBJECT_NAME_NOT_FOUND;
    }
    if (t.parsed.trailing_separator && !(p.options & FILE_DIRECTORY_FILE))
      return STATUS_OBJECT_NAME_INVALID;
    if (ro_drive) return STATUS_MEDIA_WRITE_PROTECTED;
    Fd parent(open_in_root(drive.root_fd, where.parent(), O_PATH | O_DIRECTORY));
    if (parent.fd < 0)
      return parent.fd == -ENOENT || parent.fd == -ENOTDIR ? STATUS_OBJECT_PATH_NOT_FOUND
                                                           : host_status(-parent.fd);
    std::string leaf = where.leaf();
    dir = p.options & FILE_DIRECTORY_FILE;
    if (dir) {
      if (mkdirat(parent.fd, leaf.c_str(), 0777) != 0)
        return errno == EEXIST ? STATUS_OBJECT_NAME_COLLISION : host_status(errno);
      fd.fd = openat(parent.fd, leaf.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    } else {
      // O_EXCL on a single component of a confined directory: never follows a link.
      mode_t mode = (p.attributes & FILE_ATTRIBUTE_READONLY) ? 0444 : 0666;
      fd.fd = openat(parent.fd, leaf.c_str(),
                     (flags & ~O_NONBLOCK) | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    }
    if (fd.fd < 0) return errno == EEXIST ? STATUS_OBJECT_NAME_COLLISION : host_status(errno);
    if (int e = stat_fd(fd.fd, st)) return status_from_errno(e);
    where.exists = true;
    information = FILE_CREATED;
  }

  FileId id{makedev(st.stx_dev_major, st.stx_dev_minor), st.stx_ino};
  if (NTSTATUS s = open_files().open(id, t.parsed.drive, dir, where, granted, p.share, record);
      !nt_success(s))
    return s;
  drop_nonblock(fd.fd, st);
  auto f = std::make_shared<FileObject>(FileKind::Disk, fd.release());
  f->directory = dir;
  f->access = granted;
  f->options = p.options;
  f->share = p.share;
  f->drive = t.parsed.drive;
  f->record = std::move(record);
  if (delete_on_close && dir && directory_has_entries(f->fd)) return STATUS_DIRECTORY_NOT_EMPTY;
  if (information == FILE_SUPERSEDED || information == FILE_OVERWRITTEN) {
    if (ftruncate(f->fd, 0) != 0) return status_from_errno(errno);
    if (p.attributes & FILE_ATTRIBUTE_READONLY) fchmod(f->fd, st.stx_mode & 07555);
  }
  {
    std::lock_guard lock(open_files().mutex());
    f->delete_on_close = delete_on_close;
  }
  out.file = std::move(f);
  out.information = information;
  return STATUS_SUCCESS;
}

}  // namespace ireactor::io
