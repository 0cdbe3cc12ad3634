// The guard tests' main: probes the kernel once, and SKIPs (exit 77, "SKIP: reason") when not
// root or when a layer named by --require=<layer>[,<layer>...] is unavailable, instead of
// letting tests fail for a reason that is the machine's. Other arguments go to doctest
// (e.g. -ts=cgroup picks a suite).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "guard_test_support.h"

namespace ireactor::guard::test {
namespace {
KernelLayers layers;
}
const KernelLayers& probed_layers() {
  return layers;
}
}  // namespace ireactor::guard::test

namespace {

using ireactor::guard::KernelLayers;

// Whether `layer` is available, or -1 for an unknown name.
int available(const KernelLayers& k, const std::string& layer) {
  if (layer == "lsm") return k.lsm;
  if (layer == "cgroup_dev") return k.cgroup_dev;
  if (layer == "sock_create") return k.sock_create;
  if (layer == "sysctl") return k.sysctl;
  if (layer == "seccomp_audit") return k.seccomp_audit;
  if (layer == "seccomp") return k.seccomp;
  if (layer == "landlock") return k.landlock_abi > 0;
  return -1;
}

int skip(const std::string& why) {
  std::printf("SKIP: %s\n", why.c_str());
  return 77;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> required;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--require=", 0) == 0) {
      std::stringstream list(arg.substr(10));
      for (std::string layer; std::getline(list, layer, ',');) required.push_back(layer);
    } else {
      rest.push_back(argv[i]);
    }
  }

  if (geteuid() != 0)
    return skip("the guard tests load BPF programs and create cgroups: need root");
  ireactor::guard::test::layers = ireactor::guard::probe_kernel_layers();
  const KernelLayers& k = ireactor::guard::test::layers;
  for (const std::string& layer : required) {
    int ok = available(k, layer);
    if (ok < 0) {
      std::fprintf(stderr, "unknown layer in --require: %s\n", layer.c_str());
      return 2;
    }
    if (!ok) {
      std::string why = "kernel layer " + layer + " unavailable";
      for (const std::string& p : k.problems) why += "; " + p;
      return skip(why);
    }
  }

  doctest::Context context(static_cast<int>(rest.size()), rest.data());
  return context.run();
}
