// Checked access to a YAML document (yaml_document.h): every problem becomes a Diagnostic at the
// node's file:line:column, and reading goes on so one pass reports them all.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ireactor/policy/model.h"
#include "yaml_document.h"

namespace ireactor::policy {

struct Field {
  std::string name;
  const YamlNode* key;
  const YamlNode* value;
};

// A mapping's entries in file order, keys checked.
struct Fields {
  const YamlNode* node;        // the mapping (or the null standing for an empty one)
  std::vector<Field> entries;  // without the keys refused (unknown, duplicate, not a name)

  // The value under `key`, or nullptr when absent.
  const YamlNode* get(std::string_view key) const;
  bool has(std::string_view key) const { return get(key) != nullptr; }
};

class YamlReader {
 public:
  YamlReader(std::string file, std::vector<Diagnostic>& diagnostics)
      : file_(std::move(file)), diagnostics_(diagnostics) {}

  SourceLocation at(const YamlNode& node) const;
  void error(const YamlNode& node, const std::string& message);
  void warning(const YamlNode& node, const std::string& message);
  void error_at(const SourceLocation& where, const std::string& message);
  void warning_at(const SourceLocation& where, const std::string& message);
  bool has_errors() const;

  // A mapping (null counts as empty). `keys`: the keys allowed, others are errors with a
  // suggestion; nullopt: any key. Duplicate keys are errors. nullopt when not a mapping.
  std::optional<Fields> mapping(const YamlNode& node, const std::string& path,
                                const std::optional<std::vector<std::string>>& keys);
  // A sequence (null counts as empty); nullopt when not one.
  std::optional<std::span<const YamlNode* const>> sequence(const YamlNode& node,
                                                           const std::string& path);
  std::optional<std::string> scalar(const YamlNode& node, const std::string& path);
  std::optional<bool> boolean(const YamlNode& node, const std::string& path);
  // One of `choices`, with a suggestion when misspelt.
  std::optional<std::string> choice(const YamlNode& node, const std::string& path,
                                    const std::vector<std::string>& choices);
  // A decimal or 0x number no larger than `max`.
  std::optional<uint64_t> number(const YamlNode& node, const std::string& path, uint64_t max);

  // Errors for each of `keys` missing from `fields` (at the mapping).
  bool require(const Fields& fields, const std::string& path, const std::vector<std::string>& keys);

 private:
  std::string file_;
  std::vector<Diagnostic>& diagnostics_;
};

// "spec.devices" + "allow" -> "spec.devices.allow"; "" + "spec" -> "spec".
std::string join_path(const std::string& path, const std::string& key);
std::string index_path(const std::string& path, size_t index);  // "...allow[2]"
std::string kind_name(const YamlNode& node);  // "a mapping", "a list", "a scalar", "nothing"

}  // namespace ireactor::policy
