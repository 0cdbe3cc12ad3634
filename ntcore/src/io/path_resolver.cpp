#include "ireactor/io/path_resolver.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "io/host_dir.h"
#include "io/name_rules.h"

namespace ireactor::io {

namespace {

int openat2_in_root(int root_fd, const char* path, int flags, unsigned mode) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  long fd;
  do {
    fd = syscall(SYS_openat2, root_fd, path, &how, sizeof how);
    // openat2 asks to retry when a concurrent rename raced the in-root walk.
  } while (fd < 0 && errno == EAGAIN);
  return fd < 0 ? -errno : static_cast<int>(fd);
}

// Linux refuses paths of PATH_MAX bytes; Windows names go to 32767 characters.
constexpr size_t kPathChunk = 3072;

}  // namespace

int open_in_root(int root_fd, const std::string& path, int flags, unsigned mode) {
  if (path.size() < kPathChunk)
    return openat2_in_root(root_fd, path.empty() ? "." : path.c_str(), flags, mode);
  // A long path is walked in pieces, each resolved beneath the directory the previous piece
  // reached (itself beneath the root): still confined, only symlinks deep down that point
  // upwards stop at the piece's directory instead of the drive root.
  size_t cut = path.rfind('/', kPathChunk);
  if (cut == std::string::npos || cut == 0) return -ENAMETOOLONG;
  int dir = openat2_in_root(root_fd, path.substr(0, cut).c_str(), O_PATH | O_DIRECTORY, 0);
  if (dir < 0) return dir;
  int fd = open_in_root(dir, path.substr(cut + 1), flags, mode);
  close(dir);
  return fd;
}

namespace {

constexpr std::u16string_view kObjectDirectories[] = {u"??", u"DosDevices", u"GLOBAL??"};

// Splits "a\b\c" into its first component and the rest; has_rest tells whether a separator
// followed (so "a\" has an empty rest, "a" has none).
struct Split {
  std::u16string_view first;
  std::u16string_view rest;
  bool has_rest = false;
};
Split split_first(std::u16string_view s) {
  size_t sep = s.find(u'\\');
  if (sep == std::u16string_view::npos) return {s, {}, false};
  return {s.substr(0, sep), s.substr(sep + 1), true};
}

// An object that is missing: the status depends on whether more of the name follows it.
nt::NTSTATUS missing(bool more) {
  return more ? nt::STATUS_OBJECT_PATH_NOT_FOUND : nt::STATUS_OBJECT_NAME_NOT_FOUND;
}

// File-system part of a name: "dir\file", "dir\" (trailing separator) or "".
nt::NTSTATUS parse_components(std::u16string_view s, ParsedName& out) {
  out.components.clear();
  out.host_path.clear();
  out.trailing_separator = false;
  std::string utf8;
  while (!s.empty()) {
    Split sp = split_first(s);
    if (sp.has_rest && sp.rest.empty() && !sp.first.empty()) out.trailing_separator = true;
    if (nt::NTSTATUS st = check_component(sp.first); !nt::nt_success(st)) return st;
    if (!utf8_from_utf16(sp.first, utf8)) return nt::STATUS_OBJECT_NAME_INVALID;
    if (!out.host_path.empty()) out.host_path += '/';
    out.host_path += utf8;
    out.components.push_back(sp.first);
    s = sp.rest;
  }
  return nt::STATUS_SUCCESS;
}

int drive_index(std::u16string_view dev) {
  if (dev.size() != 2 || dev[1] != u':') return -1;
  char16_t c = upcase(dev[0]);
  return (c >= u'A' && c <= u'Z') ? c - u'A' : -1;
}

bool drive_mapped(const WindowsNamespace& ns, int index) {
  return index >= 0 && index < static_cast<int>(ns.drives.size()) && ns.drives[index].root_fd >= 0;
}

// What follows "\??\": a drive ("C:" or "C:\..."), the null device, or nothing we know.
nt::NTSTATUS parse_dos_device(std::u16string_view s, const WindowsNamespace& ns, ParsedName& out) {
  Split sp = split_first(s);
  if (sp.first.empty()) return nt::STATUS_OBJECT_NAME_INVALID;
  int drive = drive_index(sp.first);
  if (drive >= 0) {
    if (!drive_mapped(ns, drive)) return missing(sp.has_rest);
    out.kind = ParsedName::Kind::Drive;
    out.drive = drive;
    // "\??\C:" alone opens the volume; we give the root directory for it.
    return parse_components(sp.rest, out);
  }
  if (equal_nocase(sp.first, u"NUL") && !sp.has_rest) {
    out.kind = ParsedName::Kind::NullDevice;
    return nt::STATUS_SUCCESS;
  }
  // The console's buffers, as \??\CONIN$ and \??\CONOUT$ name them.
  if (equal_nocase(sp.first, u"CONIN$") && !sp.has_rest) {
    out.kind = ParsedName::Kind::ConsoleInput;
    return nt::STATUS_SUCCESS;
  }
  if (equal_nocase(sp.first, u"CONOUT$") && !sp.has_rest) {
    out.kind = ParsedName::Kind::ConsoleOutput;
    return nt::STATUS_SUCCESS;
  }
  // UNC (no network provider here), COM1, AUX... are links this namespace does not have.
  return missing(sp.has_rest);
}

// A name of the console device: below \Device\ConDrv, or relative to a console handle.
nt::NTSTATUS parse_console_name(std::u16string_view s, ParsedName& out) {
  if (equal_nocase(s, u"Input") || equal_nocase(s, u"CurrentIn")) {
    out.kind = ParsedName::Kind::ConsoleInput;
  } else if (equal_nocase(s, u"Output") || equal_nocase(s, u"CurrentOut")) {
    out.kind = ParsedName::Kind::ConsoleOutput;
  } else if (equal_nocase(s, u"Connection") || equal_nocase(s, u"Reference")) {
    out.kind = ParsedName::Kind::Console;
  } else {
    // Server and ScreenBuffer (a console of one's own, a second screen buffer) are not offered.
    return nt::STATUS_OBJECT_NAME_NOT_FOUND;
  }
  return nt::STATUS_SUCCESS;
}

// What follows "\Device\": the null device, the console device, or "HarddiskVolumeN" for drive N-1 (the device name
// the rest of ntcore reports for drive paths).
nt::NTSTATUS parse_device(std::u16string_view s, const WindowsNamespace& ns, ParsedName& out) {
  Split sp = split_first(s);
  if (sp.first.empty()) return nt::STATUS_OBJECT_NAME_INVALID;
  if (equal_nocase(sp.first, u"Null")) {
    if (sp.has_rest) return nt::STATUS_OBJECT_PATH_NOT_FOUND;
    out.kind = ParsedName::Kind::NullDevice;
    return nt::STATUS_SUCCESS;
  }
  if (equal_nocase(sp.first, u"ConDrv")) {
    if (!sp.has_rest) return nt::STATUS_OBJECT_TYPE_MISMATCH;  // a directory of the device
    return parse_console_name(sp.rest, out);
  }
  constexpr std::u16string_view kVolume = u"HarddiskVolume";
  if (sp.first.size() > kVolume.size() && sp.first.size() <= kVolume.size() + 2 &&
      equal_nocase(sp.first.substr(0, kVolume.size()), kVolume)) {
    int n = 0;
    for (char16_t c : sp.first.substr(kVolume.size())) {
      if (c < u'0' || c > u'9') return missing(sp.has_rest);
      n = n * 10 + (c - u'0');
    }
    if (n >= 1 && drive_mapped(ns, n - 1)) {
      out.kind = ParsedName::Kind::Drive;
      out.drive = n - 1;
      return parse_components(sp.rest, out);
    }
  }
  return missing(sp.has_rest);
}

}  // namespace

nt::NTSTATUS parse_absolute_name(std::u16string_view name, const WindowsNamespace& ns,
                                 ParsedName& out) {
  out = ParsedName{};
  if (name.empty() || name[0] != u'\\') return nt::STATUS_OBJECT_PATH_SYNTAX_BAD;
  name.remove_prefix(1);
  // "\" is the object-manager root directory: a directory object, not a file.
  if (name.empty()) return nt::STATUS_OBJECT_TYPE_MISMATCH;
  Split sp = split_first(name);
  if (sp.first.empty()) return nt::STATUS_OBJECT_NAME_INVALID;
  for (std::u16string_view dir : kObjectDirectories) {
    if (!equal_nocase(sp.first, dir)) continue;
    if (!sp.has_rest) return nt::STATUS_OBJECT_TYPE_MISMATCH;
    return parse_dos_device(sp.rest, ns, out);
  }
  if (equal_nocase(sp.first, u"Device")) {
    if (!sp.has_rest) return nt::STATUS_OBJECT_TYPE_MISMATCH;
    return parse_device(sp.rest, ns, out);
  }
  return missing(sp.has_rest);
}

nt::NTSTATUS parse_relative_name(std::u16string_view name, ParsedName& out) {
  out = ParsedName{};
  return parse_components(name, out);
}

nt::NTSTATUS parse_console_relative_name(std::u16string_view name, ParsedName& out) {
  out = ParsedName{};
  return parse_console_name(name, out);
}

std::string HostPath::parent() const {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string HostPath::leaf() const {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::u16string HostPath::nt_parent() const {
  size_t sep = nt_name.rfind(u'\\');
  return sep == 0 || sep == std::u16string::npos ? std::u16string(u"\\") : nt_name.substr(0, sep);
}

void HostPath::append(std::string_view host_name, std::u16string_view nt_component) {
  if (!path.empty()) path += '/';
  path += host_name;
  if (nt_name != u"\\") nt_name += u'\\';
  nt_name += nt_component;
}

bool find_entry_nocase(int dir_fd, std::u16string_view name, std::string& host_name) {
  bool found = false;
  for_each_entry(dir_fd, [&](std::string_view entry) {
    if (entry == "." || entry == "..") return true;
    std::u16string wide = utf16_from_utf8(entry);
    if (!equal_nocase(wide, name)) return true;
    // Several host spellings may match: the exact one wins, then the smallest for determinism.
    if (wide == name) {
      host_name = entry;
      found = true;
      return false;
    }
    if (!found || entry < host_name) host_name = entry;
    found = true;
    return true;
  });
  return found;
}

nt::NTSTATUS resolve_host_path(int root_fd, const HostPath& base,
                               std::span<const std::u16string_view> components, HostPath& out) {
  out = base;
  out.exists = true;
  std::string utf8, host_name;
  for (size_t i = 0; i < components.size(); ++i) {
    bool last = i + 1 == components.size();
    int dir = open_in_root(root_fd, out.path, O_PATH | O_DIRECTORY);
    if (dir < 0) {
      // A component we matched is a file, a dangling link, or vanished meanwhile.
      if (dir == -ENOENT || dir == -ENOTDIR) return nt::STATUS_OBJECT_PATH_NOT_FOUND;
      return nt::status_from_errno(-dir);
    }
    if (!utf8_from_utf16(components[i], utf8)) {
      close(dir);
      return nt::STATUS_OBJECT_NAME_INVALID;
    }
    struct stat st;
    bool found = fstatat(dir, utf8.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (found)
      host_name = utf8;
    else
      found = find_entry_nocase(dir, components[i], host_name);
    close(dir);
    if (!found) {
      if (!last) return nt::STATUS_OBJECT_PATH_NOT_FOUND;
      out.append(utf8, components[i]);  // a new name keeps the spelling it was given
      out.exists = false;
      return nt::STATUS_SUCCESS;
    }
    out.append(host_name, utf16_from_utf8(host_name));
  }
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor::io
