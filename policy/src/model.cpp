#include "ireactor/policy/model.h"

namespace ireactor::policy {

std::string SourceLocation::str() const {
  if (line <= 0) return file;  // e.g. a file that cannot be read has no position
  std::string s = file + ":" + std::to_string(line);
  if (column > 0) s += ":" + std::to_string(column);
  return s;
}

std::string Diagnostic::str() const {
  return where.str() + (error ? ": error: " : ": warning: ") + message;
}

}  // namespace ireactor::policy
