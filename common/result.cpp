#include "common/result.h"

namespace branchcast {

std::string Error::to_string() const {
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.line > 0) {
      out += ':' + std::to_string(where.line);
      if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    out += ": ";
  }
  out += severity == Severity::kWarning ? "warning: " : "error: ";
  out += message;
  return out;
}

Error make_error(std::string message, SourcePlace where) {
  return Error{std::move(message), std::move(where)};
}

}  // namespace branchcast
