// A YAML stream read into plain nodes in one pass over libyaml's events, keeping what the policy
// reader relies on: null told from a quoted "null", scalar text, where every node starts, mapping
// entries in file order with duplicate keys kept (so they can be reported).
#pragma once

#include <cstdint>
#include <memory>
#include <memory_resource>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace ireactor::policy {

struct YamlNode {
  // Null: nothing written, or a plain untagged ~, null, Null or NULL (YAML's null; quoted or
  // tagged, the same text is a Scalar).
  enum class Kind : uint8_t { Null, Scalar, Sequence, Mapping };
  using Entry = std::pair<const YamlNode*, const YamlNode*>;  // a mapping's key and value

  Kind kind = Kind::Null;
  // 1-based, counted as yaml-cpp did: lines end at '\n', columns count bytes. At the node's
  // anchor or tag when it has one; a node written as nothing is where the next token starts.
  int line = 0;
  int column = 0;

  std::string_view text() const {  // a Scalar's value
    return is_scalar() ? std::string_view(static_cast<const char*>(data_), size_)
                       : std::string_view();
  }
  std::span<const YamlNode* const> items() const {  // a Sequence's
    if (!is_sequence()) return {};
    return {static_cast<const YamlNode* const*>(data_), size_};
  }
  std::span<const Entry> entries() const {  // a Mapping's, in file order, duplicate keys kept
    if (!is_mapping()) return {};
    return {static_cast<const Entry*>(data_), size_};
  }

  bool is_null() const { return kind == Kind::Null; }
  bool is_scalar() const { return kind == Kind::Scalar; }
  bool is_sequence() const { return kind == Kind::Sequence; }
  bool is_mapping() const { return kind == Kind::Mapping; }

  // The loader's: what text(), items() or entries() view, as the kind says.
  template <class T>
  void set_content(std::span<const T> content) {
    data_ = content.data();
    size_ = static_cast<uint32_t>(content.size());
  }

 private:
  // One view for the three kinds: 24 bytes a node rather than 64 (a 10,000-rule policy has
  // some 70,000 nodes, and each reload touches their memory afresh).
  uint32_t size_ = 0;
  const void* data_ = nullptr;
};
static_assert(sizeof(YamlNode) <= 24);

// Every document of a stream. An alias is the very node its anchor names (anchors are per
// document; a node may hold an alias of itself), so nodes are shared and only this owns them.
struct YamlDocuments {
  std::vector<const YamlNode*> roots;  // one per document, in file order
  // Where text goes on after the last document without the "---" that starts another (the
  // first line indented deeper than the rest, say). libyaml stops there; yaml-cpp read on as a
  // further document, which is what policy files have reported it as.
  std::optional<std::pair<int, int>> unread;  // line, column
  // Every node, list and text, in one arena released at once: a 10,000-rule policy has some
  // 70,000 nodes, and allocating and freeing them one by one cost a third of reading it.
  std::unique_ptr<std::pmr::monotonic_buffer_resource> arena;
};

struct YamlSyntaxError {
  int line = 0;  // as YamlNode counts
  int column = 0;
  std::string message;
};

// The whole stream, or its first syntax error (libyaml stops there: there is only one).
std::variant<YamlDocuments, YamlSyntaxError> load_yaml(std::string_view text);

}  // namespace ireactor::policy
