// Errors as values across module boundaries (after leveldb's Status).
//
// Result<T> holds either a T or an Error. Error carries a human-readable message and, where the
// error is about outside input, the place it points at (file, 1-based line and column; 0 = unknown).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace branchcast {

struct SourcePlace {
  std::string file;
  int line = 0;
  int column = 0;
};

// An error stops a file from loading; a warning (only from `validate`'s checks of what would go
// wrong on the wall) is reported but the file is still valid.
enum class Severity { kError, kWarning };

struct Error {
  std::string message;
  SourcePlace where;
  Severity severity = Severity::kError;

  // "file:line:col: error: message" ("warning: " for a warning), omitting the unknown parts.
  std::string to_string() const;
  bool is_warning() const { return severity == Severity::kWarning; }
};

Error make_error(std::string message, SourcePlace where = {});

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace branchcast
