// ireactord's single-threaded loop: epoll over the fds it is given, signals through a signalfd,
// a periodic tick, and a debounced action (a burst of policy file events becomes one apply).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>

namespace ireactor::agent {

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread, so that they wait for the loop's
// signalfd instead of killing the agent in the middle of a swap. Call before anything else.
void block_agent_signals();

class EventLoop {
 public:
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  void on_readable(int fd, std::function<void()> handler);
  void on_signal(int signo, std::function<void()> handler);  // one of the blocked signals
  void every(std::chrono::milliseconds period, std::function<void()> handler);
  // `handler` runs `delay` after the last trigger(), and at the latest `max_delay` after the
  // first of a burst.
  void debounced(std::chrono::milliseconds delay, std::chrono::milliseconds max_delay,
                 std::function<void()> handler);
  void trigger();

  void run();  // until stop()
  void stop() { running_ = false; }

 private:
  void add(int fd, std::function<void()> handler);
  void arm_debounce();

  int epoll_fd_ = -1;
  int signal_fd_ = -1;
  int tick_fd_ = -1;
  int debounce_fd_ = -1;
  std::map<int, std::function<void()>> handlers_;
  std::map<int, std::function<void()>> signal_handlers_;
  std::chrono::milliseconds delay_{0}, max_delay_{0};
  std::function<void()> debounced_;
  bool pending_ = false;
  std::chrono::steady_clock::time_point first_trigger_;
  bool running_ = false;
};

}  // namespace ireactor::agent
