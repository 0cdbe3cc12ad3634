// A namespace policy as written in YAML (docs/policy.md), after parsing and checking. Every
// element remembers where it was written so errors and audit records can name file:line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ireactor::policy {

struct SourceLocation {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
  int column = 0;

  std::string str() const;  // "file:line:column"
};

enum class Effect { Deny, Allow };

struct Drive {
  char letter = 'C';  // upper case
  std::filesystem::path host_path;
  bool read_only = false;
  SourceLocation where;
};

// One device match: a host path (resolved to its device number when compiled), or a class
// (char/block) with an optional major and minor.
struct DeviceMatch {
  std::optional<std::string> path;
  enum class Class { Char, Block } dev_class = Class::Char;
  std::optional<uint32_t> major, minor;
};

struct DeviceRule {
  DeviceMatch match;
  Effect effect = Effect::Allow;
  uint32_t access = 0;  // IR_ACC_* (bpf/guard_abi.h); default read|write
  bool audit = false;
  SourceLocation where;
};

struct IoctlRule {
  std::optional<DeviceMatch> device;  // none: every device
  uint32_t lo = 0, hi = 0;            // inclusive
  Effect effect = Effect::Allow;
  bool audit = false;
  SourceLocation where;
};

// Kernel features by their policy names (ptrace, bpf, mount, moduleLoad, rawSockets,
// packetSockets, perfEvents, kexecReboot, setTime, sysctlWrite, cgroupWrite) -> bit of enum
// ir_feature.
struct KernelFeature {
  Effect effect = Effect::Deny;
  SourceLocation where;
};

struct AuditSettings {
  enum class Devices { None, Rules, All } devices = Devices::Rules;
  bool denials = true;
};

struct NamespacePolicy {
  std::string name;  // [a-z0-9][a-z0-9_-]{0,31}
  std::string windows_build = "10.0.19045";
  std::vector<Drive> drives;  // C: always present after checking
  Effect device_default = Effect::Deny;
  std::vector<DeviceRule> devices;  // in file order
  Effect ioctl_default = Effect::Deny;
  std::vector<IoctlRule> ioctls;
  std::map<int, KernelFeature> kernel;  // enum ir_feature -> setting; absent: deny
  AuditSettings audit;
  SourceLocation where;       // the document
  std::string source_sha256;  // of the file's bytes: lets `policy apply` see it in force
};

// A problem found in a policy file. Errors refuse the file; warnings do not.
struct Diagnostic {
  SourceLocation where;
  bool error = true;
  std::string message;

  std::string str() const;  // "file:line:column: error: message"
};

}  // namespace ireactor::policy
