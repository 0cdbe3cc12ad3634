// The NT system call numbering of each supported Windows build. The data is generated at build
// time from ntcore/ntdll/syscalls/<build>.tsv, the same files our ntdll.dll stubs come from, so
// the stubs and the dispatcher always agree on the numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ireactor {

// The build a process gets when none is selected (Windows 10 22H2).
inline constexpr std::string_view kDefaultWindowsBuild = "10.0.19045";

struct SyscallName {
  std::string_view name;  // "NtCreateFile"
  uint32_t number;
};

// The numbering of one Windows build.
struct SyscallBuild {
  std::string_view build;                  // "10.0.19045"
  std::span<const SyscallName> by_number;  // sorted by number
  std::span<const SyscallName> by_name;    // the same entries sorted by name

  // The number of a service in this build; nullopt when the build lacks it.
  std::optional<uint32_t> number_of(std::string_view name) const;
  // The service with this number; empty when the build has no such number.
  std::string_view name_of(uint32_t number) const;
  // One past the highest number the build uses.
  uint32_t limit() const { return by_number.empty() ? 0 : by_number.back().number + 1; }
};

// Every build with a table, sorted by build (generated: syscall_tables_gen.cpp).
std::span<const SyscallBuild> syscall_builds();
// The table of a build ("10.0.22621"); nullptr when the build is not supported.
const SyscallBuild* find_syscall_build(std::string_view build);
// The names of the supported builds, sorted.
std::vector<std::string> supported_windows_builds();

}  // namespace ireactor
