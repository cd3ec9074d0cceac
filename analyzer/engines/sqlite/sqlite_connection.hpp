#pragma once

#include <memory>

#include "analyzer/engines/connection.hpp"

namespace dbvet::engines::sqlite {

Expected<std::unique_ptr<Connection>> connect_sqlite(const core::TargetUrl& url, const ConnectOptions& options);

}  // namespace dbvet::engines::sqlite
