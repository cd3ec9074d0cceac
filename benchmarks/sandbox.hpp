#pragma once
// The bench's variants run in the engines' sandbox (analyzer/engines/sandbox.hpp), which the
// audit's MariaDB what-if shares.

#include "analyzer/engines/sandbox.hpp"

namespace dbvet::bench {
using engines::Sandbox;
}  // namespace dbvet::bench
