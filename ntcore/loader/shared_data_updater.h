// Keeps KUSER_SHARED_DATA's time fields live every 15.625 ms (Windows' clock tick), from a thread
// of our thread group that has a file table of its own (clone without CLONE_FILES).
//
// Why not an ordinary thread: threads share the file table, and while it is shared every
// read(2)/write(2) of the process takes and drops a reference on its file instead of Linux's
// single-threaded fast path; measured here, that cost 100-170 ns per NtReadFile. In our thread
// group it ends with the process (exit_group), never outliving it.
#pragma once

#include "ireactor/win/kuser_shared_data.h"

namespace ireactor::loader {

// Starts the updater for `data` (the writable view); it ends when this process does. Falls back
// to an ordinary thread when the kernel refuses the clone.
void start_shared_data_updater(win::KUSER_SHARED_DATA* data);

}  // namespace ireactor::loader
