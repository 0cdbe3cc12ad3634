#include "seccomp_deny_filter.h"

#include <seccomp.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "process_threads.h"

namespace ireactor::cli {

namespace {

struct ContextDeleter {
  void operator()(scmp_filter_ctx ctx) const { seccomp_release(ctx); }
};
using Context = std::unique_ptr<void, ContextDeleter>;

void check(int rc, const std::string& what) {
  if (rc < 0) throw std::runtime_error("seccomp: " + what + ": " + std::strerror(-rc));
}

}  // namespace

void install_seccomp_deny_filter(const std::vector<DeniedSyscall>& denied) {
  Context ctx(seccomp_init(SCMP_ACT_ALLOW));
  if (!ctx) throw std::runtime_error("seccomp: cannot create a filter");
  const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
  // Another ABI's numbers mean other system calls: none of them is ours to allow.
  check(seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH, eperm), "foreign ABI action");
  check(seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 1), "no_new_privs");
  if (thread_count() > 1) check(seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_TSYNC, 1), "TSYNC");
  for (const DeniedSyscall& s : denied) {
    const std::string what = "rule for system call " + std::to_string(s.nr);
    const uint32_t action = SCMP_ACT_ERRNO(s.error);
    if (s.arg0 < 0) {
      check(seccomp_rule_add(ctx.get(), action, s.nr, 0), what);
    } else {
      // The kernel reads these arguments as int: compare the low 32 bits only, so garbage in the
      // upper half of the register cannot slip past the rule.
      check(seccomp_rule_add(ctx.get(), action, s.nr, 1,
                             SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu,
                                     static_cast<uint64_t>(s.arg0) & 0xffffffffu)),
            what);
    }
  }
  check(seccomp_load(ctx.get()), "loading the filter");
}

}  // namespace ireactor::cli
