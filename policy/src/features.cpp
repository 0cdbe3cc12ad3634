// Kernel feature names as policy files spell them, and the Windows builds a policy may name.
#include <array>
#include <iterator>

#include "guard_abi.h"

#include "ireactor/policy/parse.h"
#include "shipped_builds.h"

namespace ireactor::policy {

namespace {

// Indexed by enum ir_feature (bpf/guard_abi.h).
constexpr std::array<const char*, IR_FEAT_COUNT> kFeatureNames = {
    "ptrace",     "bpf",         "mount",   "moduleLoad",  "rawSockets",  "packetSockets",
    "perfEvents", "kexecReboot", "setTime", "sysctlWrite", "cgroupWrite",
};

}  // namespace

const char* feature_name(int feature) {
  if (feature < 0 || feature >= IR_FEAT_COUNT) return nullptr;
  return kFeatureNames[feature];
}

std::optional<int> feature_from_name(const std::string& name) {
  for (int f = 0; f < IR_FEAT_COUNT; ++f)
    if (name == kFeatureNames[f]) return f;
  return std::nullopt;
}

const std::vector<std::string>& shipped_windows_builds() {
  static const std::vector<std::string> builds(std::begin(generated::kShippedBuilds),
                                               std::end(generated::kShippedBuilds));
  return builds;
}

}  // namespace ireactor::policy
