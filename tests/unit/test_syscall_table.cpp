// The per-build system call tables (generated from ntcore/ntdll/syscalls/*.tsv) against the
// public table they were imported from, and their lookups.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "dispatch/syscall_table.h"

using namespace ireactor;

namespace {

// The public table scripts/import-syscalls reads: next to the repository, ../shared/data/.
std::filesystem::path csv_path() {
#ifdef IREACTOR_SYSCALL_CSV
  return IREACTOR_SYSCALL_CSV;
#else
  return std::filesystem::path(__FILE__).parent_path() /
         "../../../shared/data/windows-syscalls-x64-nt.csv";
#endif
}

std::vector<std::string> split_csv_line(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::vector<std::string> fields;
  std::stringstream ss(line);
  for (std::string f; std::getline(ss, f, ',');) fields.push_back(f);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

// name → number of every service the column has; empty when the CSV is not there.
std::map<std::string, uint32_t> csv_column(const std::string& column) {
  std::map<std::string, uint32_t> out;
  std::ifstream in(csv_path());
  std::string line;
  if (!std::getline(in, line)) return out;
  auto header = split_csv_line(line);
  auto col = std::find(header.begin(), header.end(), column) - header.begin();
  REQUIRE(col < static_cast<long>(header.size()));
  while (std::getline(in, line)) {
    auto f = split_csv_line(line);
    if (col < static_cast<long>(f.size()) && !f[col].empty())
      out[f[0]] = static_cast<uint32_t>(std::stoul(f[col], nullptr, 16));
  }
  return out;
}

struct BuildColumn {
  const char* build;
  const char* column;
};
constexpr BuildColumn kShipped[] = {{"10.0.19045", "Windows 10 (22H2)"},
                                    {"10.0.22621", "Windows 11 and Server (11 22H2)"}};

}  // namespace

TEST_CASE("Windows 10 22H2 and Windows 11 22H2 are supported, 10 22H2 is the default") {
  auto builds = supported_windows_builds();
  CHECK(std::is_sorted(builds.begin(), builds.end()));
  for (const auto& b : kShipped)
    CHECK(std::find(builds.begin(), builds.end(), b.build) != builds.end());
  CHECK(kDefaultWindowsBuild == "10.0.19045");
  CHECK(find_syscall_build(kDefaultWindowsBuild) != nullptr);
}

TEST_CASE("unknown builds are refused") {
  CHECK(find_syscall_build("10.0.99999") == nullptr);
  CHECK(find_syscall_build("") == nullptr);
  CHECK(find_syscall_build("10.0.1904") == nullptr);
}

TEST_CASE("numbers are the ones Windows uses") {
  const SyscallBuild* w10 = find_syscall_build("10.0.19045");
  const SyscallBuild* w11 = find_syscall_build("10.0.22621");
  REQUIRE(w10);
  REQUIRE(w11);
  // Stable across both builds.
  for (const SyscallBuild* b : {w10, w11}) {
    CHECK(b->number_of("NtClose") == 0x0f);
    CHECK(b->number_of("NtCreateFile") == 0x55);
    CHECK(b->number_of("NtReadFile") == 0x06);
    CHECK(b->number_of("NtWriteFile") == 0x08);
    CHECK(b->name_of(0x0f) == "NtClose");
  }
  // Moved by services Windows 11 added before it.
  CHECK(w10->number_of("NtCreateMutant") == 0xb4);
  CHECK(w11->number_of("NtCreateMutant") == 0xb8);
  CHECK(w10->number_of("NtChangeProcessState") == std::nullopt);
  CHECK(w11->number_of("NtChangeProcessState") == 0x96);
  CHECK(w10->name_of(0x96) == "NtCommitComplete");
  CHECK(w11->name_of(0x96) == "NtChangeProcessState");
  CHECK(w10->limit() == 0x1d9);
  CHECK(w10->name_of(0x1d9).empty());
  CHECK(w10->number_of("NtNoSuchService") == std::nullopt);
}

TEST_CASE("tables match the public table they were imported from") {
  for (const auto& b : kShipped) {
    CAPTURE(b.build);
    auto expected = csv_column(b.column);
    if (expected.empty()) {
      MESSAGE("no " << csv_path() << "; compared only the numbers above");
      continue;
    }
    const SyscallBuild* t = find_syscall_build(b.build);
    REQUIRE(t);
    CHECK(t->by_number.size() == expected.size());
    for (const auto& [name, number] : expected) {
      CAPTURE(name);
      CHECK(t->number_of(name) == number);
    }
  }
}

TEST_CASE("both orders hold the same entries and the lookups agree") {
  for (const SyscallBuild& b : syscall_builds()) {
    CAPTURE(b.build);
    REQUIRE(b.by_number.size() == b.by_name.size());
    CHECK(std::ranges::is_sorted(b.by_number, {}, &SyscallName::number));
    CHECK(std::ranges::is_sorted(b.by_name, {}, &SyscallName::name));
    for (const SyscallName& s : b.by_number) {
      CHECK(b.name_of(s.number) == s.name);
      CHECK(b.number_of(s.name) == s.number);
    }
  }
}
