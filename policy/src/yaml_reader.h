// Checked access to a yaml-cpp document: every problem becomes a Diagnostic at the node's
// file:line:column, and reading goes on so one pass reports them all.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ireactor/policy/model.h"

namespace ireactor::policy {

// A mapping's entries in file order, keys checked.
struct Fields {
  YAML::Node node;
  std::vector<std::pair<std::string, std::pair<YAML::Node, YAML::Node>>> entries;

  // The value under `key`, or an undefined node (!IsDefined()) when absent.
  YAML::Node get(const std::string& key) const;
  bool has(const std::string& key) const { return get(key).IsDefined(); }
};

class YamlReader {
 public:
  YamlReader(std::string file, std::vector<Diagnostic>& diagnostics)
      : file_(std::move(file)), diagnostics_(diagnostics) {}

  SourceLocation at(const YAML::Node& node) const;
  void error(const YAML::Node& node, const std::string& message);
  void warning(const YAML::Node& node, const std::string& message);
  void error_at(const SourceLocation& where, const std::string& message);
  void warning_at(const SourceLocation& where, const std::string& message);
  bool has_errors() const;

  // A mapping (null counts as empty). `keys`: the keys allowed, others are errors with a
  // suggestion; nullopt: any key. Duplicate keys are errors. nullopt when not a mapping.
  std::optional<Fields> mapping(const YAML::Node& node, const std::string& path,
                                const std::optional<std::vector<std::string>>& keys);
  // A sequence (null counts as empty); nullopt when not one.
  std::optional<std::vector<YAML::Node>> sequence(const YAML::Node& node, const std::string& path);
  std::optional<std::string> scalar(const YAML::Node& node, const std::string& path);
  std::optional<bool> boolean(const YAML::Node& node, const std::string& path);
  // One of `choices`, with a suggestion when misspelt.
  std::optional<std::string> choice(const YAML::Node& node, const std::string& path,
                                    const std::vector<std::string>& choices);
  // A decimal or 0x number no larger than `max`.
  std::optional<uint64_t> number(const YAML::Node& node, const std::string& path, uint64_t max);

  // Errors for each of `keys` missing from `fields` (at the mapping).
  bool require(const Fields& fields, const std::string& path, const std::vector<std::string>& keys);

 private:
  std::string file_;
  std::vector<Diagnostic>& diagnostics_;
};

// "spec.devices" + "allow" -> "spec.devices.allow"; "" + "spec" -> "spec".
std::string join_path(const std::string& path, const std::string& key);
std::string index_path(const std::string& path, size_t index);  // "...allow[2]"
std::string kind_name(const YAML::Node& node);  // "a mapping", "a list", "a scalar", "nothing"

}  // namespace ireactor::policy
