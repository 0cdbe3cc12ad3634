#include "policy_applier.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "atomic_file.h"
#include "ireactor/policy/namespace_cgroup.h"
#include "ireactor/policy/namespace_store.h"
#include "ireactor/policy/parse.h"

namespace ireactor::agent {

namespace {

// Generations whose rule tables are kept for naming the rules of late audit events.
constexpr size_t kRuleTablesKept = 64;

std::string joined(const std::vector<policy::Diagnostic>& diags) {
  std::string out;
  for (const auto& d : diags) out += d.str() + "\n";
  return out;
}

policy::Diagnostic file_error(const std::filesystem::path& file, std::string message) {
  policy::Diagnostic d;
  d.where.file = file.string();
  d.where.line = 1;
  d.where.column = 1;
  d.error = true;
  d.message = std::move(message);
  return d;
}

// What makes one set in force differ from another: which namespaces, their file content, and
// the cgroups they key on.
using Fingerprint = std::set<std::tuple<std::string, std::string, uint32_t, uint64_t>>;

Fingerprint fingerprint(const std::map<std::string, NamespaceInForce>& set) {
  Fingerprint f;
  for (const auto& [name, e] : set) f.emplace(name, e.policy.source_sha256, e.ns_id, e.cgroup_id);
  return f;
}

// NAME.yaml files of the policy directory, in name order; editors' and installers' temporary
// files (hidden, or other suffixes) are not policies.
std::vector<std::filesystem::path> policy_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::filesystem::path& p = entry.path();
    const std::string name = p.filename().string();
    if (p.extension() != ".yaml" || name.front() == '.' || !entry.is_regular_file(ec)) continue;
    files.push_back(p);
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

PolicyApplier::PolicyApplier(policy::HostPaths paths, guard::Guard& guard,
                             const PreviousStatus& previous)
    : paths_(std::move(paths)),
      guard_(guard),
      link_cgroup_(previous.cgroup_ids),
      generation_(previous.generation) {}

std::map<std::string, NamespaceInForce> PolicyApplier::read_policy_dir(Rejections& rejected) {
  std::map<std::string, NamespaceInForce> next;
  for (const std::filesystem::path& file : policy_files(paths_.policy_dir)) {
    const std::string name = file.stem().string();
    const auto old = in_force_.find(name);
    auto keep_last_good = [&] {
      if (old != in_force_.end()) {
        next.emplace(name, old->second);
      } else if (!applied_once_) {
        // First apply of this agent: what its predecessor had in force was saved aside.
        if (auto saved = read_saved_policy(name, file)) next.emplace(name, std::move(*saved));
      }
    };
    std::optional<std::string> text = read_file(file);
    if (!text) continue;  // deleted between listing and reading: as if never listed
    policy::ParseResult parsed = policy::parse_policy_text(*text, file.string());
    if (!parsed.ok()) {
      rejected[file.string()] = parsed.diagnostics;
      keep_last_good();
      continue;
    }
    policy::NamespacePolicy& p = *parsed.policy;
    if (p.name != name) {
      auto& diags = rejected[file.string()] = parsed.diagnostics;
      diags.push_back(file_error(file, "metadata.name \"" + p.name +
                                           "\" differs from the file name: the file of namespace "
                                           "\"" +
                                           p.name + "\" is " + p.name + ".yaml"));
      keep_last_good();
      continue;
    }
    if (old != in_force_.end() && old->second.policy.source_sha256 == p.source_sha256) {
      next.emplace(name, old->second);  // unchanged: keeps the generation it went in with
      continue;
    }
    NamespaceInForce entry;
    entry.file = file;
    entry.policy = std::move(p);
    entry.text = std::move(*text);
    next.emplace(name, std::move(entry));
  }
  return next;
}

std::optional<NamespaceInForce> PolicyApplier::read_saved_policy(
    const std::string& ns, const std::filesystem::path& file) const {
  std::optional<std::string> text = read_file(saved_policy_file(ns));
  if (!text) return std::nullopt;
  policy::ParseResult parsed = policy::parse_policy_text(*text, file.string());
  if (!parsed.ok() || parsed.policy->name != ns) return std::nullopt;
  spdlog::info("namespace {}: keeps the policy in force before this agent started (saved as {})",
               ns, saved_policy_file(ns).string());
  NamespaceInForce entry;
  entry.file = file;
  entry.policy = std::move(*parsed.policy);
  entry.text = std::move(*text);
  return entry;
}

std::filesystem::path PolicyApplier::saved_policy_file(const std::string& ns) const {
  return paths_.state_dir / "in-force" / (ns + ".yaml");
}

void PolicyApplier::save_in_force(uint32_t generation) {
  const std::filesystem::path dir = paths_.state_dir / "in-force";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  for (const auto& [name, e] : in_force_)
    if (e.generation == generation && !e.text.empty()) {
      try {
        write_file_atomically(saved_policy_file(name), e.text);
      } catch (const std::exception& ex) {
        spdlog::warn("namespace {}: cannot save the policy in force: {}", name, ex.what());
      }
    }
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string ns = entry.path().stem().string();
    if (entry.path().extension() == ".yaml" && !in_force_.count(ns))
      std::filesystem::remove(entry.path(), ec);
  }
}

bool PolicyApplier::prepare_cgroup(const std::string& ns, NamespaceInForce& entry,
                                   Rejections& rejected) {
  try {
    if (entry.ns_id == 0) entry.ns_id = policy::namespace_id(paths_, ns);
    ns_names_[entry.ns_id] = ns;
    entry.cgroup_dir = policy::ensure_namespace_cgroup(paths_, ns);
    entry.cgroup_id = policy::cgroup_id(entry.cgroup_dir);
    const auto linked = link_cgroup_.find(ns);
    if (linked != link_cgroup_.end() && linked->second != entry.cgroup_id) {
      // The cgroup was removed and made again: the pinned links belong to the dead one.
      spdlog::info("namespace {}: cgroup {} is new (id {}, was {}), attaching again", ns,
                   entry.cgroup_dir.string(), entry.cgroup_id, linked->second);
      guard_.detach_namespace(ns);
      attached_this_run_.erase(ns);
    }
    if (!attached_this_run_[ns]) {
      guard_.attach_namespace(ns, entry.cgroup_dir);
      attached_this_run_[ns] = true;
      link_cgroup_[ns] = entry.cgroup_id;
    }
    return true;
  } catch (const std::exception& e) {
    rejected[entry.file.string()].push_back(
        file_error(entry.file, std::string("cannot enforce namespace ") + ns + ": " + e.what()));
    return false;
  }
}

void PolicyApplier::detach_removed(const std::map<std::string, NamespaceInForce>& next) {
  std::set<std::string> gone;
  for (const auto& [ns, id] : link_cgroup_)
    if (!next.count(ns)) gone.insert(ns);
  for (const std::string& ns : gone) {
    try {
      guard_.detach_namespace(ns);
      spdlog::info("namespace {}: no policy file any more, no longer enforced", ns);
    } catch (const std::exception& e) {
      spdlog::error("namespace {}: cannot detach its cgroup programs: {}", ns, e.what());
    }
    link_cgroup_.erase(ns);
    attached_this_run_.erase(ns);
  }
}

bool PolicyApplier::apply() {
  Rejections rejected;
  std::map<std::string, NamespaceInForce> next = read_policy_dir(rejected);
  for (auto it = next.begin(); it != next.end();)
    it = prepare_cgroup(it->first, it->second, rejected) ? std::next(it) : next.erase(it);
  report_rejected(rejected);

  if (applied_once_ && fingerprint(next) == fingerprint(in_force_)) {
    in_force_ = std::move(next);
    return false;
  }

  uint32_t generation = generation_ + 1;
  if (generation == 0) generation = 1;  // 0 reads as "none" in status.json
  std::vector<policy::NamespaceInput> inputs;
  for (const auto& [name, e] : next) inputs.push_back({&e.policy, e.ns_id, e.cgroup_id});
  policy::CompiledSet set = policy::compile_policy_set(inputs, generation);
  std::vector<guard::PolicyEntry> entries;
  entries.reserve(set.entries.size());
  for (const policy::MapEntry& m : set.entries) entries.push_back({m.key, m.value});
  guard_.swap_policy(entries);  // throws: the previous set stays in force, and our state too

  generation_ = generation;
  applied_once_ = true;
  for (auto& [name, e] : next)
    if (e.generation == 0) e.generation = generation;
  // Dropped namespaces lose their cgroup programs only now that the set in force no longer
  // names them: detaching first would not open a gap either, but this order keeps one rule.
  detach_removed(next);
  in_force_ = std::move(next);
  save_in_force(generation);
  rules_[generation] = std::move(set.rules);
  while (rules_.size() > kRuleTablesKept) rules_.erase(rules_.begin());
  report_warnings(set.diagnostics);

  std::string names;
  for (const auto& [name, e] : in_force_) names += (names.empty() ? "" : ", ") + name;
  spdlog::info("generation {} in force: {} map entries, namespaces: {}", generation, entries.size(),
               names.empty() ? "(none)" : names);
  return true;
}

void PolicyApplier::report_rejected(const Rejections& now) {
  for (const auto& [file, diags] : now) {
    const auto before = rejected_.find(file);
    if (before != rejected_.end() && joined(before->second) == joined(diags)) continue;
    for (const auto& d : diags)
      if (d.error)
        spdlog::error("{}", d.str());
      else
        spdlog::warn("{}", d.str());
    const std::string ns = std::filesystem::path(file).stem().string();
    const auto kept = in_force_.find(ns);
    if (kept != in_force_.end())
      spdlog::error("{}: refused; namespace {} keeps its policy of generation {}", file, ns,
                    kept->second.generation);
    else
      spdlog::error("{}: refused; namespace {} is not enforced", file, ns);
  }
  for (const auto& [file, diags] : rejected_)
    if (!now.count(file)) spdlog::info("{}: accepted again", file);
  rejected_ = now;
}

void PolicyApplier::report_warnings(const std::vector<policy::Diagnostic>& now) {
  if (joined(now) != joined(warnings_))
    for (const auto& d : now) spdlog::warn("{}", d.str());
  warnings_ = now;
}

std::optional<std::string> PolicyApplier::ns_name(uint32_t ns_id) const {
  const auto it = ns_names_.find(ns_id);
  if (it == ns_names_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> PolicyApplier::rule_origin(uint32_t generation, uint32_t rule_id) const {
  const auto set = rules_.find(generation);
  if (set == rules_.end() || rule_id >= set->second.size()) return std::nullopt;
  const policy::SourceLocation& where = set->second[rule_id].where;
  return where.file + ":" + std::to_string(where.line);
}

}  // namespace ireactor::agent
