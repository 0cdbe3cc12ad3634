// Checked access to a YAML document (yaml_document.h): every problem becomes a Diagnostic at the
// node's file:line:column, and reading goes on so one pass reports them all.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ireactor/policy/model.h"
#include "yaml_document.h"

namespace ireactor::policy {

// Where a value sits in the document, e.g. spec.devices.allow[2].major, kept as its parts and
// spelt out only for a diagnostic: spelling it for every value of a 10,000-rule policy cost a
// fifth of reading it. The keys are views of literals or of the document's text (both outlive
// any path).
class YamlPath {
 public:
  YamlPath() = default;                       // the document itself, spelt ""
  YamlPath key(std::string_view name) const;  // "spec" -> "spec.devices"
  YamlPath at(size_t index) const;            // "spec.devices.allow" -> "...allow[2]"
  std::string str() const;
  bool empty() const { return size_ == 0; }

 private:
  // A key (its text) or an index; 16 bytes, as every value read copies its parent's path.
  struct Part {
    const char* name = nullptr;
    uint32_t length = 0;
    uint32_t index = kKey;
  };
  static constexpr uint32_t kKey = UINT32_MAX;
  // The schema nests six deep at most (spec.ioctls.allow[0].cmd[1]).
  static constexpr size_t kMaxParts = 6;
  YamlPath with(const Part& part) const;

  std::array<Part, kMaxParts> parts_{};
  uint32_t size_ = 0;
};

struct Field {
  std::string_view name;  // the key's text
  const YamlNode* key;
  const YamlNode* value;
};

// A mapping's entries in file order, keys checked.
class Fields {
 public:
  explicit Fields(const YamlNode* node) : node_(node) {}

  const YamlNode& node() const { return *node_; }  // the mapping (or the null for an empty one)
  // Without the keys refused (unknown, duplicate, not a name).
  std::span<const Field> entries() const;
  // The value under `key`, or nullptr when absent.
  const YamlNode* get(std::string_view key) const;
  bool has(std::string_view key) const { return get(key) != nullptr; }

  void add(const Field& f);

 private:
  // A rule's mapping has a handful of keys: held here, with no allocation per rule.
  static constexpr size_t kInline = 8;
  const YamlNode* node_;
  std::array<Field, kInline> inline_{};
  size_t size_ = 0;
  std::vector<Field> more_;  // all of them, once there are more than kInline
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
  std::optional<Fields> mapping(const YamlNode& node, const YamlPath& path,
                                const std::optional<std::vector<std::string>>& keys);
  // A sequence (null counts as empty); nullopt when not one.
  std::optional<std::span<const YamlNode* const>> sequence(const YamlNode& node,
                                                           const YamlPath& path);
  // A non-empty scalar's text (it lives as long as the document).
  std::optional<std::string_view> scalar(const YamlNode& node, const YamlPath& path);
  std::optional<bool> boolean(const YamlNode& node, const YamlPath& path);
  // One of `choices`, with a suggestion when misspelt.
  std::optional<std::string_view> choice(const YamlNode& node, const YamlPath& path,
                                         const std::vector<std::string>& choices);
  // A decimal or 0x number no larger than `max`.
  std::optional<uint64_t> number(const YamlNode& node, const YamlPath& path, uint64_t max);

  // Errors for each of `keys` missing from `fields` (at the mapping).
  bool require(const Fields& fields, const YamlPath& path, const std::vector<std::string>& keys);

 private:
  std::string file_;
  std::vector<Diagnostic>& diagnostics_;
};

std::string kind_name(const YamlNode& node);  // "a mapping", "a list", "a scalar", "nothing"

}  // namespace ireactor::policy
