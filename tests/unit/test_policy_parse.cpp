// Policy files: what a good one parses to, and every kind of mistake reported once, at its
// file:line:column, all of them in one pass.
#include <doctest/doctest.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

#include "guard_abi.h"
#include "ireactor/policy/parse.h"

using namespace ireactor::policy;

namespace {

// One string per line, so a test's line numbers are the list positions (1-based).
std::string lines(std::initializer_list<const char*> ls) {
  std::string s;
  for (const char* l : ls) s += std::string(l) + "\n";
  return s;
}

// A valid document up to "spec:" + "  drives:" + "    C: /tmp" (lines 1-6); tests append.
std::string header(const char* name = "t") {
  return lines({"apiVersion: ireactor/v1", "kind: Namespace"}) + "metadata: {name: " + name +
         "}\n" + lines({"spec:", "  drives:", "    C: /tmp"});
}

ParseResult parse(const std::string& yaml) {
  return parse_policy_text(yaml, "t.yaml");
}

std::vector<std::string> rendered(const ParseResult& r, bool errors) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics)
    if (d.error == errors) out.push_back(d.str());
  return out;
}
std::vector<std::string> errors(const ParseResult& r) {
  return rendered(r, true);
}
std::vector<std::string> warnings(const ParseResult& r) {
  return rendered(r, false);
}

// The only error is exactly `want`.
void check_single_error(const std::string& yaml, const std::string& want) {
  const ParseResult r = parse(yaml);
  CHECK_FALSE(r.ok());
  const auto e = errors(r);
  REQUIRE_MESSAGE(e.size() == 1, yaml);
  CHECK(e[0] == want);
}

}  // namespace

TEST_CASE("a complete policy parses to what it says") {
  const ParseResult r = parse(lines({
      "apiVersion: ireactor/v1",
      "kind: Namespace",
      "metadata: {name: office}",
      "spec:",
      "  windows: {build: 10.0.22621}",
      "  drives:",
      "    C: /tmp",
      "    d: {path: /, readOnly: true}",
      "  devices:",
      "    default: allow",
      "    deny:",
      "      - {path: /dev/null, access: w}",
      "      - {class: block, major: 7, audit: true}",
      "    allow:",
      "      - {class: char, major: 226, minor: 128, access: rwm}",
      "      - {class: char, access: mknod}",
      "  ioctls:",
      "    allow:",
      "      - {device: /dev/null, cmd: [\"0x5401\", 21506, \"0x6400 - 0x64ff\"], audit: true}",
      "      - {device: {class: char, major: 226}, cmd: \"*\"}",
      "      - {cmd: 0x10}",
      "  kernel: {ptrace: allow, bpf: deny}",
      "  audit: {devices: all, denials: false}",
  }));
  REQUIRE_MESSAGE(r.ok(), (r.diagnostics.empty() ? "" : r.diagnostics[0].str()));
  CHECK(r.diagnostics.empty());
  const NamespacePolicy& p = *r.policy;
  CHECK(p.name == "office");
  CHECK(p.windows_build == "10.0.22621");
  CHECK(p.source_sha256.size() == 64);
  REQUIRE(p.drives.size() == 2);
  CHECK(p.drives[0].letter == 'C');
  CHECK(p.drives[0].host_path == "/tmp");
  CHECK_FALSE(p.drives[0].read_only);
  CHECK(p.drives[1].letter == 'D');
  CHECK(p.drives[1].read_only);
  CHECK(p.drives[1].where.str() == "t.yaml:8:5");

  CHECK(p.device_default == Effect::Allow);
  REQUIRE(p.devices.size() == 4);  // in file order: deny first here
  CHECK(p.devices[0].effect == Effect::Deny);
  CHECK(*p.devices[0].match.path == "/dev/null");
  CHECK(p.devices[0].access == IR_ACC_WRITE);
  CHECK(p.devices[0].where.str() == "t.yaml:12:9");
  CHECK(p.devices[1].match.dev_class == DeviceMatch::Class::Block);
  CHECK(*p.devices[1].match.major == 7);
  CHECK_FALSE(p.devices[1].match.minor.has_value());
  CHECK(p.devices[1].access == (IR_ACC_READ | IR_ACC_WRITE));  // the default
  CHECK(p.devices[1].audit);
  CHECK(p.devices[2].effect == Effect::Allow);
  CHECK(*p.devices[2].match.minor == 128);
  CHECK(p.devices[2].access == (IR_ACC_READ | IR_ACC_WRITE | IR_ACC_MKNOD));
  CHECK(p.devices[3].access == IR_ACC_MKNOD);
  CHECK_FALSE(p.devices[3].match.major.has_value());

  CHECK(p.ioctl_default == Effect::Deny);  // absent: deny
  REQUIRE(p.ioctls.size() == 5);           // a cmd list is one rule per entry
  CHECK(p.ioctls[0].lo == 0x5401);
  CHECK(p.ioctls[0].hi == 0x5401);
  CHECK(p.ioctls[0].audit);
  CHECK(p.ioctls[0].where.str() == "t.yaml:19:35");
  CHECK(p.ioctls[1].lo == 21506);
  CHECK(p.ioctls[2].lo == 0x6400);
  CHECK(p.ioctls[2].hi == 0x64ff);
  CHECK(*p.ioctls[3].device->major == 226);
  CHECK(p.ioctls[3].lo == 0);
  CHECK(p.ioctls[3].hi == 0xFFFFFFFFu);
  CHECK_FALSE(p.ioctls[4].device.has_value());
  CHECK(p.ioctls[4].where.str() == "t.yaml:21:9");

  CHECK(p.kernel.at(IR_FEAT_PTRACE).effect == Effect::Allow);
  CHECK(p.kernel.at(IR_FEAT_BPF).effect == Effect::Deny);
  CHECK(p.kernel.count(IR_FEAT_MOUNT) == 0);  // absent: the compiler denies it
  CHECK(p.audit.devices == AuditSettings::Devices::All);
  CHECK_FALSE(p.audit.denials);
}

TEST_CASE("defaults of an almost empty policy") {
  const ParseResult r = parse(header());
  REQUIRE(r.ok());
  const NamespacePolicy& p = *r.policy;
  CHECK(p.windows_build == "10.0.19045");
  CHECK(p.device_default == Effect::Deny);
  CHECK(p.ioctl_default == Effect::Deny);
  CHECK(p.kernel.empty());
  CHECK(p.audit.devices == AuditSettings::Devices::Rules);
  CHECK(p.audit.denials);
  CHECK(p.where.str() == "t.yaml:1:1");
}

TEST_CASE("the sha256 is of the file's bytes") {
  // sha256("") is well known; a policy's differs with any byte.
  const ParseResult a = parse(header());
  const ParseResult b = parse(header() + "# a comment\n");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a.policy->source_sha256 != b.policy->source_sha256);
  CHECK(a.policy->source_sha256 == parse(header()).policy->source_sha256);
}

TEST_CASE("YAML syntax errors carry yaml-cpp's position") {
  check_single_error(header() + "  devices: {allow: [\n",
                     "t.yaml:8:1: error: YAML syntax: end of sequence flow not found");
  check_single_error(lines({"apiVersion: ireactor/v1", "kind: Namespace: x"}),
                     "t.yaml:2:16: error: YAML syntax: illegal map value");
  check_single_error(header() + "  kernel: {ptrace: *nosuch}\n",
                     "t.yaml:7:20: error: YAML syntax: the referenced anchor is not defined");
}

TEST_CASE("empty files and extra documents") {
  check_single_error("",
                     "t.yaml:1:1: error: empty policy: expected apiVersion, kind, metadata "
                     "and spec");
  check_single_error("# only a comment\n",
                     "t.yaml:1:1: error: empty policy: expected "
                     "apiVersion, kind, metadata and spec");
  check_single_error(header() + "---\n" + header("u"),
                     "t.yaml:8:1: error: a policy file holds one document (one namespace per "
                     "file)");
  check_single_error("[1, 2]\n", "t.yaml:1:1: error: : expected a mapping, found a list");
}

TEST_CASE("more YAML syntax errors, in the words yaml-cpp used") {
  // The text ends inside {...} (no final newline: the end is column 1 of the last line).
  check_single_error(header() + "  kernel: {ptrace: deny",
                     "t.yaml:7:1: error: YAML syntax: end of map flow not found");
  check_single_error(header() + "  kernel: {ptrace: \"deny}\n",
                     "t.yaml:8:1: error: YAML syntax: end of map flow not found");
  check_single_error(header() + "  kernel: {ptrace: deny]\n",
                     "t.yaml:7:24: error: YAML syntax: illegal flow end");
  // A list entry indented deeper than the list, and one less deep.
  check_single_error(header() + lines({"  devices:", "    allow:", "    - {path: /dev/null}",
                                       "      - {path: /dev/zero}"}),
                     "t.yaml:10:7: error: YAML syntax: end of sequence not found");
  check_single_error(header() + lines({"  devices:", "    allow:", "      - {path: /dev/null}",
                                       "     - {path: /dev/zero}"}),
                     "t.yaml:10:6: error: YAML syntax: end of map not found");
  check_single_error(header() + "  kernel: {ptrace: deny, bpf: *}\n",
                     "t.yaml:7:32: error: YAML syntax: alias not found after *");
}

TEST_CASE("YAML syntax errors libyaml finds where yaml-cpp did not") {
  // At the tab (yaml-cpp read past it and failed at the next token).
  check_single_error(header() + "  kernel:\n\tptrace: deny\n",
                     "t.yaml:8:1: error: YAML syntax: illegal tab when looking for indentation");
  // At the backslash (yaml-cpp pointed past the escaped character).
  check_single_error(header() + "  kernel: {ptrace: \"d\\qeny\"}\n",
                     "t.yaml:7:22: error: YAML syntax: unknown escape character: q");
  // Bytes that are not UTF-8 text, and control characters (yaml-cpp read them into values).
  check_single_error(header() +
                         "  kernel: {ptrace: d\xFF"
                         "eny}\n",
                     "t.yaml:7:21: error: YAML syntax: invalid leading UTF-8 octet");
  check_single_error(header() +
                         "  kernel: {ptrace: d\x01"
                         "eny}\n",
                     "t.yaml:7:21: error: YAML syntax: control characters are not allowed");
  // A problem yaml-cpp had no words for keeps libyaml's (yaml-cpp ignored unknown tag handles).
  check_single_error(header() + "  kernel: {ptrace: !e!x deny}\n",
                     "t.yaml:7:20: error: YAML syntax: found undefined tag handle while parsing "
                     "a node");
}

TEST_CASE("text going on after a document without --- is a second document") {
  check_single_error(header() + "...\nx: 1\n",
                     "t.yaml:8:1: error: a policy file holds one document (one namespace per "
                     "file)");
  // A first line indented deeper than the rest ends the document there.
  const ParseResult r = parse("  apiVersion: ireactor/v1\n" + header().substr(24));
  CHECK(errors(r) == std::vector<std::string>{
                         "t.yaml:1:3: error: the document: missing required key \"kind\"",
                         "t.yaml:1:3: error: the document: missing required key \"metadata\"",
                         "t.yaml:1:3: error: the document: missing required key \"spec\"",
                         "t.yaml:2:1: error: a policy file holds one document (one namespace "
                         "per file)",
                     });
}

TEST_CASE("aliases are the node their anchor names") {
  const ParseResult r = parse(header() + "  kernel: {ptrace: &no deny, bpf: *no}\n");
  REQUIRE(r.ok());
  CHECK(r.policy->kernel.at(IR_FEAT_PTRACE).effect == Effect::Deny);
  CHECK(r.policy->kernel.at(IR_FEAT_BPF).effect == Effect::Deny);
  CHECK(r.policy->kernel.at(IR_FEAT_BPF).where.str() == "t.yaml:7:30");  // its key
  // A mistake in the anchored node is reported, at the anchor, for each use.
  CHECK(errors(parse(header() + "  kernel: {ptrace: &x maybe, bpf: *x}\n")) ==
        std::vector<std::string>{
            "t.yaml:7:20: error: spec.kernel.ptrace: \"maybe\" is not one of deny, allow",
            "t.yaml:7:20: error: spec.kernel.bpf: \"maybe\" is not one of deny, allow",
        });
  // A rule used twice is one rule deciding its device twice.
  check_single_error(
      header() + lines({"  devices:", "    allow:", "      - &rule {path: /dev/null, access: r}",
                        "    deny:", "      - *rule"}),
      "t.yaml:9:9: error: this rule and the one at line 9:9 both decide char 1:3 "
      "but differ in allow/deny; a device has one rule: merge them");
  // A node holding itself: read as deep as the schema goes, no deeper.
  CHECK(errors(parse(header() + "  devices: &d {allow: [*d]}\n")) ==
        std::vector<std::string>{
            "t.yaml:7:12: error: spec.devices.allow[0]: a device needs path, or class (char or "
            "block) with optional major and minor",
            "t.yaml:7:16: error: unknown key \"spec.devices.allow[0].allow\"",
        });
}

TEST_CASE("duplicate keys are errors in any mapping") {
  check_single_error(header() + "  devices: {allow: [{path: /dev/null, path: /dev/zero}]}\n",
                     "t.yaml:7:39: error: duplicate key \"spec.devices.allow[0].path\" (first at "
                     "line 7)");
  check_single_error(header() + "  kernel: {ptrace: deny}\n  drives: {}\n",
                     "t.yaml:8:3: error: duplicate key \"spec.drives\" (first at line 5)");
}

TEST_CASE("null is a plain ~, null, Null, NULL or nothing; quoted or tagged it is text") {
  auto named = [](const char* name) {
    return lines({"apiVersion: ireactor/v1", "kind: Namespace"}) + "metadata: {name: " + name +
           "}\nspec: {drives: {C: /tmp}}\n";
  };
  for (const char* null : {"null", "~", "Null", "NULL", "''"})
    check_single_error(named(null), "t.yaml:3:18: error: metadata.name: missing value");
  for (const char* text : {"\"null\"", "'null'", "!!str null"}) {
    const ParseResult r = parse(named(text));
    REQUIRE_MESSAGE(r.ok(), text);
    CHECK(r.policy->name == "null");
  }
  check_single_error(named("nULL"),
                     "t.yaml:3:18: error: metadata.name: \"nULL\" is not a namespace name (1 to "
                     "32 of a-z, 0-9, _ and -, starting with a letter or digit)");
  check_single_error(header() + "  kernel: {~: deny}\n",
                     "t.yaml:7:12: error: spec.kernel: a key must be a plain name, found nothing");
  check_single_error(header() + "  devices: {allow: [~]}\n",
                     "t.yaml:7:21: error: spec.devices.allow[0]: empty device rule");
}

TEST_CASE("a value written as nothing is where the next token starts") {
  check_single_error(lines({"apiVersion: ireactor/v1", "kind: Namespace",
                            "metadata:", "spec:", "  drives: {C: /tmp}"}),
                     "t.yaml:4:1: error: metadata: missing required key \"name\"");
  check_single_error(
      header() + lines({"  devices:", "    allow:", "      -", "      - {path: /dev/null}"}),
      "t.yaml:10:7: error: spec.devices.allow[0]: empty device rule");
  check_single_error(header() + lines({"  windows:", "    build:", "  audit: {devices: all}"}),
                     "t.yaml:9:3: error: spec.windows.build: missing value");
  // At the end of a text with no final newline: column 1 of the last line.
  check_single_error(header() + "  windows:\n    build:",
                     "t.yaml:8:1: error: spec.windows.build: missing value");
}

TEST_CASE("columns count bytes; CRLF line ends and a byte order mark change nothing") {
  check_single_error(header() + "    D: {path: /\xC3\xA9, readonly: true}\n",
                     "t.yaml:7:20: error: unknown key \"spec.drives.D:.readonly\" (did you mean "
                     "\"readOnly\"?)");
  const std::string crlf =
      "apiVersion: ireactor/v1\r\nkind: Namespace\r\nmetadata: {name: t}\r\nspec:\r\n"
      "  drives:\r\n    C: /tmp\r\n  kernel: {ptrac: deny}\r\n";
  const std::string want =
      "t.yaml:7:12: error: unknown kernel feature \"spec.kernel.ptrac\" (did you mean "
      "\"ptrace\"?)";
  check_single_error(crlf, want);
  check_single_error("\xEF\xBB\xBF" + header() + "  kernel: {ptrac: deny}\n", want);
}

TEST_CASE("booleans are true or false, in yaml-cpp's three spellings, quoted or not") {
  for (const char* yes : {"true", "True", "TRUE", "\"true\"", "!!bool true"}) {
    const ParseResult r = parse(header() + "  audit: {denials: " + yes + ", devices: all}\n");
    REQUIRE_MESSAGE(r.ok(), yes);
    CHECK(r.policy->audit.denials);
  }
  const ParseResult no = parse(header() + "  audit: {denials: 'False'}\n");
  REQUIRE(no.ok());
  CHECK_FALSE(no.policy->audit.denials);
  for (const char* other : {"on", "yes", "y", "1"})
    check_single_error(header() + "  audit: {denials: " + other + "}\n",
                       "t.yaml:7:20: error: spec.audit.denials: expected true or false, found "
                       "\"" +
                           std::string(other) + "\"");
}

TEST_CASE("unknown keys, with a suggestion when close") {
  check_single_error(header() + "  devics: {}\n",
                     "t.yaml:7:3: error: unknown key \"spec.devics\" (did you mean \"devices\"?)");
  check_single_error(header() + "  devices: {alow: []}\n",
                     "t.yaml:7:13: error: unknown key \"spec.devices.alow\" (did you mean "
                     "\"allow\"?)");
  check_single_error(header() + "  drives2: {}\n",
                     "t.yaml:7:3: error: unknown key \"spec.drives2\" (did you mean \"drives\"?)");
  check_single_error(header() + "  network: {}\n",
                     "t.yaml:7:3: error: unknown key \"spec.network\"");
  check_single_error(lines({"apiVersion: ireactor/v1", "kind: Namespace",
                            "metadata: {name: t, labels: {}}", "spec: {drives: {C: /tmp}}"}),
                     "t.yaml:3:21: error: unknown key \"metadata.labels\"");
  check_single_error(header() + "  kernel: {ptrac: deny}\n",
                     "t.yaml:7:12: error: unknown kernel feature \"spec.kernel.ptrac\" (did you "
                     "mean \"ptrace\"?)");
  check_single_error(header() + "  drives: {}\n",
                     "t.yaml:7:3: error: duplicate key \"spec.drives\" (first at line 5)");
}

TEST_CASE("required keys") {
  const ParseResult r = parse(lines({"kind: Namespace", "metadata: {}", "spec: {}"}));
  CHECK(errors(r) == std::vector<std::string>{
                         "t.yaml:1:1: error: the document: missing required key \"apiVersion\"",
                         "t.yaml:2:11: error: metadata: missing required key \"name\"",
                         "t.yaml:3:7: error: spec: missing required key \"drives\"",
                     });
  check_single_error(lines({"apiVersion: ireactor/v1", "kind: Namespace", "metadata: {name: t}",
                            "spec:", "  drives: {D: /tmp}"}),
                     "t.yaml:5:11: error: spec.drives: drive C: is required");
}

TEST_CASE("apiVersion, kind and names") {
  check_single_error(lines({"apiVersion: ireactor/v2", "kind: Namespace", "metadata: {name: t}",
                            "spec: {drives: {C: /tmp}}"}),
                     "t.yaml:1:13: error: apiVersion: \"ireactor/v2\" is not supported (this "
                     "ireactor reads ireactor/v1)");
  check_single_error(lines({"apiVersion: ireactor/v1", "kind: Pod", "metadata: {name: t}",
                            "spec: {drives: {C: /tmp}}"}),
                     "t.yaml:2:7: error: kind: \"Pod\" is not supported (only Namespace)");
  check_single_error(header("Office!"),
                     "t.yaml:3:18: error: metadata.name: \"Office!\" is not a namespace name (1 "
                     "to 32 of a-z, 0-9, _ and -, starting with a letter or digit)");
  check_single_error(header("-x"),
                     "t.yaml:3:18: error: metadata.name: \"-x\" is not a namespace "
                     "name (1 to 32 of a-z, 0-9, _ and -, starting with a letter "
                     "or digit)");
  CHECK(parse(header("a-b_9")).ok());
  CHECK_FALSE(parse(header("abcdefghijklmnopqrstuvwxyz0123456")).ok());  // 33 characters
}

TEST_CASE("wrong types") {
  check_single_error(lines({"apiVersion: ireactor/v1", "kind: Namespace", "metadata: {name: t}",
                            "spec:", "  drives: [/tmp]"}),
                     "t.yaml:5:11: error: spec.drives: expected a mapping, found a list");
  check_single_error(header() + "  devices: {allow: {path: /dev/null}}\n",
                     "t.yaml:7:20: error: spec.devices.allow: expected a list, found a mapping");
  check_single_error(header() + "  devices: {allow: [/dev/null]}\n",
                     "t.yaml:7:21: error: spec.devices.allow[0]: expected a mapping, found "
                     "\"/dev/null\"");
  check_single_error(header() + "  windows: {build: [10]}\n",
                     "t.yaml:7:20: error: spec.windows.build: expected a single value, found a "
                     "list");
  check_single_error(header() + "  audit: {denials: yes}\n",
                     "t.yaml:7:20: error: spec.audit.denials: expected true or false, found "
                     "\"yes\"");
  check_single_error(header() + "  audit: {devices: some}\n",
                     "t.yaml:7:20: error: spec.audit.devices: \"some\" is not one of none, "
                     "rules, all");
  check_single_error(header() + "  kernel: {bpf: alow}\n",
                     "t.yaml:7:17: error: spec.kernel.bpf: \"alow\" is not one of deny, allow "
                     "(did you mean \"allow\"?)");
  check_single_error(header() + "  devices: {default: permit}\n",
                     "t.yaml:7:22: error: spec.devices.default: \"permit\" is not one of deny, "
                     "allow");
}

TEST_CASE("drives") {
  check_single_error(header() + "    c: /var\n",
                     "t.yaml:7:5: error: spec.drives.C: is mapped twice (first at line 6)");
  check_single_error(header() + "    \"C:\": /var\n",
                     "t.yaml:7:5: error: spec.drives.C: is mapped twice (first at line 6)");
  check_single_error(header() + "    CD: /var\n",
                     "t.yaml:7:5: error: spec.drives: \"CD\" is not a drive letter (write C or "
                     "C:)");
  check_single_error(header() + "    D: var/x\n",
                     "t.yaml:7:8: error: spec.drives.D:: \"var/x\" is not an absolute path "
                     "(drive paths are host paths from /; a policy file is copied when applied, "
                     "so a relative path would change meaning)");
  check_single_error(header() + "    D: {readOnly: true}\n",
                     "t.yaml:7:8: error: spec.drives.D:: missing required key \"path\"");
  check_single_error(header() + "    D: {path: /tmp, readonly: true}\n",
                     "t.yaml:7:21: error: unknown key \"spec.drives.D:.readonly\" (did you mean "
                     "\"readOnly\"?)");
  check_single_error(header() + "    D: /dev/null\n",
                     "t.yaml:7:5: error: drive D: /dev/null is not a directory");
  const ParseResult r = parse(header() + "    E: /nonexistent/ireactor-test\n");
  CHECK(r.ok());
  CHECK(warnings(r) == std::vector<std::string>{"t.yaml:7:5: warning: drive E: "
                                                "/nonexistent/ireactor-test does not exist on "
                                                "this host (yet)"});
}

TEST_CASE("the Windows build must be one ireactor ships") {
  const auto& builds = shipped_windows_builds();
  CHECK(std::find(builds.begin(), builds.end(), "10.0.19045") != builds.end());
  CHECK(std::find(builds.begin(), builds.end(), "10.0.22621") != builds.end());
  std::string list;
  for (const std::string& b : builds) list += (list.empty() ? "" : ", ") + b;
  check_single_error(header() + "  windows: {build: 10.0.19046}\n",
                     "t.yaml:7:20: error: spec.windows.build: ireactor has no Windows build "
                     "\"10.0.19046\" (it ships " +
                         list + ") (did you mean \"10.0.19045\"?)");
  check_single_error(header() + "  windows: {build: 7}\n",
                     "t.yaml:7:20: error: spec.windows.build: ireactor has no Windows build \"7\" "
                     "(it ships " +
                         list + ")");
}

TEST_CASE("device numbers") {
  check_single_error(header() + "  devices: {allow: [{class: char, major: abc}]}\n",
                     "t.yaml:7:42: error: spec.devices.allow[0].major: \"abc\" is not a number "
                     "(decimal, or hexadecimal with 0x)");
  check_single_error(header() + "  devices: {allow: [{class: char, major: 5000}]}\n",
                     "t.yaml:7:42: error: spec.devices.allow[0].major: 5000 is out of range "
                     "(major numbers are 0..4094)");
  check_single_error(header() + "  devices: {allow: [{class: char, major: 4095}]}\n",
                     "t.yaml:7:42: error: spec.devices.allow[0].major: 4095 is reserved (the "
                     "guard's wildcard); major numbers are 0..4094, leave major out to match any");
  check_single_error(header() + "  devices: {allow: [{class: char, major: 1, minor: 0x100000}]}\n",
                     "t.yaml:7:52: error: spec.devices.allow[0].minor: 0x100000 is out of range "
                     "(minor numbers are 0..1048574)");
  check_single_error(header() + "  devices: {allow: [{class: char, major: 1, minor: 0xfffff}]}\n",
                     "t.yaml:7:52: error: spec.devices.allow[0].minor: 0xfffff is reserved (the "
                     "guard's wildcard); minor numbers are 0..1048574, leave minor out to match "
                     "any");
  check_single_error(header() + "  devices: {allow: [{class: char, major: -1}]}\n",
                     "t.yaml:7:42: error: spec.devices.allow[0].major: \"-1\" is not a number "
                     "(decimal, or hexadecimal with 0x)");
  CHECK(
      parse(header() + "  devices: {allow: [{class: block, major: 0xfe, minor: 0xffffe}]}\n").ok());
}

TEST_CASE("device rule shapes") {
  check_single_error(header() + "  devices: {allow: [{class: char, minor: 3}]}\n",
                     "t.yaml:7:42: error: spec.devices.allow[0].minor: a minor needs a major");
  check_single_error(header() + "  devices: {allow: [{path: /dev/null, major: 1}]}\n",
                     "t.yaml:7:46: error: spec.devices.allow[0]: a device is either a path or a "
                     "class with major/minor, not both");
  check_single_error(header() + "  devices: {allow: [{access: r}]}\n",
                     "t.yaml:7:21: error: spec.devices.allow[0]: a device needs path, or class "
                     "(char or block) with optional major and minor");
  check_single_error(header() + "  devices: {allow: [{class: character}]}\n",
                     "t.yaml:7:29: error: spec.devices.allow[0].class: \"character\" is not one "
                     "of char, block");
  check_single_error(header() + "  devices: {allow: [{path: dev/null}]}\n",
                     "t.yaml:7:28: error: spec.devices.allow[0].path: \"dev/null\" is not an "
                     "absolute path");
  check_single_error(header() + "  devices: {allow: [{path: /dev/null, access: rx}]}\n",
                     "t.yaml:7:47: error: spec.devices.allow[0].access: \"rx\" is not an access "
                     "(letters r for read, w for write, m for mknod, each once: r, w, rw, rwm, "
                     "... or mknod)");
  check_single_error(header() + "  devices: {allow: [{path: /dev/null, access: rr}]}\n",
                     "t.yaml:7:47: error: spec.devices.allow[0].access: \"rr\" is not an access "
                     "(letters r for read, w for write, m for mknod, each once: r, w, rw, rwm, "
                     "... or mknod)");
  check_single_error(header() + "  devices: {allow: [{path: /dev/null, audit: 1}]}\n",
                     "t.yaml:7:46: error: spec.devices.allow[0].audit: expected true or false, "
                     "found \"1\"");
}

TEST_CASE("device paths are checked on this host") {
  check_single_error(header() + "  devices: {allow: [{path: /tmp}]}\n",
                     "t.yaml:7:21: error: /tmp is not a device node");
  const ParseResult r = parse(header() + "  devices: {allow: [{path: /dev/ireactor-nosuch}]}\n");
  CHECK(r.ok());
  CHECK(warnings(r) ==
        std::vector<std::string>{"t.yaml:7:21: warning: /dev/ireactor-nosuch does not exist on "
                                 "this host: the rule takes effect when the policy is applied "
                                 "after the node exists"});
}

TEST_CASE("rules that land on one device must agree") {
  // /dev/null is char 1:3: the path and the class rule are the same key.
  check_single_error(header() + lines({"  devices:", "    allow: [{path: /dev/null}]",
                                       "    deny: [{class: char, major: 1, minor: 3}]"}),
                     "t.yaml:9:12: error: this rule and the one at line 8:13 both decide char "
                     "1:3 but differ in allow/deny; a device has one rule: merge them");
  check_single_error(header() + lines({"  devices:", "    allow:", "      - {path: /dev/null}",
                                       "      - {class: char, major: 1, minor: 3, audit: true}"}),
                     "t.yaml:10:9: error: this rule and the one at line 9:9 both decide char "
                     "1:3 but differ in audit; a device has one rule: merge them");
  // Same effect and audit: their accesses add up.
  CHECK(parse(header() + lines({"  devices:", "    allow:", "      - {path: /dev/null, access: r}",
                                "      - {class: char, major: 1, minor: 3, access: w}"}))
            .ok());
}

TEST_CASE("ioctl rules") {
  check_single_error(header() + "  ioctls: {allow: [{device: /dev/null, cmd: \"0x20-0x10\"}]}\n",
                     "t.yaml:7:45: error: spec.ioctls.allow[0].cmd: range \"0x20-0x10\" ends "
                     "before it starts");
  check_single_error(header() + "  ioctls: {allow: [{device: /dev/null, cmd: 0x100000000}]}\n",
                     "t.yaml:7:45: error: spec.ioctls.allow[0].cmd: \"0x100000000\" does not fit "
                     "an ioctl command (32 bits)");
  check_single_error(header() + "  ioctls: {allow: [{device: /dev/null, cmd: TCGETS}]}\n",
                     "t.yaml:7:45: error: spec.ioctls.allow[0].cmd: \"TCGETS\" is not a number "
                     "(write 0x5401 or 21505)");
  check_single_error(header() + "  ioctls: {allow: [{device: /dev/null, cmd: [1, \"0x-\"]}]}\n",
                     "t.yaml:7:49: error: spec.ioctls.allow[0].cmd[1]: \"0x-\" is not a command "
                     "or a range (write 0x5401 or 0x6400-0x64ff)");
  check_single_error(header() + "  ioctls: {allow: [{device: /dev/null, cmd: []}]}\n",
                     "t.yaml:7:45: error: spec.ioctls.allow[0].cmd: empty list");
  check_single_error(header() + "  ioctls: {allow: [{device: /dev/null}]}\n",
                     "t.yaml:7:20: error: spec.ioctls.allow[0]: missing required key \"cmd\"");
  check_single_error(header() + "  ioctls: {allow: [{device: null, cmd: 1}]}\n",
                     "t.yaml:7:29: error: spec.ioctls.allow[0].device: a device needs path, or "
                     "class (char or block) with optional major and minor");
  check_single_error(
      header() + "  ioctls: {deny: [{device: {class: char, major: 4096}, cmd: 1}]}\n",
      "t.yaml:7:49: error: spec.ioctls.deny[0].device.major: 4096 is out of range "
      "(major numbers are 0..4094)");
  check_single_error(header() + "  ioctls: {deny: [{device: {class: char, access: r}, cmd: 1}]}\n",
                     "t.yaml:7:42: error: unknown key \"spec.ioctls.deny[0].device.access\"");
  check_single_error(header() + "  ioctls: {deny: [{device: /tmp, cmd: 1}]}\n",
                     "t.yaml:7:19: error: /tmp is not a device node");
}

TEST_CASE("more ioctl ranges on one device than the guard holds") {
  // 65 separate commands (every other number) on /dev/null: the 65th is the rule that overflows.
  std::string yaml = header() + "  ioctls:\n    allow:\n";
  for (int i = 0; i < 65; ++i)
    yaml += "      - {device: /dev/null, cmd: " + std::to_string(2 * i) + "}\n";
  check_single_error(yaml,
                     "t.yaml:73:9: error: ioctl rules for char 1:3 make 65 separate "
                     "command ranges; the guard holds at most 64 per device (merge adjacent "
                     "commands into ranges)");
  // Adjacent commands of one rule merge: 100 commands as one range fit.
  CHECK(parse(header() + "  ioctls: {allow: [{device: /dev/null, cmd: \"0-99\"}]}\n").ok());
}

TEST_CASE("every error of a file in one pass, in file order") {
  const ParseResult r = parse(lines({
      "apiVersion: ireactor/v1",
      "kind: Namespace",
      "metadata: {name: Bad}",
      "spec:",
      "  windows: {build: 11}",
      "  drives: {C: /tmp, c: /tmp}",
      "  devices:",
      "    allow:",
      "      - {class: char, major: 9999}",
      "      - {path: /dev/null, acess: r}",
      "  ioctls: {allow: [{device: /dev/null, cmd: \"9-1\"}]}",
      "  kernel: {mount: maybe}",
  }));
  CHECK_FALSE(r.ok());
  const auto e = errors(r);
  REQUIRE(e.size() == 7);
  CHECK(e[0].starts_with("t.yaml:3:18: error: metadata.name"));
  CHECK(e[1].starts_with("t.yaml:5:20: error: spec.windows.build"));
  CHECK(e[2].starts_with("t.yaml:6:21: error: spec.drives.C: is mapped twice"));
  CHECK(e[3].starts_with("t.yaml:9:30: error: spec.devices.allow[0].major"));
  CHECK(
      e[4].starts_with("t.yaml:10:27: error: unknown key \"spec.devices.allow[1].acess\" (did "
                       "you mean \"access\"?)"));
  CHECK(e[5].starts_with("t.yaml:11:45: error: spec.ioctls.allow[0].cmd"));
  CHECK(e[6].starts_with("t.yaml:12:19: error: spec.kernel.mount"));
}

TEST_CASE("kernel feature names round-trip") {
  for (int f = 0; f < IR_FEAT_COUNT; ++f) {
    REQUIRE(feature_name(f) != nullptr);
    CHECK(feature_from_name(feature_name(f)) == f);
  }
  CHECK(feature_name(IR_FEAT_COUNT) == nullptr);
  CHECK_FALSE(feature_from_name("Ptrace").has_value());
}

TEST_CASE("parse_policy_file names the file and reports unreadable ones") {
  const ParseResult r = parse_policy_file("/nonexistent/policy.yaml");
  CHECK_FALSE(r.ok());
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].str() ==
        "/nonexistent/policy.yaml: error: cannot read: No such file or directory");
  const ParseResult d = parse_policy_file("/tmp");
  REQUIRE(d.diagnostics.size() == 1);
  CHECK(d.diagnostics[0].str() == "/tmp: error: cannot read: Is a directory");
}
