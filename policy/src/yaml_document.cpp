#include "yaml_document.h"

#include <yaml.h>

#include <algorithm>
#include <memory>
#include <new>
#include <unordered_map>

#include "text_positions.h"
#include "yaml_syntax_message.h"

namespace ireactor::policy {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string_view as_text(const yaml_char_t* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

// YAML's null spellings, as yaml-cpp read them (not "nULL", not "Nil").
bool spells_null(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// Deletes a parsed event at the end of its scope.
struct EventDeleter {
  yaml_event_t* e;
  ~EventDeleter() { yaml_event_delete(e); }
};

class Loader {
 public:
  explicit Loader(std::string_view text)
      : text_(text),
        positions_(text),
        // One first buffer large enough for the whole document (a node for every 7 bytes of
        // the usual policy, each 24 bytes, with its list entry and text): only the pages used
        // are ever touched, while growing by steps touched a third more.
        documents_{.roots = {},
                   .unread = {},
                   .arena = std::make_unique<std::pmr::monotonic_buffer_resource>(
                       std::max<size_t>(4096, 8 * text.size()))} {
    if (!yaml_parser_initialize(&parser_)) throw std::bad_alloc();
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~Loader() { yaml_parser_delete(&parser_); }
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  std::variant<YamlDocuments, YamlSyntaxError> run() {
    // Not zeroed here: yaml_parser_parse zeroes it first, and zeroing it again for each of a
    // large file's 80,000 events cost a twentieth of reading it.
    yaml_event_t event;
    for (;;) {
      if (!yaml_parser_parse(&parser_, &event)) {
        if (!unread_document()) return parser_error();
        const TextPosition at = positions_.at(parser_.problem_mark);
        documents_.unread = {at.line, at.column};
        return std::move(documents_);
      }
      const EventDeleter deleter{&event};
      const yaml_event_t& e = event;
      switch (e.type) {
        case YAML_DOCUMENT_START_EVENT:
          anchors_.clear();  // an alias names an anchor of its own document
          break;
        case YAML_SCALAR_EVENT:
          scalar(e);
          break;
        case YAML_SEQUENCE_START_EVENT:
          open(YamlNode::Kind::Sequence, e.start_mark, e.data.sequence_start.anchor,
               e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE);
          break;
        case YAML_MAPPING_START_EVENT:
          open(YamlNode::Kind::Mapping, e.start_mark, e.data.mapping_start.anchor,
               e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE);
          break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          close();
          break;
        case YAML_ALIAS_EVENT: {
          const auto anchor = anchors_.find(std::string(as_text(e.data.alias.anchor)));
          if (anchor == anchors_.end()) {
            const TextPosition at = positions_.at(e.start_mark);
            return YamlSyntaxError{at.line, at.column, "the referenced anchor is not defined"};
          }
          just_closed_.clear();
          add(*anchor->second);
          break;
        }
        case YAML_STREAM_END_EVENT:
          return std::move(documents_);
        default:
          break;
      }
    }
  }

 private:
  struct Open {
    YamlNode* node;
    bool flow;
    size_t first;                   // where its children start in items_ or entries_
    const YamlNode* key = nullptr;  // a mapping's key waiting for its value
  };

  YamlNode& new_node(YamlNode::Kind kind, TextPosition at, const yaml_char_t* anchor) {
    just_closed_.clear();
    YamlNode& n = *arena_.new_object<YamlNode>();
    n.kind = kind;
    n.line = at.line;
    n.column = at.column;
    // Before the node's content: yaml-cpp let a collection hold an alias of itself.
    if (anchor) anchors_[std::string(as_text(anchor))] = &n;
    return n;
  }

  // Into the open collection, or a document's root.
  void add(const YamlNode& n) {
    if (open_.empty()) {
      documents_.roots.push_back(&n);
      return;
    }
    Open& top = open_.back();
    if (top.node->is_sequence()) {
      items_.push_back(&n);
    } else if (!top.key) {
      top.key = &n;
    } else {
      entries_.emplace_back(top.key, &n);
      top.key = nullptr;
    }
  }

  void scalar(const yaml_event_t& e) {
    const auto& s = e.data.scalar;
    const std::string_view value(reinterpret_cast<const char*>(s.value), s.length);
    const bool null = s.style == YAML_PLAIN_SCALAR_STYLE && !s.tag && spells_null(value);
    // Nothing written (no anchor or tag either) has no width; yaml-cpp placed it at the next
    // token, libyaml right after the ':' or '-' before it.
    const bool nothing = e.start_mark.index == e.end_mark.index;
    const TextPosition at =
        nothing ? positions_.next_token(e.start_mark) : positions_.at(e.start_mark);
    YamlNode& n = new_node(null ? YamlNode::Kind::Null : YamlNode::Kind::Scalar, at, s.anchor);
    if (!null && !value.empty()) {
      char* text = static_cast<char*>(arena_.allocate_bytes(value.size(), 1));
      std::copy(value.begin(), value.end(), text);
      n.set_content(std::span<const char>(text, value.size()));
    }
    add(n);
  }

  void open(YamlNode::Kind kind, const yaml_mark_t& start, const yaml_char_t* anchor, bool flow) {
    YamlNode& n = new_node(kind, positions_.at(start), anchor);
    add(n);
    open_.push_back({&n, flow, kind == YamlNode::Kind::Sequence ? items_.size() : entries_.size()});
  }

  // The collection gets its children, copied to the arena at their final number.
  void close() {
    const Open& top = open_.back();
    if (top.node->is_sequence())
      top.node->set_content(move_to_arena(items_, top.first));
    else
      top.node->set_content(move_to_arena(entries_, top.first));
    if (!top.flow) just_closed_.push_back({top.node->is_sequence(), false, top.node->column});
    open_.pop_back();
  }

  template <class T>
  std::span<const T> move_to_arena(std::vector<T>& children, size_t first) {
    const size_t count = children.size() - first;
    if (count == 0) return {};
    T* kept = arena_.allocate_object<T>(count);
    std::uninitialized_copy(children.begin() + static_cast<std::ptrdiff_t>(first), children.end(),
                            kept);
    children.resize(first);
    return {kept, count};
  }

  // The error is only that text follows a complete document without "---" (YamlDocuments).
  bool unread_document() const {
    return parser_.error == YAML_PARSER_ERROR && parser_.problem &&
           parser_.problem == std::string_view("did not find expected <document start>") &&
           open_.empty() && !documents_.roots.empty();
  }

  YamlSyntaxError parser_error() const {
    if (parser_.error == YAML_MEMORY_ERROR) throw std::bad_alloc();
    if (parser_.error == YAML_READER_ERROR) {
      // Bytes that are not text (bad UTF-8, control characters): libyaml gives a byte offset.
      const TextPosition at = positions_.at_offset(parser_.problem_offset);
      return {at.line, at.column, parser_.problem ? parser_.problem : "not UTF-8 text"};
    }
    const TextPosition at = positions_.at(parser_.problem_mark);
    SyntaxProblem p;
    p.problem = parser_.problem ? parser_.problem : "";
    p.context = parser_.context ? parser_.context : "";
    p.text = text_.substr(positions_.offset_of(parser_.problem_mark));
    p.column = at.column;
    for (const Open& o : open_) p.open.push_back({o.node->is_sequence(), o.flow, o.node->column});
    p.open.insert(p.open.end(), just_closed_.rbegin(), just_closed_.rend());
    return {at.line, at.column, syntax_message(p)};
  }

  std::string_view text_;
  TextPositions positions_;
  yaml_parser_t parser_{};
  YamlDocuments documents_;
  std::pmr::polymorphic_allocator<> arena_{documents_.arena.get()};
  std::vector<Open> open_;
  // The children of the open collections, innermost last.
  std::vector<const YamlNode*> items_;
  std::vector<YamlNode::Entry> entries_;
  // Block collections closed since the last node, innermost first: for a syntax error, those
  // the offending token closed (see SyntaxProblem::open).
  std::vector<SyntaxProblem::Open> just_closed_;
  std::unordered_map<std::string, const YamlNode*> anchors_;
};

}  // namespace

std::variant<YamlDocuments, YamlSyntaxError> load_yaml(std::string_view text) {
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  return Loader(text).run();
}

}  // namespace ireactor::policy
