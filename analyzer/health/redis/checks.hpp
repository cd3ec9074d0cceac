#pragma once
// Redis health checks. Gathering (INFO, SLOWLOG, a bounded SCAN, XINFO/XPENDING) fills the plain
// structs below; each evaluate_* is a pure function of them.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/health/check.hpp"

namespace dbvet::health::redis {

using Info = std::map<std::string, std::string>;

struct SlowlogSample {
  long long length = 0;
  struct Entry {
    long long id = 0;
    long long timestamp = 0;
    long long micros = 0;
    std::string command;
  };
  std::vector<Entry> slowest;
};

struct KeySample {
  long long scanned = 0;
  long long without_ttl = 0;
  long long database_keys = 0;  // DBSIZE
  struct BigKey {
    std::string key;
    std::string type;
    long long bytes = 0;
  };
  std::vector<BigKey> big_keys;  // above the threshold, largest first
};

struct StreamGroup {
  std::string stream;
  std::string group;
  long long consumers = 0;
  long long pending = 0;
  std::optional<long long> lag;                     // Redis 7 XINFO GROUPS "lag"; nil when unknown
  std::optional<long long> oldest_pending_idle_ms;  // XPENDING, the first pending entry
  long long stream_length = 0;
};

CheckResult evaluate_hit_ratio(const Info& info, const Thresholds& thresholds);
CheckResult evaluate_evictions(const Info& info, const Thresholds& thresholds);
CheckResult evaluate_memory(const Info& info, const Thresholds& thresholds);
CheckResult evaluate_fragmentation(const Info& info, const Thresholds& thresholds);
CheckResult evaluate_clients(const Info& info, const Thresholds& thresholds);
CheckResult evaluate_rejected_connections(const Info& info, const Thresholds& thresholds);
CheckResult evaluate_slowlog(const SlowlogSample& slowlog, const Thresholds& thresholds);
CheckResult evaluate_key_sample(const KeySample& sample, const Thresholds& thresholds);
CheckResult evaluate_streams(const std::vector<StreamGroup>& groups, const Thresholds& thresholds);

}  // namespace dbvet::health::redis
