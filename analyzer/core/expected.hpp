#pragma once
// A small stand-in for C++23's std::expected: failures you can foresee (a refused connection, an
// unreadable log line) travel as values; only programming errors throw.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace dbvet::core {

// The kind decides the exit code of the contract: usage -> 2, everything else -> 3.
enum class ErrorKind {
  usage,        // malformed URL, unknown option value, bad configuration
  input,        // unreadable or malformed input file
  connection,   // server down, authentication failed, unknown database
  query,        // the server rejected a statement
  unsupported,  // an engine, format or feature that is not available
  internal,
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;

  int exit_code() const { return kind == ErrorKind::usage ? 2 : 3; }
};

inline Error make_error(ErrorKind kind, std::string message) { return Error{kind, std::move(message)}; }

template <class T>
class Expected {
 public:
  Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Expected(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const {
    assert(!has_value());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

// For operations that produce nothing but may fail.
struct Ok {};
using Status = Expected<Ok>;
inline Status ok() { return Ok{}; }

}  // namespace dbvet::core
