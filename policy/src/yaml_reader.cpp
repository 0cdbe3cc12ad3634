#include "yaml_reader.h"

#include <algorithm>

#include "numbers.h"
#include "suggest.h"

namespace ireactor::policy {

std::string join_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string index_path(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

std::string kind_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "\"" + node.Scalar() + "\"";
    default:
      return "nothing";
  }
}

YAML::Node Fields::get(const std::string& key) const {
  for (const auto& [k, kv] : entries)
    if (k == key) return kv.second;
  return YAML::Node(YAML::NodeType::Undefined);
}

SourceLocation YamlReader::at(const YAML::Node& node) const {
  SourceLocation where{file_, 0, 0};
  if (node.IsDefined()) {
    const YAML::Mark m = node.Mark();
    if (!m.is_null()) {
      where.line = m.line + 1;
      where.column = m.column + 1;
    }
  }
  return where;
}

void YamlReader::error(const YAML::Node& node, const std::string& message) {
  error_at(at(node), message);
}
void YamlReader::warning(const YAML::Node& node, const std::string& message) {
  warning_at(at(node), message);
}
void YamlReader::error_at(const SourceLocation& where, const std::string& message) {
  diagnostics_.push_back({where, true, message});
}
void YamlReader::warning_at(const SourceLocation& where, const std::string& message) {
  diagnostics_.push_back({where, false, message});
}

bool YamlReader::has_errors() const {
  return std::any_of(diagnostics_.begin(), diagnostics_.end(),
                     [](const Diagnostic& d) { return d.error; });
}

std::optional<Fields> YamlReader::mapping(const YAML::Node& node, const std::string& path,
                                          const std::optional<std::vector<std::string>>& keys) {
  Fields fields{node, {}};
  if (node.IsNull()) return fields;
  if (!node.IsMap()) {
    error(node, path + ": expected a mapping, found " + kind_name(node));
    return std::nullopt;
  }
  // Range-for keeps each (key, value) pair alive; it->first would dangle (a proxy temporary).
  for (const auto& pair : node) {
    const YAML::Node key = pair.first;
    const YAML::Node value = pair.second;
    if (!key.IsScalar()) {
      error(key, path + ": a key must be a plain name, found " + kind_name(key));
      continue;
    }
    const std::string name = key.Scalar();
    if (keys && std::find(keys->begin(), keys->end(), name) == keys->end()) {
      error(key, "unknown key \"" + join_path(path, name) + "\"" + did_you_mean(name, *keys));
      continue;
    }
    const YAML::Node first = fields.get(name);
    if (first.IsDefined()) {
      // The first one's key is where the duplicate was first written.
      for (const auto& [k, kv] : fields.entries)
        if (k == name)
          error(key, "duplicate key \"" + join_path(path, name) + "\" (first at line " +
                         std::to_string(at(kv.first).line) + ")");
      continue;
    }
    fields.entries.push_back({name, {key, value}});
  }
  return fields;
}

std::optional<std::vector<YAML::Node>> YamlReader::sequence(const YAML::Node& node,
                                                            const std::string& path) {
  std::vector<YAML::Node> items;
  if (node.IsNull()) return items;
  if (!node.IsSequence()) {
    error(node, path + ": expected a list, found " + kind_name(node));
    return std::nullopt;
  }
  for (const YAML::Node& item : node) items.push_back(item);
  return items;
}

std::optional<std::string> YamlReader::scalar(const YAML::Node& node, const std::string& path) {
  if (node.IsScalar() && !node.Scalar().empty()) return node.Scalar();
  if (node.IsNull() || node.IsScalar())
    error(node, path + ": missing value");
  else
    error(node, path + ": expected a single value, found " + kind_name(node));
  return std::nullopt;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& node, const std::string& path) {
  const auto text = scalar(node, path);
  if (!text) return std::nullopt;
  if (*text == "true" || *text == "True" || *text == "TRUE") return true;
  if (*text == "false" || *text == "False" || *text == "FALSE") return false;
  error(node, path + ": expected true or false, found \"" + *text + "\"");
  return std::nullopt;
}

std::optional<std::string> YamlReader::choice(const YAML::Node& node, const std::string& path,
                                              const std::vector<std::string>& choices) {
  const auto text = scalar(node, path);
  if (!text) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *text) != choices.end()) return text;
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  error(node, path + ": \"" + *text + "\" is not one of " + list + did_you_mean(*text, choices));
  return std::nullopt;
}

std::optional<uint64_t> YamlReader::number(const YAML::Node& node, const std::string& path,
                                           uint64_t max) {
  const auto text = scalar(node, path);
  if (!text) return std::nullopt;
  const auto value = parse_unsigned(*text);
  if (!value) {
    error(node, path + ": \"" + *text + "\" is not a number (decimal, or hexadecimal with 0x)");
    return std::nullopt;
  }
  if (*value > max) {
    error(node, path + ": " + *text + " is out of range (0.." + std::to_string(max) + ")");
    return std::nullopt;
  }
  return value;
}

bool YamlReader::require(const Fields& fields, const std::string& path,
                         const std::vector<std::string>& keys) {
  bool all = true;
  for (const std::string& k : keys) {
    if (fields.has(k)) continue;
    all = false;
    const std::string where = path.empty() ? "the document" : path;
    error(fields.node, where + ": missing required key \"" + k + "\"");
  }
  return all;
}

}  // namespace ireactor::policy
