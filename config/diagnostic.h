// One validation finding: an Error (message and place) with a severity. Errors stop a load;
// warnings are said by `validate` (every output format prints this one list) but do not.
#pragma once

#include <string>

#include "common/result.h"

namespace branchcast {

enum class Severity { kError, kWarning };

struct Diagnostic : Error {
  Severity severity = Severity::kError;

  bool is_warning() const { return severity == Severity::kWarning; }
  // "file:line:col: error: message" or "...: warning: message", omitting unknown parts.
  std::string to_string() const {
    std::string s = Error::to_string();
    if (is_warning()) {
      size_t at = s.find("error: ");
      if (at != std::string::npos) s.replace(at, 7, "warning: ");
    }
    return s;
  }
};

inline Diagnostic make_diagnostic(Error e, Severity severity = Severity::kError) {
  Diagnostic d;
  static_cast<Error&>(d) = std::move(e);
  d.severity = severity;
  return d;
}

}  // namespace branchcast
