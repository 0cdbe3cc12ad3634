#include "atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

namespace ireactor::policy {

namespace {

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

void write_all(int fd, const std::string& text, const std::string& what) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("write " + what);
    done += static_cast<size_t>(n);
  }
}

}  // namespace

void write_file_atomically(const std::filesystem::path& file, const std::string& text) {
  // A dot name that does not end in .yaml: directory watchers that take *.yaml skip it.
  const std::filesystem::path dir = file.parent_path().empty() ? "." : file.parent_path();
  std::string pattern = (dir / ("." + file.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) throw_errno("create a temporary file in " + dir.string());
  const std::filesystem::path temp = pattern;
  try {
    if (::fchmod(fd, 0644) != 0) throw_errno("chmod " + temp.string());  // mkostemp made 0600
    write_all(fd, text, temp.string());
    if (::fsync(fd) != 0) throw_errno("fsync " + temp.string());
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(temp.c_str(), file.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw std::system_error(err, std::generic_category(), "rename to " + file.string());
  }
  // The rename itself must reach the disk too.
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace ireactor::policy
