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

std::string kind_name(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::Mapping:
      return "a mapping";
    case YamlNode::Kind::Sequence:
      return "a list";
    case YamlNode::Kind::Scalar:
      return "\"" + std::string(node.text) + "\"";
    case YamlNode::Kind::Null:
      break;
  }
  return "nothing";
}

const YamlNode* Fields::get(std::string_view key) const {
  for (const Field& f : entries)
    if (f.name == key) return f.value;
  return nullptr;
}

SourceLocation YamlReader::at(const YamlNode& node) const {
  return {file_, node.line, node.column};
}

void YamlReader::error(const YamlNode& node, const std::string& message) {
  error_at(at(node), message);
}
void YamlReader::warning(const YamlNode& node, const std::string& message) {
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

std::optional<Fields> YamlReader::mapping(const YamlNode& node, const std::string& path,
                                          const std::optional<std::vector<std::string>>& keys) {
  Fields fields{&node, {}};
  if (node.is_null()) return fields;
  if (!node.is_mapping()) {
    error(node, path + ": expected a mapping, found " + kind_name(node));
    return std::nullopt;
  }
  fields.entries.reserve(node.entries.size());
  for (const auto& [key, value] : node.entries) {
    if (!key->is_scalar()) {
      error(*key, path + ": a key must be a plain name, found " + kind_name(*key));
      continue;
    }
    const std::string name(key->text);
    if (keys && std::find(keys->begin(), keys->end(), name) == keys->end()) {
      error(*key, "unknown key \"" + join_path(path, name) + "\"" + did_you_mean(name, *keys));
      continue;
    }
    if (fields.has(name)) {
      // The first one's key is where the duplicate was first written.
      for (const Field& first : fields.entries)
        if (first.name == name)
          error(*key, "duplicate key \"" + join_path(path, name) + "\" (first at line " +
                          std::to_string(first.key->line) + ")");
      continue;
    }
    fields.entries.push_back({name, key, value});
  }
  return fields;
}

std::optional<std::span<const YamlNode* const>> YamlReader::sequence(const YamlNode& node,
                                                                     const std::string& path) {
  if (node.is_null()) return std::span<const YamlNode* const>();
  if (!node.is_sequence()) {
    error(node, path + ": expected a list, found " + kind_name(node));
    return std::nullopt;
  }
  return node.items;
}

std::optional<std::string> YamlReader::scalar(const YamlNode& node, const std::string& path) {
  if (node.is_scalar() && !node.text.empty()) return std::string(node.text);
  if (node.is_null() || node.is_scalar())
    error(node, path + ": missing value");
  else
    error(node, path + ": expected a single value, found " + kind_name(node));
  return std::nullopt;
}

std::optional<bool> YamlReader::boolean(const YamlNode& node, const std::string& path) {
  const auto text = scalar(node, path);
  if (!text) return std::nullopt;
  if (*text == "true" || *text == "True" || *text == "TRUE") return true;
  if (*text == "false" || *text == "False" || *text == "FALSE") return false;
  error(node, path + ": expected true or false, found \"" + *text + "\"");
  return std::nullopt;
}

std::optional<std::string> YamlReader::choice(const YamlNode& node, const std::string& path,
                                              const std::vector<std::string>& choices) {
  const auto text = scalar(node, path);
  if (!text) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *text) != choices.end()) return text;
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  error(node, path + ": \"" + *text + "\" is not one of " + list + did_you_mean(*text, choices));
  return std::nullopt;
}

std::optional<uint64_t> YamlReader::number(const YamlNode& node, const std::string& path,
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
    error(*fields.node, where + ": missing required key \"" + k + "\"");
  }
  return all;
}

}  // namespace ireactor::policy
