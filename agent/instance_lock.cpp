#include "instance_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

namespace ireactor::agent {

std::optional<InstanceLock> InstanceLock::take(const std::filesystem::path& file,
                                               std::string& holder) {
  std::filesystem::create_directories(file.parent_path());
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    throw std::system_error(errno, std::generic_category(), "cannot open " + file.string());
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {};
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    std::string pid = n > 0 ? std::string(buf, ::strcspn(buf, "\n")) : "";
    holder = pid.empty() ? "another ireactord" : "ireactord pid " + pid;
    ::close(fd);
    return std::nullopt;
  }
  // The pid in the file only names the holder in messages; the flock is what excludes.
  const std::string pid = std::to_string(::getpid()) + "\n";
  [[maybe_unused]] const bool named =
      ::ftruncate(fd, 0) == 0 && ::pwrite(fd, pid.data(), pid.size(), 0) > 0;
  return InstanceLock(fd);
}

InstanceLock::~InstanceLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace ireactor::agent
