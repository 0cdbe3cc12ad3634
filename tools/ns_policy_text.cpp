#include "ns_policy_text.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <sstream>

#include "cli_error.h"
#include "ireactor/policy/parse.h"
#include "windows_builds.h"

namespace ireactor::cli {

namespace fs = std::filesystem;

namespace {

// A YAML double-quoted scalar: paths may hold anything YAML would otherwise read as syntax.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string drive_line(const DriveSpec& d) {
  std::string line = std::string("    ") + d.letter + ": ";
  if (d.read_only) return line + "{path: " + quoted(d.host_dir.string()) + ", readOnly: true}\n";
  return line + quoted(d.host_dir.string()) + "\n";
}

char drive_key_letter(const std::string& key) {
  if ((key.size() == 1 || (key.size() == 2 && key[1] == ':')) &&
      std::isalpha(static_cast<unsigned char>(key[0])))
    return static_cast<char>(std::toupper(static_cast<unsigned char>(key[0])));
  return 0;
}

}  // namespace

DriveSpec parse_drive_spec(const std::string& spec) {
  auto bad = [&](const std::string& why) -> DriveSpec {
    usage_error("--drive " + spec + ": " + why + " (write C:=DIR or D:=DIR:ro)");
  };
  const size_t eq = spec.find('=');
  if (eq == std::string::npos) return bad("no '='");
  const std::string key = spec.substr(0, eq);
  DriveSpec d;
  d.letter = drive_key_letter(key);
  if (!d.letter) return bad("\"" + key + "\" is not a drive letter");
  std::string dir = spec.substr(eq + 1);
  if (dir.ends_with(":ro")) {
    d.read_only = true;
    dir.resize(dir.size() - 3);
  } else if (dir.ends_with(":rw")) {
    dir.resize(dir.size() - 3);
  }
  if (dir.empty()) return bad("no directory");
  d.host_dir = fs::absolute(dir).lexically_normal();
  if (d.host_dir.has_filename() == false && d.host_dir != d.host_dir.root_path())
    d.host_dir = d.host_dir.parent_path();  // "dir/" -> "dir"
  return d;
}

std::string default_policy_text(const NewNamespace& ns) {
  std::ostringstream o;
  o << "# Windows namespace " << ns.name << ", written by `ireactor ns create`.\n"
    << "# ireactord applies changes to this file as they are saved; `ireactor policy validate`\n"
    << "# checks it first. The schema: docs/policy.md.\n"
    << "apiVersion: ireactor/v1\n"
    << "kind: Namespace\n"
    << "metadata:\n"
    << "  name: " << ns.name << "\n"
    << "spec:\n"
    << "  windows:\n"
    << "    build: " << quoted(ns.build.value_or(kDefaultBuild)) << "\n"
    << "  drives:\n";
  for (const DriveSpec& d : ns.drives) o << drive_line(d);
  o << "  devices:\n"
    << "    default: deny\n"
    << "    allow:\n"
    << "      - {path: /dev/null}\n"
    << "      - {path: /dev/zero}\n"
    << "      - {path: /dev/full}\n"
    << "      - {path: /dev/random}\n"
    << "      - {path: /dev/urandom}\n"
    << "      - {path: /dev/tty}\n"
    << "      - {path: /dev/ptmx}                # pseudo-terminal master\n"
    << "      - {class: char, major: 136}        # pseudo-terminals, /dev/pts/*\n"
    << "  ioctls:\n"
    << "    default: deny\n"
    << "    # Terminal modes, process group, output queue, window size, bytes to read; not\n"
    << "    # TIOCSTI (0x5412), which would type into the terminal.\n"
    << "    allow:\n"
    << "      - {device: /dev/tty, cmd: [\"0x5401-0x5404\", \"0x540f-0x5411\", "
       "\"0x5413-0x5414\", \"0x541b\"]}\n"
    << "      - {device: {class: char, major: 136}, cmd: [\"0x5401-0x5404\", "
       "\"0x540f-0x5411\", \"0x5413-0x5414\", \"0x541b\"]}\n"
    << "      - {device: /dev/ptmx, cmd: [\"0x5401-0x5404\", \"0x5413-0x5414\", "
       "\"0x80045430\", \"0x40045431\"]}  # + TIOCGPTN, TIOCSPTLCK\n"
    << "  kernel:\n"
    << "    ptrace: deny\n"
    << "    bpf: deny\n"
    << "    mount: deny\n"
    << "    moduleLoad: deny\n"
    << "    rawSockets: deny\n"
    << "    packetSockets: deny\n"
    << "    perfEvents: deny\n"
    << "    kexecReboot: deny\n"
    << "    setTime: deny\n"
    << "    sysctlWrite: deny\n"
    << "    cgroupWrite: deny\n"
    << "  audit:\n"
    << "    devices: rules\n"
    << "    denials: true\n";
  return o.str();
}

std::string policy_text_from(const fs::path& from, const NewNamespace& ns) {
  const policy::ParseResult parsed = policy::parse_policy_file(from);
  if (!parsed.ok()) {
    std::string msg = from.string() + " has errors:";
    for (const policy::Diagnostic& d : parsed.diagnostics)
      if (d.error) msg += "\n" + d.str();
    fail(msg);
  }
  YAML::Node doc = YAML::LoadFile(from.string());
  doc["metadata"]["name"] = ns.name;
  if (ns.build) doc["spec"]["windows"]["build"] = *ns.build;
  YAML::Node drives = doc["spec"]["drives"];
  for (const DriveSpec& d : ns.drives) {
    // The file may spell the letter C, C: or c:; the new mapping replaces any of them.
    std::vector<std::string> old;
    for (const auto& kv : drives)
      if (drive_key_letter(kv.first.as<std::string>()) == d.letter)
        old.push_back(kv.first.as<std::string>());
    for (const std::string& k : old) drives.remove(k);
    const std::string key = std::string(1, d.letter) + ":";
    if (d.read_only) {
      YAML::Node m;
      m["path"] = d.host_dir.string();
      m["readOnly"] = true;
      drives[key] = m;
    } else {
      drives[key] = d.host_dir.string();
    }
  }
  YAML::Emitter out;
  out << doc;
  return "# Windows namespace " + ns.name + ", written by `ireactor ns create --from " +
         from.string() + "`.\n" + out.c_str() + "\n";
}

}  // namespace ireactor::cli
