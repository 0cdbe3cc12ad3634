#include <unistd.h>

#include <spdlog/spdlog.h>

#include "console/console.h"
#include "ireactor/process.h"
#include "ireactor/process/process_object.h"
#include "ireactor/process/terminate.h"

namespace ireactor {

void terminate_current_process(nt::NTSTATUS status) {
  Process& p = current_process();
  p.terminating.store(true);
  if (p.object) p.object->mark_exited(status);
  console::restore_terminal_settings();
  if (p.exit_status_fd >= 0)
    (void)!write(p.exit_status_fd, &status,
                 sizeof status);          // a program may end in a raw console mode
  spdlog::default_logger_raw()->flush();  // the runtime's own diagnostics, if buffered
  _exit(static_cast<int>(status));        // exit_group: every thread goes
}

}  // namespace ireactor
