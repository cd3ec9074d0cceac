// Redis's row of the driver table (engines/registry.hpp): no SQL session, no what-if, no sandbox;
// health and the bench's cache variants use engines/redis/redis_client.hpp directly.

#include "analyzer/engines/registry.hpp"

namespace dbvet::engines::redis {
namespace {

Expected<std::unique_ptr<Connection>> connect(const core::TargetUrl&, const ConnectOptions&) {
  return core::make_error(core::ErrorKind::unsupported,
                          "redis targets have no SQL plans or schema; use them with health or bench --variant cache:");
}

}  // namespace

const EngineDescription& description();

const Driver& driver() {
  static const Driver row{
      .description = &description(),
      .connect = connect,
  };
  return row;
}

}  // namespace dbvet::engines::redis
