#pragma once

#include <memory>

#include "analyzer/engines/connection.hpp"

namespace dbvet::engines::mysql {

Expected<std::unique_ptr<Connection>> connect_mysql(const core::TargetUrl& url, const ConnectOptions& options);

}  // namespace dbvet::engines::mysql
