#include <array>

#include "analyzer/health/gatherer.hpp"

namespace dbvet::health {

// Each engine's row, defined in health/<engine>/gatherer.cpp; an explicit list survives a static
// link. Engines built out still have a row, which reports the target down with the reason.
namespace postgres {
const Gatherer& gatherer();
}
namespace mysql {
const Gatherer& gatherer();
}
namespace sqlite {
const Gatherer& gatherer();
}
namespace redis {
const Gatherer& gatherer();
}

const Gatherer* find_gatherer(core::Engine engine) {
  static const std::array<const Gatherer*, 4> all{&postgres::gatherer(), &mysql::gatherer(), &sqlite::gatherer(),
                                                  &redis::gatherer()};
  for (const auto* gatherer : all) {
    if (gatherer->engine == engine) return gatherer;
  }
  return nullptr;
}

}  // namespace dbvet::health
