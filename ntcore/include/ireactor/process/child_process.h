// Processes a Windows program starts (NtCreateUserProcess): each is another ireactor process in
// the same namespace, started by the program that hosts ntcore (it knows how to start itself and
// with which namespace, build and entry), here called the launcher.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace ireactor {

struct ChildLaunch {
  std::string image_host_path;
  std::u16string command_line;           // exactly as the child's ProcessParameters carry it
  std::string host_cwd;                  // the child's current directory, on the host
  std::vector<std::string> environment;  // "NAME=VALUE", UTF-8
  int std_fds[3] = {-1, -1, -1};         // its standard input, output and error; -1: none
  int start_fd = -1;   // the child reads one byte from it before Windows code runs
  int status_fd = -1;  // the child writes its 32-bit exit status into it when it ends
};

// Starts the child: its pid, or -errno.
using ChildLauncher = std::function<int(const ChildLaunch&)>;

// Set once at start by the host program; without one NtCreateUserProcess is not supported.
void set_child_launcher(ChildLauncher launcher);
const ChildLauncher& child_launcher();

}  // namespace ireactor
