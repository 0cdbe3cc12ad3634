// Policy sets as the kernel holds them, to check what a switch put in force: the entries of a
// set map, of the set the active slot names, and how two lists of entries differ.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "guard.h"

namespace ireactor::guard::test {

std::vector<PolicyEntry> set_entries(int set_fd);
// The set in `policy` (outer_fd) at the slot `policy_active` (active_fd) names.
std::vector<PolicyEntry> set_in_force(int outer_fd, int active_fd);
// The same through a guard's pins under `bpffs_dir`.
std::vector<PolicyEntry> set_in_force(const std::filesystem::path& bpffs_dir);

// "" when `actual` holds exactly the entries of `expected`, keys and values, in any order;
// otherwise the first difference, for a failure message.
std::string difference(std::vector<PolicyEntry> expected, std::vector<PolicyEntry> actual);

}  // namespace ireactor::guard::test
