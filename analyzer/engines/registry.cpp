#include "analyzer/engines/registry.hpp"

#include <algorithm>
#include <array>

namespace dbvet::engines {

// Each engine's row, defined in its folder; only the engines this dbvet is built with are listed.
namespace sqlite {
const Driver& driver();
}
#ifdef DBVET_WITH_MYSQL
namespace mysql {
const Driver& driver();
}
#endif
#ifdef DBVET_WITH_POSTGRES
namespace postgres {
const Driver& driver();
}
#endif
#ifdef DBVET_WITH_REDIS
namespace redis {
const Driver& driver();
}
#endif

std::span<const Driver* const> drivers() {
  // Sorted by engine name: --version lists them in this order.
  static const auto all = std::to_array<const Driver*>({
#ifdef DBVET_WITH_MYSQL
      &mysql::driver(),
#endif
#ifdef DBVET_WITH_POSTGRES
      &postgres::driver(),
#endif
#ifdef DBVET_WITH_REDIS
      &redis::driver(),
#endif
      &sqlite::driver(),
  });
  return all;
}

const Driver* find_driver(core::Engine engine) {
  for (const auto* driver : drivers()) {
    if (driver->description->engine == engine) return driver;
  }
  return nullptr;
}

const Driver* find_driver(std::string_view scheme) {
  auto info = core::find_scheme(scheme);
  return info ? find_driver(info->engine) : nullptr;
}

core::Error not_compiled(core::Engine engine) {
  return core::make_error(core::ErrorKind::unsupported, std::string("this dbvet was built without the ") +
                                                            std::string(core::engine_name(engine)) + " engine");
}

}  // namespace dbvet::engines
