// probe_kernel_layers() against what the kernel says elsewhere.
#include <doctest/doctest.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/landlock.h>

#include <fstream>
#include <string>

#include "guard_test_support.h"

using namespace ireactor::guard;
using namespace ireactor::guard::test;

TEST_SUITE("layers") {
  TEST_CASE("an unavailable LSM layer says why, an available one does not") {
    const KernelLayers& k = probed_layers();
    MESSAGE("lsm=" << k.lsm << " cgroup_dev=" << k.cgroup_dev << " sock_create=" << k.sock_create
                   << " sysctl=" << k.sysctl << " seccomp_audit=" << k.seccomp_audit
                   << " seccomp=" << k.seccomp << " landlock_abi=" << k.landlock_abi);
    for (const std::string& p : k.problems) MESSAGE("problem: " << p);
    CHECK(k.lsm == k.lsm_error.empty());
  }

  TEST_CASE("the LSM layer is there exactly when the bpf LSM is active") {
    std::ifstream in("/sys/kernel/security/lsm");
    std::string lsms;
    if (!std::getline(in, lsms)) {
      MESSAGE("securityfs not mounted: cannot cross-check the LSM probe");
      return;
    }
    bool bpf_active = ("," + lsms + ",").find(",bpf,") != std::string::npos;
    CHECK(probed_layers().lsm == bpf_active);
  }

  TEST_CASE("the Landlock ABI is the kernel's") {
    long abi = syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
    CHECK(probed_layers().landlock_abi == (abi > 0 ? abi : 0));
  }

  TEST_CASE("auditing seccomp refusals needs seccomp") {
    const KernelLayers& k = probed_layers();
    CHECK((!k.seccomp_audit || k.seccomp));
  }
}
