// File objects: what an NtCreateFile/NtOpenFile handle refers to. A file object owns one Linux
// fd (a file or directory beneath a drive root, the null device, or an inherited descriptor such
// as stdin/stdout) and keeps the per-handle NT state: granted access, create options, the file
// position of synchronous handles, and the directory enumeration of NtQueryDirectoryFile.
// State shared by every handle to the same host file (st_dev, st_ino) - share access, delete
// pending, the current name - lives in an OpenFileRecord (io/open_file_table.h).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "ireactor/io/file_information.h"
#include "ireactor/io/position_lock.h"
#include "ireactor/object.h"

namespace ireactor {

namespace io {
struct OpenFileRecord;
struct DirectoryScan;
}  // namespace io

// What a console handle is (console/console.h): the console's input buffer, its screen buffer,
// or the console itself (ProcessParameters.ConsoleHandle and its connection).
enum class ConsoleRole : uint8_t { None, Input, Output, Reference };

enum class FileKind : uint8_t {
  Disk,    // a file or directory on a drive
  Device,  // a host descriptor: inherited stdio, pipe, tty, the null device
};

class FileObject final : public Object {
 public:
  static constexpr ObjectType kType = ObjectType::File;

  FileObject(FileKind kind, int fd);
  // Closes the fd; the last handle to a delete-pending file deletes it first.
  ~FileObject() override;

  // A file object is signaled when its I/O completes; all of ours complete before the service
  // returns, so waiting on a file handle never blocks.
  bool waitable() const override { return true; }
  bool signaled() const override { return true; }

  bool synchronous() const { return (options & nt::FILE_SYNCHRONOUS_IO) != 0; }
  bool is_disk() const { return kind == FileKind::Disk; }
  // The NT name below the drive root ("\dir\file"), as it is now (renames included).
  std::u16string nt_name() const;
  // The host path relative to the drive root ("dir/file"; "" for the root).
  std::string host_path() const;

  const FileKind kind;
  const int fd;
  bool directory = false;
  nt::ACCESS_MASK access = 0;                   // granted access (generic rights mapped)
  nt::ULONG options = 0;                        // CreateOptions
  nt::ULONG share = 0;                          // ShareAccess it was opened with
  int drive = -1;                               // drive index for Disk files
  unsigned device_type = nt::FILE_DEVICE_DISK;  // FILE_FS_DEVICE_INFORMATION.DeviceType
  ConsoleRole console_role = ConsoleRole::None;
  bool delete_on_close = false;                // guarded by the open-file table lock
  bool posix_delete = false;                   // unlink when this handle closes (guarded likewise)
  std::shared_ptr<io::OpenFileRecord> record;  // Disk files only

  // The current byte offset of synchronous handles (FilePositionInformation), read and moved
  // with position_mutex held. It lives here, or - for Disk files opened while the kmod entry is
  // on - in the Linux fd's own offset, so that the kernel's hot path (which reads and writes
  // through the fd) and the runtime agree on it.
  PositionLock position_mutex;
  int64_t position() const { return position_in_fd ? fd_position() : position_; }
  void set_position(int64_t value) {
    if (position_in_fd)
      move_fd_position(value);
    else
      position_ = value;
  }
  const bool position_in_fd;

  // From now on, Disk files keep their position in the fd (the kmod entry turns this on before
  // any file is opened).
  static void keep_positions_in_fd(bool on);

  // NtQueryDirectoryFile state of directory handles.
  std::mutex scan_mutex;
  std::unique_ptr<io::DirectoryScan> scan;

 private:
  // The fd's own offset (lseek), for position_in_fd.
  int64_t fd_position() const;
  void move_fd_position(int64_t value) const;

  int64_t position_ = 0;
};

}  // namespace ireactor
