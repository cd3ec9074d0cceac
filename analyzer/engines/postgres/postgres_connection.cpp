#include "analyzer/engines/postgres/postgres_connection.hpp"

namespace dbvet::engines::postgres {

// Placeholder until the engine lands; keeps the dispatch table complete.
Expected<std::unique_ptr<Connection>> connect_postgres(const core::TargetUrl& /*url*/, const ConnectOptions& /*options*/) {
  return core::make_error(core::ErrorKind::unsupported, "the postgres engine is not implemented yet");
}

}  // namespace dbvet::engines::postgres
