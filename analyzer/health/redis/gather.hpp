#pragma once
// Gathers what the Redis checks evaluate, read-only and bounded: INFO, SLOWLOG, a SCAN sample of at
// most redis.scan_keys keys, and the consumer groups of at most redis.scan_streams streams.

#include <vector>

#include "analyzer/health/check.hpp"
#include "analyzer/health/redis/checks.hpp"
#include "analyzer/engines/redis/redis_client.hpp"

namespace dbvet::health::redis {

using Session = engines::redis::RedisClient;

core::Expected<Info> gather_info(Session& session);
core::Expected<SlowlogSample> gather_slowlog(Session& session);
core::Expected<KeySample> gather_key_sample(Session& session, const Thresholds& thresholds);
core::Expected<std::vector<StreamGroup>> gather_streams(Session& session, const Thresholds& thresholds);

// Runs every Redis check into `target`.
void run_redis_checks(Session& session, const Thresholds& thresholds, TargetHealth& target);

}  // namespace dbvet::health::redis
