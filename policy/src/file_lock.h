// An exclusive flock(2) on a lock file, held for the object's lifetime: serialises processes
// that read-modify-write the same state file.
#pragma once

#include <filesystem>

namespace ireactor::policy {

class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& lock_file);  // throws std::system_error
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace ireactor::policy
