#include "device_names.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "guard_abi.h"

namespace ireactor::agent {

namespace {

constexpr auto kRescanInterval = std::chrono::seconds(5);

bool better_name(const std::string& candidate, const std::string& current) {
  if (candidate.size() != current.size()) return candidate.size() < current.size();
  return candidate < current;
}

}  // namespace

std::optional<std::string> DeviceNames::lookup(uint32_t type, uint32_t major, uint32_t minor) {
  const auto key = std::make_tuple(type, major, minor);
  auto found = names_.find(key);
  if (found == names_.end()) {
    const auto now = std::chrono::steady_clock::now();
    if (!scanned_ || now - *scanned_ >= kRescanInterval) {
      scan();
      found = names_.find(key);
    }
  }
  if (found == names_.end()) return std::nullopt;
  return found->second;
}

void DeviceNames::scan() {
  names_.clear();
  scanned_ = std::chrono::steady_clock::now();
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(
      dev_dir_, std::filesystem::directory_options::skip_permission_denied, ec);
  for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    struct stat st;
    // lstat: symlinks (/dev/char/*, /dev/disk/by-*) would only repeat a name found elsewhere.
    if (::lstat(it->path().c_str(), &st) != 0) continue;
    uint32_t type = S_ISCHR(st.st_mode) ? IR_DEV_CHAR : S_ISBLK(st.st_mode) ? IR_DEV_BLOCK : 0;
    if (type == 0) continue;
    const auto key = std::make_tuple(type, static_cast<uint32_t>(::major(st.st_rdev)),
                                     static_cast<uint32_t>(::minor(st.st_rdev)));
    const std::string name = it->path().string();
    auto [slot, inserted] = names_.try_emplace(key, name);
    if (!inserted && better_name(name, slot->second)) slot->second = name;
  }
}

}  // namespace ireactor::agent
