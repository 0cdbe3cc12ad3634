// Lookups over the generated per-build system call tables.
#include "dispatch/syscall_table.h"

#include <algorithm>

namespace ireactor {

std::optional<uint32_t> SyscallBuild::number_of(std::string_view name) const {
  auto it = std::ranges::lower_bound(by_name, name, {}, &SyscallName::name);
  if (it == by_name.end() || it->name != name) return std::nullopt;
  return it->number;
}

std::string_view SyscallBuild::name_of(uint32_t number) const {
  auto it = std::ranges::lower_bound(by_number, number, {}, &SyscallName::number);
  if (it == by_number.end() || it->number != number) return {};
  return it->name;
}

const SyscallBuild* find_syscall_build(std::string_view build) {
  for (const SyscallBuild& b : syscall_builds())
    if (b.build == build) return &b;
  return nullptr;
}

std::vector<std::string> supported_windows_builds() {
  std::vector<std::string> out;
  for (const SyscallBuild& b : syscall_builds()) out.emplace_back(b.build);
  return out;
}

}  // namespace ireactor
