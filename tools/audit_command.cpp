#include "audit_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "cli_error.h"
#include "ireactor/policy/host_paths.h"

namespace ireactor::cli {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr auto kFollowPoll = std::chrono::milliseconds(200);

struct AuditOptions {
  bool follow = false;
  bool json = false;
  std::string ns;
  int lines = -1;  // -1: all
  std::string file;
};

std::string field(const json& j, const char* key, const char* fallback = "-") {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// One event as an aligned line, e.g.
// 2026-11-25T10:00:00.123456Z office  4242 app.exe  device_open /dev/dri/renderD128 (c 226:128)
//   rw allow rule=/etc/ireactor/policy.d/office.yaml:12 layer=lsm
std::string text_line(const json& e) {
  const std::string event = field(e, "event");
  if (event == "lost")
    return field(e, "time") + " " + "LOST " + field(e, "count") +
           " audit events: the ring buffer was full (" + field(e, "total") + " lost in total)";
  char head[160];
  std::snprintf(head, sizeof head, "%-27s %-12s %7s %-15s %-12s", field(e, "time").c_str(),
                field(e, "ns").c_str(), field(e, "pid").c_str(), field(e, "image").c_str(),
                event.c_str());
  std::string line = head;
  if (event == "feature") {
    line += " " + field(e, "feature");
  } else {
    if (e.contains("device") && !e["device"].is_null()) line += " " + field(e, "device");
    if (e.contains("dev") && !e["dev"].is_null()) line += " (" + field(e, "dev") + ")";
    if (event == "ioctl")
      line += " cmd=" + field(e, "ioctl");
    else
      line += " " + field(e, "access");
  }
  line += " " + field(e, "decision") + " rule=" + field(e, "rule") + " layer=" + field(e, "layer");
  return line;
}

class Printer {
 public:
  explicit Printer(const AuditOptions& o) : o_(o) {}

  // Returns the line to print, if `raw` passes the filter.
  std::optional<std::string> format(const std::string& raw) {
    if (raw.empty()) return std::nullopt;
    json e = json::parse(raw, nullptr, /*allow_exceptions=*/false);
    if (!e.is_object()) {
      if (!warned_) std::fprintf(stderr, "ireactor: warning: skipping lines that are not JSON\n");
      warned_ = true;
      return std::nullopt;
    }
    // "lost" lines name no namespace and may concern any: shown under every filter.
    if (!o_.ns.empty() && field(e, "event") != "lost" && field(e, "ns", "") != o_.ns)
      return std::nullopt;
    return o_.json ? raw : text_line(e);
  }

 private:
  const AuditOptions& o_;
  bool warned_ = false;
};

// Reads whole lines from the log, keeping a partial last line until its newline arrives.
class LogReader {
 public:
  explicit LogReader(fs::path path) : path_(std::move(path)) {}
  ~LogReader() {
    if (f_) std::fclose(f_);
  }

  bool open() {
    f_ = std::fopen(path_.c_str(), "r");
    if (!f_) return false;
    struct stat st;
    ::fstat(::fileno(f_), &st);
    ino_ = st.st_ino;
    dev_ = st.st_dev;
    return true;
  }
  bool is_open() const { return f_ != nullptr; }

  template <typename F>
  void read_lines(F&& on_line) {
    if (!f_) return;
    char buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f_)) > 0) {
      pending_.append(buf, n);
      size_t start = 0, nl;
      while ((nl = pending_.find('\n', start)) != std::string::npos) {
        on_line(pending_.substr(start, nl - start));
        start = nl + 1;
      }
      pending_.erase(0, start);
    }
    std::clearerr(f_);  // EOF now; more may be appended
  }

  // After the rest of the old file is read: a new file under the name (logrotate) is opened
  // from its start; a file truncated in place is read again from its start.
  void check_rotation() {
    struct stat by_name, open_st;
    if (!f_) {
      open();
      return;
    }
    if (::stat(path_.c_str(), &by_name) != 0) return;  // moved away, new one not there yet
    if (by_name.st_ino != ino_ || by_name.st_dev != dev_) {
      std::fclose(f_);
      f_ = nullptr;
      pending_.clear();
      open();
    } else if (::fstat(::fileno(f_), &open_st) == 0 && open_st.st_size < std::ftell(f_)) {
      std::fseek(f_, 0, SEEK_SET);
      pending_.clear();
    }
  }

 private:
  fs::path path_;
  FILE* f_ = nullptr;
  ino_t ino_ = 0;
  dev_t dev_ = 0;
  std::string pending_;
};

void show_audit(const AuditOptions& o) {
  const fs::path path =
      o.file.empty() ? policy::HostPaths::from_environment().audit_log() : fs::path(o.file);
  LogReader reader(path);
  if (!reader.open() && !o.follow) {
    const int err = errno;
    fail("cannot read the audit log " + path.string() + ": " + std::strerror(err) +
         (err == ENOENT ? " (ireactord writes it once it runs)" : ""));
  }
  Printer printer(o);

  std::deque<std::string> last;  // -n: the last N matching lines of what is there now
  reader.read_lines([&](const std::string& raw) {
    auto line = printer.format(raw);
    if (!line) return;
    if (o.lines < 0) {
      std::printf("%s\n", line->c_str());
      return;
    }
    last.push_back(std::move(*line));
    if (static_cast<int>(last.size()) > o.lines) last.pop_front();
  });
  for (const auto& line : last) std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  if (!o.follow) return;

  for (;;) {
    std::this_thread::sleep_for(kFollowPoll);
    bool printed = false;
    auto print = [&](const std::string& raw) {
      if (auto line = printer.format(raw)) {
        std::printf("%s\n", line->c_str());
        printed = true;
      }
    };
    reader.read_lines(print);
    reader.check_rotation();
    reader.read_lines(print);
    if (printed && std::fflush(stdout) != 0) return;  // reader went away
  }
}

}  // namespace

void add_audit_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("audit", "Show the audit log ireactord writes");
  auto o = std::make_shared<AuditOptions>();
  cmd->add_flag("-f,--follow", o->follow, "Keep printing events as they are written");
  cmd->add_option("--ns", o->ns, "Only events of this namespace");
  cmd->add_flag("--json", o->json, "Print the log's JSON lines as they are");
  cmd->add_option("-n,--lines", o->lines, "Only the last N events (then follow, with -f)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--file", o->file, "Read this log instead (e.g. a rotated audit.jsonl.1)");
  cmd->callback([o] { show_audit(*o); });
}

}  // namespace ireactor::cli
