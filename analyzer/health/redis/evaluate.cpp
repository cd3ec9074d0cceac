// Pure evaluations of the Redis checks.
#include "analyzer/health/redis/checks.hpp"
#include "fmt/format.h"

namespace dbvet::health::redis {
namespace {

using model::Severity;

double value_of(const Info& info, const std::string& name) {
  auto it = info.find(name);
  return it == info.end() ? 0 : to_number(it->second).value_or(0);
}

}  // namespace

CheckResult evaluate_hit_ratio(const Info& info, const Thresholds& thresholds) {
  CheckResult out;
  double hits = value_of(info, "keyspace_hits");
  double misses = value_of(info, "keyspace_misses");
  double lookups = hits + misses;
  double ratio = lookups > 0 ? hits / lookups : 1;
  out.metrics.push_back(gauge("dbvet_cache_hit_ratio", "Share of block or key lookups served from memory", ratio,
                              {{"cache", "keyspace"}}));
  double wanted = thresholds.get("redis.hit_ratio");
  if (lookups >= thresholds.get("redis.hit_min_lookups") && ratio < wanted) {
    out.findings.push_back({"redis-hit-ratio", Severity::warning, "keyspace",
                            fmt::format("keyspace hit ratio is {} over {:.0f} lookups (below {}): keys expire too "
                                        "early, are evicted, or the application reads keys it never sets",
                                        format_ratio(ratio), lookups, format_ratio(wanted)),
                            ratio, wanted});
  }
  return out;
}

CheckResult evaluate_evictions(const Info& info, const Thresholds&) {
  CheckResult out;
  double evicted = value_of(info, "evicted_keys");
  out.metrics.push_back(gauge("dbvet_redis_evicted_keys", "Keys evicted since the server started", evicted));
  if (evicted > 0) {
    auto policy = info.count("maxmemory_policy") ? info.at("maxmemory_policy") : "";
    out.findings.push_back({"redis-evictions", Severity::warning, "maxmemory",
                            fmt::format("{:.0f} keys were evicted (policy {}): the data set outgrows maxmemory; raise "
                                        "it or give keys shorter TTLs",
                                        evicted, policy.empty() ? "unknown" : policy),
                            evicted, 0.0});
  }
  return out;
}

CheckResult evaluate_memory(const Info& info, const Thresholds& thresholds) {
  CheckResult out;
  double used = value_of(info, "used_memory");
  double max = value_of(info, "maxmemory");
  out.metrics.push_back(gauge("dbvet_redis_memory_used_bytes", "Memory used by Redis", used));
  out.metrics.push_back(gauge("dbvet_redis_maxmemory_bytes", "maxmemory (0: unlimited)", max));
  if (max <= 0) return out;
  double ratio = used / max;
  double limit = thresholds.get("redis.memory_ratio");
  if (ratio >= limit) {
    out.findings.push_back(
        {"redis-memory", ratio >= 1 ? Severity::error : Severity::warning, "maxmemory",
         fmt::format("Redis uses {} of maxmemory {} ({})", format_bytes(used), format_bytes(max), format_ratio(ratio)),
         ratio, limit});
  }
  return out;
}

CheckResult evaluate_fragmentation(const Info& info, const Thresholds& thresholds) {
  CheckResult out;
  double ratio = value_of(info, "mem_fragmentation_ratio");
  double used = value_of(info, "used_memory");
  out.metrics.push_back(gauge("dbvet_redis_fragmentation_ratio", "RSS over used memory", ratio));
  double limit = thresholds.get("redis.fragmentation_ratio");
  if (used >= thresholds.get("redis.fragmentation_min_bytes") && ratio >= limit) {
    out.findings.push_back({"redis-fragmentation", Severity::warning, "memory",
                            fmt::format("memory fragmentation ratio is {:.2f}: enable activedefrag or restart in a "
                                        "quiet hour",
                                        ratio),
                            ratio, limit});
  } else if (used >= thresholds.get("redis.fragmentation_min_bytes") && ratio > 0 && ratio < 1) {
    out.findings.push_back({"redis-fragmentation", Severity::warning, "memory",
                            fmt::format("fragmentation ratio {:.2f} is below 1: part of Redis is swapped out", ratio),
                            ratio, 1.0});
  }
  return out;
}

CheckResult evaluate_clients(const Info& info, const Thresholds& thresholds) {
  CheckResult out;
  double connected = value_of(info, "connected_clients");
  double max = value_of(info, "maxclients");
  out.metrics.push_back(gauge("dbvet_connections", "Client connections open", connected));
  if (max > 0) out.metrics.push_back(gauge("dbvet_connections_max", "Client connections allowed", max));
  out.metrics.push_back(
      gauge("dbvet_redis_blocked_clients", "Clients blocked on BLPOP, XREAD...", value_of(info, "blocked_clients")));
  double limit = thresholds.get("redis.clients_ratio");
  if (max > 0 && connected / max >= limit) {
    out.findings.push_back({"redis-clients", Severity::warning, "maxclients",
                            fmt::format("{:.0f} of {:.0f} client connections in use", connected, max), connected / max,
                            limit});
  }
  return out;
}

CheckResult evaluate_rejected_connections(const Info& info, const Thresholds&) {
  CheckResult out;
  double rejected = value_of(info, "rejected_connections");
  out.metrics.push_back(gauge("dbvet_redis_rejected_connections", "Connections rejected since start", rejected));
  if (rejected > 0) {
    out.findings.push_back({"redis-rejected-connections", Severity::warning, "maxclients",
                            fmt::format("{:.0f} connections were rejected because maxclients was reached", rejected),
                            rejected, 0.0});
  }
  return out;
}

CheckResult evaluate_slowlog(const SlowlogSample& slowlog, const Thresholds&) {
  CheckResult out;
  out.metrics.push_back(
      gauge("dbvet_redis_slowlog_entries", "Entries in the slow log", static_cast<double>(slowlog.length)));
  for (const auto& entry : slowlog.slowest) {
    out.top_queries.push_back({entry.command, 1, entry.micros / 1e6, entry.micros / 1e6, 0});
  }
  if (slowlog.length > 0) {
    std::string example = slowlog.slowest.empty() ? "" : slowlog.slowest.front().command;
    out.findings.push_back(
        {"redis-slowlog", Severity::info, "slowlog",
         fmt::format("the slow log holds {} commands{}", slowlog.length,
                     example.empty() ? ""
                                     : fmt::format(", the latest took {:.1f} ms: {}",
                                                   slowlog.slowest.front().micros / 1000.0, example)),
         static_cast<double>(slowlog.length), 0.0});
  }
  return out;
}

CheckResult evaluate_key_sample(const KeySample& sample, const Thresholds& thresholds) {
  CheckResult out;
  double ratio = sample.scanned > 0 ? static_cast<double>(sample.without_ttl) / static_cast<double>(sample.scanned) : 0;
  out.metrics.push_back(
      gauge("dbvet_redis_keys", "Keys in the database (DBSIZE)", static_cast<double>(sample.database_keys)));
  out.metrics.push_back(gauge("dbvet_redis_keys_without_ttl_ratio", "Share of sampled keys without a TTL", ratio));
  out.metrics.push_back(gauge("dbvet_redis_big_keys", "Sampled keys above the big-key threshold",
                              static_cast<double>(sample.big_keys.size())));
  double limit = thresholds.get("redis.no_ttl_ratio");
  if (sample.scanned > 0 && ratio >= limit) {
    out.findings.push_back({"redis-keys-without-ttl", Severity::info, "keyspace",
                            fmt::format("{} of {} sampled keys have no TTL: in a cache they live until evicted",
                                        sample.without_ttl, sample.scanned),
                            ratio, limit});
  }
  for (const auto& key : sample.big_keys) {
    out.findings.push_back({"redis-big-key", Severity::warning, key.key,
                            fmt::format("{} key {} takes {}: reads and deletes of it block the server; split it",
                                        key.type, key.key, format_bytes(static_cast<double>(key.bytes))),
                            static_cast<double>(key.bytes), thresholds.get("redis.big_key_bytes")});
  }
  return out;
}

CheckResult evaluate_streams(const std::vector<StreamGroup>& groups, const Thresholds& thresholds) {
  CheckResult out;
  double lag_limit = thresholds.get("redis.stream_lag");
  double pending_limit = thresholds.get("redis.stream_pending");
  double idle_limit = thresholds.get("redis.stream_pending_idle_seconds");
  for (const auto& group : groups) {
    Labels labels = {{"stream", group.stream}, {"group", group.group}};
    std::string object = group.stream + " / " + group.group;
    if (group.lag) {
      out.metrics.push_back(gauge("dbvet_stream_lag", "Entries of a stream not yet delivered to a consumer group",
                                  static_cast<double>(*group.lag), labels));
      if (static_cast<double>(*group.lag) >= lag_limit) {
        out.findings.push_back({"redis-stream-lag", Severity::warning, object,
                                fmt::format("consumer group {} of stream {} lags {} entries behind ({} consumers): "
                                            "add consumers or find what slows them",
                                            group.group, group.stream, *group.lag, group.consumers),
                                static_cast<double>(*group.lag), lag_limit});
      }
    }
    out.metrics.push_back(gauge("dbvet_stream_pending", "Entries delivered to a consumer group but not acknowledged",
                                static_cast<double>(group.pending), labels));
    double idle = group.oldest_pending_idle_ms ? static_cast<double>(*group.oldest_pending_idle_ms) / 1000 : 0;
    if (static_cast<double>(group.pending) >= pending_limit) {
      out.findings.push_back({"redis-stream-pending", Severity::warning, object,
                              fmt::format("consumer group {} of stream {} has {} unacknowledged entries: consumers "
                                          "crash or forget XACK; claim them with XAUTOCLAIM",
                                          group.group, group.stream, group.pending),
                              static_cast<double>(group.pending), pending_limit});
    } else if (group.pending > 0 && idle >= idle_limit) {
      out.findings.push_back({"redis-stream-pending", Severity::warning, object,
                              fmt::format("consumer group {} of stream {}: the oldest of {} unacknowledged entries has "
                                          "waited {:.0f} s",
                                          group.group, group.stream, group.pending, idle),
                              idle, idle_limit});
    }
  }
  return out;
}

}  // namespace dbvet::health::redis
