#include "yaml_reader.h"

#include <algorithm>
#include <stdexcept>

#include "numbers.h"
#include "suggest.h"

namespace ireactor::policy {

YamlPath YamlPath::with(const Part& part) const {
  if (size_ == kMaxParts) throw std::logic_error("policy reader: path nested too deep");
  YamlPath p = *this;
  p.parts_[p.size_++] = part;
  return p;
}

YamlPath YamlPath::key(std::string_view name) const {
  return with({name.data(), static_cast<uint32_t>(name.size()), kKey});
}

YamlPath YamlPath::at(size_t index) const {
  // A list of four billion entries does not fit a policy file's size.
  return with({nullptr, 0, static_cast<uint32_t>(index)});
}

std::string YamlPath::str() const {
  std::string s;
  for (size_t i = 0; i < size_; ++i) {
    const Part& p = parts_[i];
    if (p.index != kKey) {
      s += "[" + std::to_string(p.index) + "]";
    } else {
      if (i > 0) s += '.';
      s.append(p.name, p.length);
    }
  }
  return s;
}

std::string kind_name(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::Mapping:
      return "a mapping";
    case YamlNode::Kind::Sequence:
      return "a list";
    case YamlNode::Kind::Scalar:
      return "\"" + std::string(node.text()) + "\"";
    case YamlNode::Kind::Null:
      break;
  }
  return "nothing";
}

std::span<const Field> Fields::entries() const {
  if (!more_.empty()) return more_;
  return {inline_.data(), size_};
}

const YamlNode* Fields::get(std::string_view key) const {
  for (const Field& f : entries())
    if (f.name == key) return f.value;
  return nullptr;
}

void Fields::add(const Field& f) {
  if (more_.empty() && size_ < kInline) {
    inline_[size_++] = f;
    return;
  }
  if (more_.empty()) more_.assign(inline_.begin(), inline_.begin() + size_);
  more_.push_back(f);
  ++size_;
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

std::optional<Fields> YamlReader::mapping(const YamlNode& node, const YamlPath& path,
                                          const std::optional<std::vector<std::string>>& keys) {
  Fields fields(&node);
  if (node.is_null()) return fields;
  if (!node.is_mapping()) {
    error(node, path.str() + ": expected a mapping, found " + kind_name(node));
    return std::nullopt;
  }
  for (const auto& [key, value] : node.entries()) {
    if (!key->is_scalar()) {
      error(*key, path.str() + ": a key must be a plain name, found " + kind_name(*key));
      continue;
    }
    const std::string_view name = key->text();
    if (keys && std::find(keys->begin(), keys->end(), name) == keys->end()) {
      const std::string word(name);
      error(*key, "unknown key \"" + path.key(name).str() + "\"" + did_you_mean(word, *keys));
      continue;
    }
    if (fields.has(name)) {
      // The first one's key is where the duplicate was first written.
      for (const Field& first : fields.entries())
        if (first.name == name)
          error(*key, "duplicate key \"" + path.key(name).str() + "\" (first at line " +
                          std::to_string(first.key->line) + ")");
      continue;
    }
    fields.add({name, key, value});
  }
  return fields;
}

std::optional<std::span<const YamlNode* const>> YamlReader::sequence(const YamlNode& node,
                                                                     const YamlPath& path) {
  if (node.is_null()) return std::span<const YamlNode* const>();
  if (!node.is_sequence()) {
    error(node, path.str() + ": expected a list, found " + kind_name(node));
    return std::nullopt;
  }
  return node.items();
}

std::optional<std::string_view> YamlReader::scalar(const YamlNode& node, const YamlPath& path) {
  if (node.is_scalar() && !node.text().empty()) return node.text();
  if (node.is_null() || node.is_scalar())
    error(node, path.str() + ": missing value");
  else
    error(node, path.str() + ": expected a single value, found " + kind_name(node));
  return std::nullopt;
}

std::optional<bool> YamlReader::boolean(const YamlNode& node, const YamlPath& path) {
  const auto text = scalar(node, path);
  if (!text) return std::nullopt;
  if (*text == "true" || *text == "True" || *text == "TRUE") return true;
  if (*text == "false" || *text == "False" || *text == "FALSE") return false;
  error(node, path.str() + ": expected true or false, found \"" + std::string(*text) + "\"");
  return std::nullopt;
}

std::optional<std::string_view> YamlReader::choice(const YamlNode& node, const YamlPath& path,
                                                   const std::vector<std::string>& choices) {
  const auto text = scalar(node, path);
  if (!text) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *text) != choices.end()) return text;
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  const std::string word(*text);
  error(node,
        path.str() + ": \"" + word + "\" is not one of " + list + did_you_mean(word, choices));
  return std::nullopt;
}

std::optional<uint64_t> YamlReader::number(const YamlNode& node, const YamlPath& path,
                                           uint64_t max) {
  const auto text = scalar(node, path);
  if (!text) return std::nullopt;
  const auto value = parse_unsigned(*text);
  if (!value) {
    error(node, path.str() + ": \"" + std::string(*text) +
                    "\" is not a number (decimal, or hexadecimal with 0x)");
    return std::nullopt;
  }
  if (*value > max) {
    error(node, path.str() + ": " + std::string(*text) + " is out of range (0.." +
                    std::to_string(max) + ")");
    return std::nullopt;
  }
  return value;
}

bool YamlReader::require(const Fields& fields, const YamlPath& path,
                         const std::vector<std::string>& keys) {
  bool all = true;
  for (const std::string& k : keys) {
    if (fields.has(k)) continue;
    all = false;
    const std::string where = path.empty() ? "the document" : path.str();
    error(fields.node(), where + ": missing required key \"" + k + "\"");
  }
  return all;
}

}  // namespace ireactor::policy
