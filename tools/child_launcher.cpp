#include "child_launcher.h"

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "ireactor/process/child_process.h"
#include "ireactor/text/utf.h"

extern char** environ;

namespace ireactor::cli {

namespace {

// The fds the child gets: its standard input, output and error, then the start and status pipes
// (what `run --start-fd 3 --status-fd 4` expects).
constexpr int kStartFd = 3;
constexpr int kStatusFd = 4;

std::string self_path() {
  char path[4096];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  return n > 0 ? std::string(path, static_cast<size_t>(n)) : std::string("/proc/self/exe");
}

// Copies of the fds numbered above every target, so that no dup2 of the child overwrites a
// source another still needs. Closed by the destructor.
struct HighFds {
  std::vector<int> fds;
  int add(int fd) {
    if (fd < 0) return -1;
    const int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    if (high >= 0) fds.push_back(high);
    return high;
  }
  ~HighFds() {
    for (int fd : fds) close(fd);
  }
};

int launch(const ChildRunOptions& o, const ChildLaunch& c) {
  std::vector<std::string> args = {"ireactor", "run"};
  if (!o.ns.empty()) args.insert(args.end(), {"--ns", o.ns});
  args.insert(args.end(), {"--build", o.build, "--entry", o.entry, "--system32", o.system32});
  if (o.unenforced) args.push_back("--unenforced");
  args.insert(args.end(),
              {"--windows-command-line", text::utf16_to_utf8(c.command_line), "--start-fd",
               std::to_string(kStartFd), "--status-fd", std::to_string(kStatusFd)});
  for (const std::string& e : c.environment) args.insert(args.end(), {"--windows-env", e});
  args.push_back(c.image_host_path);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  HighFds high;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  for (int i = 0; i < 3; ++i) {
    const int fd = high.add(c.std_fds[i]);
    if (fd >= 0)
      posix_spawn_file_actions_adddup2(&actions, fd, i);
    else
      posix_spawn_file_actions_addopen(&actions, i, "/dev/null", O_RDWR, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, high.add(c.start_fd), kStartFd);
  posix_spawn_file_actions_adddup2(&actions, high.add(c.status_fd), kStatusFd);
  if (!c.host_cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, c.host_cwd.c_str());
  pid_t pid = 0;
  // The host environment goes on (where the namespace store is, the runtime's settings); the
  // child's Windows environment is the block its parent gave, passed as --windows-env.
  const int err = posix_spawn(&pid, self_path().c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return err ? -err : pid;
}

}  // namespace

void install_child_launcher(const ChildRunOptions& options) {
  set_child_launcher([options](const ChildLaunch& c) { return launch(options, c); });
}

}  // namespace ireactor::cli
