#pragma once
// The one exception type of dbvet, caught once in main: for failures deep in a call chain that
// cannot continue (an invariant broken in input we promised to handle is an Error, not this).

#include <stdexcept>

#include "analyzer/core/expected.hpp"

namespace dbvet::core {

class FatalError : public std::runtime_error {
 public:
  explicit FatalError(Error error) : std::runtime_error(error.message), error_(std::move(error)) {}
  const Error& error() const { return error_; }

 private:
  Error error_;
};

}  // namespace dbvet::core
