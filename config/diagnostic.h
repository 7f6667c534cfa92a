// One validation finding: an Error (message, place) with its severity (common/result.h). Errors
// stop a load; warnings are said by `validate` (every output format prints this one list) but do
// not stop it.
#pragma once

#include <string>

#include "common/result.h"

namespace branchcast {

using Diagnostic = Error;

inline Diagnostic make_diagnostic(Error e, Severity severity = Severity::kError) {
  e.severity = severity;
  return e;
}

}  // namespace branchcast
