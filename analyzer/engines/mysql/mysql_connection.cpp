#include "analyzer/engines/mysql/mysql_connection.hpp"

namespace dbvet::engines::mysql {

// Placeholder until the engine lands; keeps the dispatch table complete.
Expected<std::unique_ptr<Connection>> connect_mysql(const core::TargetUrl& /*url*/, const ConnectOptions& /*options*/) {
  return core::make_error(core::ErrorKind::unsupported, "the mysql engine is not implemented yet");
}

}  // namespace dbvet::engines::mysql
