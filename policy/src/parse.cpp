#include "ireactor/policy/parse.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <variant>

#include <fcntl.h>
#include <unistd.h>

#include "host_check.h"
#include "policy_reader.h"
#include "yaml_document.h"
#include "ireactor/policy/sha256.h"

namespace ireactor::policy {

namespace {

// 0 or the errno of the failure (a directory fails with EISDIR on read).
int read_whole_file(const std::filesystem::path& file, std::string& out) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return err;
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return 0;
}

}  // namespace

ParseResult parse_policy_text(const std::string& yaml, const std::string& name) {
  ParseResult result;
  YamlReader r(name, result.diagnostics);
  const auto loaded = load_yaml(yaml);
  if (const auto* e = std::get_if<YamlSyntaxError>(&loaded)) {
    // The parser stops at the first syntax error: there is only one to report.
    r.error_at({name, e->line, e->column}, "YAML syntax: " + e->message);
    return result;
  }
  const YamlDocuments& stream = std::get<YamlDocuments>(loaded);
  const std::vector<const YamlNode*>& documents = stream.roots;
  if (documents.empty() || documents[0]->is_null()) {
    r.error_at({name, 1, 1}, "empty policy: expected apiVersion, kind, metadata and spec");
    return result;
  }
  const char* kOneDocument = "a policy file holds one document (one namespace per file)";
  if (documents.size() > 1)
    r.error(*documents[1], kOneDocument);
  else if (stream.unread)
    r.error_at({name, stream.unread->first, stream.unread->second}, kOneDocument);
  NamespacePolicy policy = read_policy(r, *documents[0]);
  check_on_host(r, policy);  // on what could be read, so one pass reports everything
  std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::pair(a.where.line, a.where.column) <
                            std::pair(b.where.line, b.where.column);
                   });
  if (r.has_errors()) return result;
  policy.source_sha256 = sha256_hex(yaml);
  result.policy = std::move(policy);
  return result;
}

ParseResult parse_policy_file(const std::filesystem::path& file) {
  std::string text;
  if (int err = read_whole_file(file, text)) {
    ParseResult result;
    result.diagnostics.push_back(
        {{file.string(), 0, 0}, true, std::string("cannot read: ") + std::strerror(err)});
    return result;
  }
  return parse_policy_text(text, file.string());
}

}  // namespace ireactor::policy
