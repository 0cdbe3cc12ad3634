// The process-wide table of open host files, keyed by (st_dev, st_ino): share access across
// handles (IoCheckShareAccess rules), delete-pending state, and each file's current name, which
// the last close of a delete-pending file uses to remove it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "ireactor/io/file_object.h"
#include "ireactor/io/path_resolver.h"
#include "ireactor/nt/status.h"

namespace ireactor::io {

struct FileId {
  dev_t dev = 0;
  ino_t ino = 0;
  bool operator==(const FileId&) const = default;
};

// How the open handles of one file use it and let others use it. Only handles asking for
// read, write or delete access take part, as on Windows.
struct ShareCounts {
  uint32_t open = 0;
  uint32_t readers = 0, writers = 0, deleters = 0;
  uint32_t shared_read = 0, shared_write = 0, shared_delete = 0;
};
// Whether a new open with `access` / `share` conflicts with the handles already counted.
bool share_conflict(const ShareCounts& c, nt::ACCESS_MASK access, nt::ULONG share);
void share_add(ShareCounts& c, nt::ACCESS_MASK access, nt::ULONG share);
void share_remove(ShareCounts& c, nt::ACCESS_MASK access, nt::ULONG share);

struct OpenFileRecord {
  FileId id;
  int drive = -1;
  bool directory = false;
  HostPath name;                // current name (renames update it)
  bool delete_pending = false;  // FileDispositionInformation or a closed FILE_DELETE_ON_CLOSE
  bool deleted = false;         // already unlinked (POSIX-semantics delete)
  uint32_t handles = 0;
  ShareCounts share;
};

class OpenFileTable {
 public:
  std::mutex& mutex() { return mutex_; }

  // Registers one more handle to `id`: STATUS_DELETE_PENDING when the file is being deleted,
  // STATUS_SHARING_VIOLATION when its open handles do not share what `access` needs or use
  // what `share` withholds. `name` seeds the record of a file not open yet.
  nt::NTSTATUS open(const FileId& id, int drive, bool directory, const HostPath& name,
                    nt::ACCESS_MASK access, nt::ULONG share, std::shared_ptr<OpenFileRecord>& out);
  // Unregisters a handle (from ~FileObject). The last handle of a delete-pending file removes
  // the file from its directory.
  void close(FileObject& file);
  // Tells the handle table's observer that the delete state of `record` changed (the kmod
  // entry's mirror carries it for FileStandardInformation). Without mutex() held.
  static void delete_state_changed(const OpenFileRecord& record);

  // With mutex() held: the record of an open file, or null.
  OpenFileRecord* find_locked(const FileId& id);
  // With mutex() held: whether an open file lies strictly below directory `path` on `drive`.
  bool has_open_below_locked(int drive, const std::string& path) const;

 private:
  struct Hash {
    size_t operator()(const FileId& id) const {
      return std::hash<uint64_t>()(static_cast<uint64_t>(id.ino) * 0x9E3779B97F4A7C15ull ^
                                   static_cast<uint64_t>(id.dev));
    }
  };
  std::mutex mutex_;
  std::unordered_map<FileId, std::shared_ptr<OpenFileRecord>, Hash> files_;
};

OpenFileTable& open_files();

// Removes `name` from its directory beneath root_fd if it still is the file `id` (or a symlink
// standing for it). Used for the delayed delete of delete-pending files.
int remove_host_name(int root_fd, const std::string& path, const FileId& id, bool directory);

}  // namespace ireactor::io
