// How many threads the calling process has: the process-start layers and the cgroup join are
// meant to happen while it has one, so every later thread inherits them.
#pragma once

namespace ireactor::cli {

// From /proc/self/status ("Threads:"); 0 when it cannot be read.
int thread_count();

}  // namespace ireactor::cli
