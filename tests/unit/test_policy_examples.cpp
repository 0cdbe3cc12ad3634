// Every example in policy/examples/ is a valid policy, named after its file, and compiles.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ireactor/policy/compile.h"
#include "ireactor/policy/parse.h"

using namespace ireactor::policy;
namespace fs = std::filesystem;

namespace {

fs::path examples_dir() {
  // This file is tests/unit/test_policy_examples.cpp in the source tree.
  return fs::path(__FILE__).parent_path().parent_path().parent_path() / "policy" / "examples";
}

}  // namespace

TEST_CASE("every example policy validates and compiles") {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(examples_dir()))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  REQUIRE(files.size() >= 4);
  for (const fs::path& f : files) {
    CAPTURE(f.string());
    const ParseResult r = parse_policy_file(f);
    std::string errors;
    for (const Diagnostic& d : r.diagnostics)
      if (d.error) errors += d.str() + "\n";
    CHECK_MESSAGE(r.ok(), errors);
    if (!r.ok()) continue;
    CHECK(r.policy->name == f.stem().string());
    const CompiledSet set = compile_policy_set({{&*r.policy, 1, 1}}, 1);
    for (const Diagnostic& d : set.diagnostics) CHECK_MESSAGE(!d.error, d.str());
    CHECK(set.entries.size() >= 2);
  }
}

TEST_CASE("the office example says what DESIGN.md's does") {
  const ParseResult r = parse_policy_file(examples_dir() / "office.yaml");
  REQUIRE(r.ok());
  const NamespacePolicy& p = *r.policy;
  CHECK(p.windows_build == "10.0.19045");
  REQUIRE(p.drives.size() == 2);
  CHECK(p.drives[1].letter == 'D');
  CHECK(p.drives[1].read_only);
  CHECK(p.device_default == Effect::Deny);
  REQUIRE(p.devices.size() == 2);
  CHECK(*p.devices[1].match.major == 226);
  CHECK(p.devices[1].audit);
  REQUIRE(p.ioctls.size() == 1);
  CHECK(p.ioctls[0].lo == 0x6400);
  CHECK(p.ioctls[0].hi == 0x64ff);
  CHECK(p.audit.devices == AuditSettings::Devices::All);
}
