#include "event_loop.h"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <system_error>

namespace ireactor::agent {

namespace {

sigset_t agent_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

[[noreturn]] void fail(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

struct timespec to_timespec(std::chrono::nanoseconds ns) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(ns);
  return {static_cast<time_t>(s.count()), static_cast<long>((ns - s).count())};
}

}  // namespace

void block_agent_signals() {
  const sigset_t set = agent_signals();
  if (::pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) fail("pthread_sigmask");
}

EventLoop::EventLoop() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) fail("epoll_create1");
  const sigset_t set = agent_signals();
  signal_fd_ = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd_ < 0) fail("signalfd");
  add(signal_fd_, [this] {
    struct signalfd_siginfo info;
    while (::read(signal_fd_, &info, sizeof info) == sizeof info) {
      const auto h = signal_handlers_.find(static_cast<int>(info.ssi_signo));
      if (h != signal_handlers_.end()) h->second();
    }
  });
}

EventLoop::~EventLoop() {
  for (int fd : {signal_fd_, tick_fd_, debounce_fd_, epoll_fd_})
    if (fd >= 0) ::close(fd);
}

void EventLoop::add(int fd, std::function<void()> handler) {
  struct epoll_event ev = {};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) fail("epoll_ctl");
  handlers_[fd] = std::move(handler);
}

void EventLoop::on_readable(int fd, std::function<void()> handler) {
  add(fd, std::move(handler));
}

void EventLoop::on_signal(int signo, std::function<void()> handler) {
  signal_handlers_[signo] = std::move(handler);
}

void EventLoop::every(std::chrono::milliseconds period, std::function<void()> handler) {
  tick_fd_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (tick_fd_ < 0) fail("timerfd_create");
  struct itimerspec spec = {};
  spec.it_interval = spec.it_value = to_timespec(period);
  if (::timerfd_settime(tick_fd_, 0, &spec, nullptr) != 0) fail("timerfd_settime");
  add(tick_fd_, [this, handler = std::move(handler)] {
    uint64_t expirations;
    if (::read(tick_fd_, &expirations, sizeof expirations) == sizeof expirations) handler();
  });
}

void EventLoop::debounced(std::chrono::milliseconds delay, std::chrono::milliseconds max_delay,
                          std::function<void()> handler) {
  delay_ = delay;
  max_delay_ = std::max(delay, max_delay);
  debounced_ = std::move(handler);
  debounce_fd_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (debounce_fd_ < 0) fail("timerfd_create");
  add(debounce_fd_, [this] {
    uint64_t expirations;
    if (::read(debounce_fd_, &expirations, sizeof expirations) != sizeof expirations) return;
    pending_ = false;
    debounced_();
  });
}

void EventLoop::trigger() {
  const auto now = std::chrono::steady_clock::now();
  if (!pending_) {
    pending_ = true;
    first_trigger_ = now;
  }
  arm_debounce();
}

void EventLoop::arm_debounce() {
  const auto now = std::chrono::steady_clock::now();
  const auto due = std::min(now + delay_, first_trigger_ + max_delay_);
  // At least 1 ns: a zero it_value would disarm the timer instead of firing it.
  const auto wait = std::max<std::chrono::nanoseconds>(due - now, std::chrono::nanoseconds(1));
  struct itimerspec spec = {};
  spec.it_value = to_timespec(wait);
  if (::timerfd_settime(debounce_fd_, 0, &spec, nullptr) != 0) fail("timerfd_settime");
}

void EventLoop::run() {
  running_ = true;
  struct epoll_event events[16];
  while (running_) {
    const int n = ::epoll_wait(epoll_fd_, events, 16, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("epoll_wait");
    for (int i = 0; i < n && running_; ++i) {
      const auto h = handlers_.find(events[i].data.fd);
      if (h != handlers_.end()) h->second();
    }
  }
}

}  // namespace ireactor::agent
