#include "io/open_file_table.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "ireactor/process.h"

namespace ireactor::io {

namespace {

struct Uses {
  bool read, write, del;
  bool any() const { return read || write || del; }
};
Uses uses_of(nt::ACCESS_MASK access) {
  return {(access & (nt::FILE_READ_DATA | nt::FILE_EXECUTE)) != 0,
          (access & (nt::FILE_WRITE_DATA | nt::FILE_APPEND_DATA)) != 0, (access & nt::DELETE) != 0};
}

}  // namespace

bool share_conflict(const ShareCounts& c, nt::ACCESS_MASK access, nt::ULONG share) {
  Uses u = uses_of(access);
  if (!u.any()) return false;
  bool sr = share & nt::FILE_SHARE_READ, sw = share & nt::FILE_SHARE_WRITE,
       sd = share & nt::FILE_SHARE_DELETE;
  return (u.read && c.shared_read < c.open) || (u.write && c.shared_write < c.open) ||
         (u.del && c.shared_delete < c.open) || (c.readers && !sr) || (c.writers && !sw) ||
         (c.deleters && !sd);
}

void share_add(ShareCounts& c, nt::ACCESS_MASK access, nt::ULONG share) {
  Uses u = uses_of(access);
  if (!u.any()) return;
  ++c.open;
  c.readers += u.read;
  c.writers += u.write;
  c.deleters += u.del;
  c.shared_read += (share & nt::FILE_SHARE_READ) != 0;
  c.shared_write += (share & nt::FILE_SHARE_WRITE) != 0;
  c.shared_delete += (share & nt::FILE_SHARE_DELETE) != 0;
}

void share_remove(ShareCounts& c, nt::ACCESS_MASK access, nt::ULONG share) {
  Uses u = uses_of(access);
  if (!u.any()) return;
  --c.open;
  c.readers -= u.read;
  c.writers -= u.write;
  c.deleters -= u.del;
  c.shared_read -= (share & nt::FILE_SHARE_READ) != 0;
  c.shared_write -= (share & nt::FILE_SHARE_WRITE) != 0;
  c.shared_delete -= (share & nt::FILE_SHARE_DELETE) != 0;
}

nt::NTSTATUS OpenFileTable::open(const FileId& id, int drive, bool directory, const HostPath& name,
                                 nt::ACCESS_MASK access, nt::ULONG share,
                                 std::shared_ptr<OpenFileRecord>& out) {
  std::lock_guard lock(mutex_);
  auto it = files_.find(id);
  if (it != files_.end()) {
    OpenFileRecord& r = *it->second;
    if (r.delete_pending || r.deleted) return nt::STATUS_DELETE_PENDING;
    if (share_conflict(r.share, access, share)) return nt::STATUS_SHARING_VIOLATION;
    share_add(r.share, access, share);
    ++r.handles;
    out = it->second;
    return nt::STATUS_SUCCESS;
  }
  auto r = std::make_shared<OpenFileRecord>();
  r->id = id;
  r->drive = drive;
  r->directory = directory;
  r->name = name;
  r->name.exists = true;
  r->handles = 1;
  share_add(r->share, access, share);
  files_.emplace(id, r);
  out = std::move(r);
  return nt::STATUS_SUCCESS;
}

void OpenFileTable::close(FileObject& file) {
  // The record outlives the lock: the other handles' file objects still own it.
  std::shared_ptr<OpenFileRecord> changed;
  {
    std::lock_guard lock(mutex_);
    OpenFileRecord& r = *file.record;
    const bool was_pending = r.delete_pending || r.deleted;
    share_remove(r.share, file.access, file.share);
    // FILE_DELETE_ON_CLOSE takes effect when its handle closes; the file goes with the last one.
    if (file.delete_on_close) r.delete_pending = true;
    const bool last = --r.handles == 0;
    if ((last && r.delete_pending) || file.posix_delete) {
      const Drive& d = current_process().ns.drives[r.drive];
      if (!r.deleted && r.drive >= 0 && d.root_fd >= 0 &&
          remove_host_name(d.root_fd, r.name.path, r.id, r.directory) == 0)
        r.deleted = true;
    }
    if (last) {
      auto it = files_.find(r.id);
      if (it != files_.end() && it->second.get() == &r) files_.erase(it);
      return;
    }
    if (was_pending != (r.delete_pending || r.deleted)) changed = file.record;
  }
  if (changed) delete_state_changed(*changed);
}

void OpenFileTable::delete_state_changed(const OpenFileRecord& record) {
  current_process().handles.republish([&record](const Object& o) {
    return o.type() == ObjectType::File &&
           static_cast<const FileObject&>(o).record.get() == &record;
  });
}

OpenFileRecord* OpenFileTable::find_locked(const FileId& id) {
  auto it = files_.find(id);
  return it == files_.end() ? nullptr : it->second.get();
}

bool OpenFileTable::has_open_below_locked(int drive, const std::string& path) const {
  for (const auto& [id, r] : files_) {
    if (r->drive != drive || r->deleted) continue;
    const std::string& p = r->name.path;
    if (path.empty() ? !p.empty()
                     : (p.size() > path.size() && p.compare(0, path.size(), path) == 0 &&
                        p[path.size()] == '/'))
      return true;
  }
  return false;
}

OpenFileTable& open_files() {
  static auto* table = new OpenFileTable;  // never destroyed: handles may close at exit
  return *table;
}

int remove_host_name(int root_fd, const std::string& path, const FileId& id, bool directory) {
  if (path.empty()) return EBUSY;  // a drive root is never removed
  size_t slash = path.rfind('/');
  std::string parent = slash == std::string::npos ? std::string() : path.substr(0, slash);
  std::string leaf = slash == std::string::npos ? path : path.substr(slash + 1);
  int dir = open_in_root(root_fd, parent, O_PATH | O_DIRECTORY);
  if (dir < 0) return -dir;
  struct stat st;
  int err = 0;
  if (fstatat(dir, leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    err = errno;
  } else if (S_ISLNK(st.st_mode)) {
    // The file was reached through a host symlink: the name that goes is the link's.
    if (unlinkat(dir, leaf.c_str(), 0) != 0) err = errno;
  } else if (st.st_dev == id.dev && st.st_ino == id.ino) {
    if (unlinkat(dir, leaf.c_str(), directory ? AT_REMOVEDIR : 0) != 0) err = errno;
  } else {
    err = ESTALE;  // the name now belongs to another file: leave it alone
  }
  close(dir);
  return err;
}

}  // namespace ireactor::io
