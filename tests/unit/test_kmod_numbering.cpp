// The kernel hot path's numbering map contents (kmod-min/bpf/nt_numbering.h): for every supported
// build, {build number, NT number} -> the service id ntcore gives that service's name, and the
// services the struct_ops programs serve are in every build. Host-only: no module, no BPF.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <utility>

#include "../../kmod-min/bpf/nt_numbering.h"

using namespace ireactor;
using kmod::build_number;
using kmod::numbering_entries;

TEST_CASE("a build's number is the last component of its name") {
  CHECK(build_number("10.0.19045") == 19045u);
  CHECK(build_number("10.0.22621") == 22621u);
  CHECK(build_number("19045") == 19045u);
  CHECK_FALSE(build_number(""));
  CHECK_FALSE(build_number("10.0."));
  CHECK_FALSE(build_number("10.0.19045a"));
  CHECK_FALSE(build_number("10.0.-1"));
  CHECK_FALSE(build_number("10.0.0"));
}

TEST_CASE("every supported build has a distinct build number") {
  std::set<uint32_t> seen;
  for (const SyscallBuild& b : syscall_builds()) {
    CAPTURE(b.build);
    const auto n = build_number(b.build);
    REQUIRE(n);
    CHECK(seen.insert(*n).second);
  }
  CHECK(seen.size() >= 2);
}

TEST_CASE("the map holds every number of every build, each with its service's id") {
  const auto entries = numbering_entries();
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> by_key;
  for (const kmod::NumberingEntry& e : entries)
    CHECK(by_key.emplace(std::pair{e.key.build, e.key.number}, e.service).second);  // no dup

  size_t expected = 0;
  for (const SyscallBuild& b : syscall_builds()) {
    const uint32_t build = *build_number(b.build);
    for (const SyscallName& s : b.by_number) {
      CAPTURE(b.build);
      CAPTURE(s.name);
      ++expected;
      const auto it = by_key.find({build, s.number});
      REQUIRE(it != by_key.end());
      CHECK(it->second == *service_id(s.name));
      CHECK(service_id_name(static_cast<uint16_t>(it->second)) == s.name);
    }
  }
  CHECK(entries.size() == expected);
  CHECK(entries.size() <= NT_NUMBERING_MAX_ENTRIES);
}

TEST_CASE("each served service maps from its number in every build to its id") {
  const auto entries = numbering_entries();
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> by_key;
  for (const kmod::NumberingEntry& e : entries) by_key[{e.key.build, e.key.number}] = e.service;

  for (const SyscallBuild& b : syscall_builds()) {
    for (std::string_view name : kmod::kServedServices) {
      CAPTURE(b.build);
      CAPTURE(name);
      const auto number = b.number_of(name);
      REQUIRE(number);
      const auto id = service_id(name);
      REQUIRE(id);
      CHECK(*id != NT_NO_SERVICE);
      CHECK(by_key.at({*build_number(b.build), *number}) == *id);
    }
  }
}

TEST_CASE("the version key is no entry's, and stands for the served services' ids") {
  for (const kmod::NumberingEntry& e : numbering_entries())
    CHECK(e.key.build != kmod::kVersionKeyBuild);
  const uint32_t fingerprint = kmod::numbering_fingerprint();
  CHECK(fingerprint == kmod::numbering_fingerprint());
  CHECK(fingerprint != 2166136261u);  // something was mixed in
}
