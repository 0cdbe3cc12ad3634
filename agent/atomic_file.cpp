#include "atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

namespace ireactor::agent {

namespace {

[[noreturn]] void fail_errno(int err, const std::string& what) {
  throw std::system_error(err, std::generic_category(), what);
}

}  // namespace

std::optional<std::string> read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file_atomically(const std::filesystem::path& file, const std::string& text,
                           unsigned mode) {
  const std::filesystem::path tmp = file.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) fail_errno(errno, "cannot create " + tmp.string());
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      fail_errno(err, "cannot write " + tmp.string());
    }
    done += static_cast<size_t>(n);
  }
  // fsync before rename: after a crash the name holds the old content or the new, not zeros.
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    fail_errno(err, "cannot write " + tmp.string());
  }
  ::close(fd);
  if (::rename(tmp.c_str(), file.c_str()) != 0)
    fail_errno(errno, "cannot rename " + tmp.string() + " to " + file.string());
}

}  // namespace ireactor::agent
