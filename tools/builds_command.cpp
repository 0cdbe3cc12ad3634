#include "builds_command.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include "ntdll_location.h"
#include "windows_builds.h"

namespace ireactor::cli {

namespace {

struct BuildRow {
  std::string build, windows, ntdll;
  bool is_default;
};

std::vector<BuildRow> build_rows() {
  std::vector<BuildRow> rows;
  for (const std::string& b : supported_builds())
    rows.push_back({b, windows_release_name(b), find_ntdll(b).string(), b == kDefaultBuild});
  return rows;
}

void print_table(const std::vector<BuildRow>& rows) {
  std::printf("%-12s %-20s %-8s %s\n", "BUILD", "WINDOWS", "DEFAULT", "NTDLL");
  for (const BuildRow& r : rows)
    std::printf("%-12s %-20s %-8s %s\n", r.build.c_str(), r.windows.c_str(),
                r.is_default ? "yes" : "", r.ntdll.empty() ? "(not built)" : r.ntdll.c_str());
}

void print_json(const std::vector<BuildRow>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const BuildRow& r : rows)
    out.push_back({{"build", r.build},
                   {"windows", r.windows},
                   {"default", r.is_default},
                   {"ntdll", r.ntdll.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.ntdll)}});
  std::printf("%s\n", out.dump(2).c_str());
}

}  // namespace

void add_builds_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "builds", "List the Windows builds whose system call numbering ireactor can present");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print a JSON array instead of a table");
  cmd->callback([json] {
    const auto rows = build_rows();
    if (*json)
      print_json(rows);
    else
      print_table(rows);
  });
}

}  // namespace ireactor::cli
