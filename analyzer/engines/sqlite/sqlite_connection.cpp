#include "analyzer/engines/sqlite/sqlite_connection.hpp"

namespace dbvet::engines::sqlite {

// Placeholder until the engine lands; keeps the dispatch table complete.
Expected<std::unique_ptr<Connection>> connect_sqlite(const core::TargetUrl& /*url*/, const ConnectOptions& /*options*/) {
  return core::make_error(core::ErrorKind::unsupported, "the sqlite engine is not implemented yet");
}

}  // namespace dbvet::engines::sqlite
