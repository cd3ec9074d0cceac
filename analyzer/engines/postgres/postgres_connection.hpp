#pragma once

#include <memory>

#include "analyzer/engines/connection.hpp"

namespace dbvet::engines::postgres {

Expected<std::unique_ptr<Connection>> connect_postgres(const core::TargetUrl& url, const ConnectOptions& options);

}  // namespace dbvet::engines::postgres
