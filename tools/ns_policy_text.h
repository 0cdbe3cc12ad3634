// The policy file `ireactor ns create` writes: a conservative default, or another policy file
// taken over with the new name, Windows build and drives.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ireactor::cli {

struct DriveSpec {
  char letter = 'C';               // upper case
  std::filesystem::path host_dir;  // absolute
  bool read_only = false;
};

// "C:=DIR", "D:=DIR:ro" (":rw" also accepted; "C=DIR" too). A relative DIR is made absolute
// against the current directory. Usage error when malformed.
DriveSpec parse_drive_spec(const std::string& spec);

struct NewNamespace {
  std::string name;
  std::optional<std::string> build;  // none: the default build (or, with --from, the file's)
  std::vector<DriveSpec> drives;     // C: is always present by the time text is made
};

// The default policy: devices denied but for the harmless ones and terminals, terminal ioctls
// only, every kernel feature denied, denials audited.
std::string default_policy_text(const NewNamespace& ns);

// The policy of `from` (which must be valid), renamed, with ns's build and drives replacing the
// file's where given. Failure (with the file's diagnostics) when `from` has errors.
std::string policy_text_from(const std::filesystem::path& from, const NewNamespace& ns);

}  // namespace ireactor::cli
