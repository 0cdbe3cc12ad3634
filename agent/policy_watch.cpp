#include "policy_watch.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <system_error>

namespace ireactor::agent {

namespace {

constexpr uint32_t kPolicyEvents = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE;
constexpr uint32_t kCgroupEvents = IN_CREATE | IN_DELETE;

bool is_policy_name(std::string_view name) {
  return name.size() > 5 && name.front() != '.' && name.substr(name.size() - 5) == ".yaml";
}

}  // namespace

PolicyWatch::PolicyWatch(std::filesystem::path policy_dir, std::filesystem::path cgroup_parent)
    : policy_dir_(std::move(policy_dir)), cgroup_parent_(std::move(cgroup_parent)) {
  fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "inotify_init1");
  ensure_watches();
  if (policy_wd_ < 0)
    throw std::system_error(errno, std::generic_category(),
                            "cannot watch the policy directory " + policy_dir_.string());
}

PolicyWatch::~PolicyWatch() {
  ::close(fd_);
}

bool PolicyWatch::ensure_watches() {
  bool remade = false;
  if (policy_wd_ < 0) {
    std::error_code ec;
    std::filesystem::create_directories(policy_dir_, ec);
    policy_wd_ = ::inotify_add_watch(fd_, policy_dir_.c_str(), kPolicyEvents | IN_ONLYDIR);
    remade = policy_wd_ >= 0;
  }
  // The cgroup parent appears with the first namespace cgroup; until then there is nothing to
  // watch there.
  if (cgroup_wd_ < 0)
    cgroup_wd_ = ::inotify_add_watch(fd_, cgroup_parent_.c_str(), kCgroupEvents | IN_ONLYDIR);
  return remade;
}

bool PolicyWatch::read_events() {
  alignas(struct inotify_event) char buf[16384];
  bool relevant = false;
  for (;;) {
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EAGAIN: all read
    for (char* p = buf; p < buf + n;) {
      const auto* ev = reinterpret_cast<const struct inotify_event*>(p);
      p += sizeof(struct inotify_event) + ev->len;
      const std::string_view name = ev->len ? std::string_view(ev->name) : std::string_view();
      if (ev->mask & IN_Q_OVERFLOW) {
        spdlog::warn("inotify queue overflowed; re-reading the policy directory");
        relevant = true;
      } else if (ev->mask & IN_IGNORED) {
        // The directory went away (or its file system): watch it again when it is back.
        if (ev->wd == policy_wd_) {
          spdlog::warn("policy directory {} removed", policy_dir_.string());
          policy_wd_ = -1;
          relevant = true;
        } else if (ev->wd == cgroup_wd_) {
          cgroup_wd_ = -1;
          relevant = true;
        }
      } else if (ev->wd == policy_wd_) {
        relevant |= is_policy_name(name);
      } else if (ev->wd == cgroup_wd_) {
        relevant |= (ev->mask & IN_ISDIR) != 0;
      }
    }
  }
  return relevant;
}

}  // namespace ireactor::agent
