#include "policy_epoch.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <stdexcept>

#include "libbpf_log.h"

namespace ireactor::guard {

PolicyEpoch::PolicyEpoch(int bump_prog_fd) : prog_fd_(bump_prog_fd) {
  if (int err = bump()) throw std::runtime_error("run guard_epoch_bump: " + errno_text(err));
}

int PolicyEpoch::bump() noexcept {
  LIBBPF_OPTS(bpf_test_run_opts, run);
  if (int err = bpf_prog_test_run_opts(prog_fd_, &run)) return err;
  return run.retval == 0 ? 0 : -ENOENT;  // 1: the program found no policy_epoch value
}

}  // namespace ireactor::guard
