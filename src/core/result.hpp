// Result<T>: the value of an operation that can fail in an expected way (a file is not a
// PDF, a row is missing, a converter timed out). Expected failures are values; exceptions are
// only for broken invariants and lost infrastructure (caught in the worker loop and, later,
// the HTTP dispatch).
//
// An Error carries a code (what kind of failure: decides retries and HTTP statuses) and a
// message: one sentence a person understands, never an exception dump.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace wenku {

enum class ErrorCode {
  kNotFound,
  kConflict,
  kInvalidInput,
  kUnsupportedType,
  kEncrypted,
  kCorrupt,
  kEmptyFile,
  kConversionFailed,
  kTimeout,
  kResourceLimit,
  kIo,
  kInternal,
  // Web and accounts.
  kUnauthenticated,     // not logged in
  kForbidden,           // logged in, but not allowed
  kInsufficientPoints,  // the download costs points the caller does not have
  kRateLimited,
  kTooLarge,
  kUnavailable,  // a service we need is not there now (the converter sandbox, a full pool)
  kBusy,         // at capacity right now (a full queue, a visitor's limit): try again shortly
  kRemoved,      // taken down by a moderator (the message: the reason, e.g. "copyright")
};

// A stable, lower-case name for the code ("not_found", "encrypted", …), used in JSON and logs.
std::string_view ErrorCodeName(ErrorCode code);

// True when trying again later may succeed (I/O hiccups, internal errors); false when the
// input itself is the problem and a retry would fail the same way.
bool IsTransient(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_{ErrorCode::kInternal, ""};
  bool ok_ = true;
};

using Status = Result<void>;

inline Error MakeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace wenku

// Returns the error of `expr` (a Result) from the enclosing function when it failed.
#define WENKU_TRY(expr)                                            \
  do {                                                             \
    auto&& wenku_try_result_ = (expr);                             \
    if (!wenku_try_result_.ok()) return wenku_try_result_.error(); \
  } while (0)
