#ifdef DBVET_WITH_REDIS
#include "analyzer/health/redis/gather.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>

#include "fmt/format.h"

namespace dbvet::health::redis {
namespace {

using engines::redis::RedisReply;
using Reply = RedisReply;

// Integer replies, and strings holding numbers, as a number.
long long integer_of(const RedisReply& reply) {
  if (reply.type == RedisReply::Type::integer) return reply.integer;
  if (reply.type == RedisReply::Type::string || reply.type == RedisReply::Type::status) {
    return std::strtoll(reply.str.c_str(), nullptr, 10);
  }
  return 0;
}

core::Error reply_error(const std::string& what, const Reply& reply) {
  // "unknown command" and friends: the server does not offer it (an old version, a managed service).
  return core::make_error(core::ErrorKind::unsupported, fmt::format("{}: {}", what, reply.str));
}

// The keys of a SCAN page and the next cursor.
struct ScanPage {
  std::string cursor;
  std::vector<std::string> keys;
};

core::Expected<ScanPage> scan(Session& session, const std::string& cursor, const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {"SCAN", cursor};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto reply = session.command(argv);
  if (!reply) return reply.error();
  if (reply->is_error()) return reply_error("SCAN", *reply);
  if (reply->elements.size() != 2) return core::make_error(core::ErrorKind::query, "SCAN: unexpected reply");
  ScanPage page;
  page.cursor = reply->elements[0].str;
  for (const auto& key : reply->elements[1].elements) page.keys.push_back(key.str);
  return page;
}

}  // namespace

core::Expected<Info> gather_info(Session& session) {
  auto reply = session.command({"INFO", "all"});
  if (!reply) return reply.error();
  if (reply->is_error()) return reply_error("INFO", *reply);
  return engines::redis::parse_redis_info(reply->str);
}

core::Expected<SlowlogSample> gather_slowlog(Session& session) {
  auto replies = session.pipeline({{"SLOWLOG", "LEN"}, {"SLOWLOG", "GET", "5"}});
  if (!replies) return replies.error();
  if ((*replies)[0].is_error()) return reply_error("SLOWLOG", (*replies)[0]);
  SlowlogSample sample;
  sample.length = integer_of((*replies)[0]);
  for (const auto& entry : (*replies)[1].elements) {
    if (entry.elements.size() < 4) continue;
    SlowlogSample::Entry out;
    out.id = integer_of(entry.elements[0]);
    out.timestamp = integer_of(entry.elements[1]);
    out.micros = integer_of(entry.elements[2]);
    for (const auto& arg : entry.elements[3].elements) out.command += (out.command.empty() ? "" : " ") + arg.str;
    sample.slowest.push_back(std::move(out));
  }
  return sample;
}

core::Expected<KeySample> gather_key_sample(Session& session, const Thresholds& thresholds) {
  KeySample sample;
  auto size = session.command({"DBSIZE"});
  if (!size) return size.error();
  sample.database_keys = integer_of(*size);
  auto limit = static_cast<long long>(thresholds.get("redis.scan_keys"));
  auto big = static_cast<long long>(thresholds.get("redis.big_key_bytes"));
  std::string cursor = "0";
  int pages = 0;
  do {
    auto page = scan(session, cursor, {"COUNT", "200"});
    if (!page) return page.error();
    cursor = page->cursor;
    std::vector<std::vector<std::string>> commands;
    for (const auto& key : page->keys) {
      if (sample.scanned + static_cast<long long>(commands.size() / 3) >= limit) break;
      commands.push_back({"PTTL", key});
      commands.push_back({"MEMORY", "USAGE", key, "SAMPLES", "5"});
      commands.push_back({"TYPE", key});
    }
    auto replies = session.pipeline(commands);
    if (!replies) return replies.error();
    for (size_t i = 0; i + 2 < replies->size(); i += 3) {
      const auto& ttl = (*replies)[i];
      if (ttl.type == Reply::Type::integer && ttl.integer == -2) continue;  // expired meanwhile
      ++sample.scanned;
      if (ttl.type == Reply::Type::integer && ttl.integer == -1) ++sample.without_ttl;
      const auto& usage = (*replies)[i + 1];
      if (usage.type == Reply::Type::integer && usage.integer >= big) {
        sample.big_keys.push_back({commands[i][1], (*replies)[i + 2].str, usage.integer});
      }
    }
    ++pages;
  } while (cursor != "0" && sample.scanned < limit && pages < 1000);
  std::sort(sample.big_keys.begin(), sample.big_keys.end(),
            [](const auto& a, const auto& b) { return a.bytes > b.bytes; });
  return sample;
}

core::Expected<std::vector<StreamGroup>> gather_streams(Session& session, const Thresholds& thresholds) {
  auto max_streams = static_cast<size_t>(thresholds.get("redis.scan_streams"));
  std::vector<std::string> streams;
  std::string cursor = "0";
  int pages = 0;
  do {
    auto page = scan(session, cursor, {"COUNT", "1000", "TYPE", "stream"});
    if (!page) return page.error();
    cursor = page->cursor;
    for (auto& key : page->keys) {
      if (streams.size() < max_streams) streams.push_back(std::move(key));
    }
    ++pages;  // bounded: at most 100 pages of 1000 keys examined
  } while (cursor != "0" && streams.size() < max_streams && pages < 100);
  std::sort(streams.begin(), streams.end());

  std::vector<StreamGroup> groups;
  for (const auto& stream : streams) {
    auto replies = session.pipeline({{"XINFO", "GROUPS", stream}, {"XLEN", stream}});
    if (!replies) return replies.error();
    if ((*replies)[0].is_error()) continue;  // deleted meanwhile
    long long length = integer_of((*replies)[1]);
    for (const auto& group : (*replies)[0].elements) {
      StreamGroup out;
      out.stream = stream;
      out.stream_length = length;
      for (size_t i = 0; i + 1 < group.elements.size(); i += 2) {
        const std::string& field = group.elements[i].str;
        const Reply& value = group.elements[i + 1];
        if (field == "name") out.group = value.str;
        if (field == "consumers") out.consumers = integer_of(value);
        if (field == "pending") out.pending = integer_of(value);
        if (field == "lag" && value.type != Reply::Type::nil) out.lag = integer_of(value);
      }
      if (out.pending > 0) {
        auto oldest = session.command({"XPENDING", stream, out.group, "-", "+", "1"});
        if (oldest && !oldest->is_error() && !oldest->elements.empty() && oldest->elements[0].elements.size() >= 3) {
          out.oldest_pending_idle_ms = integer_of(oldest->elements[0].elements[2]);
        }
      }
      groups.push_back(std::move(out));
    }
  }
  return groups;
}

void run_redis_checks(Session& session, const Thresholds& thresholds, TargetHealth& target) {
  auto record = [&](const std::string& id, const std::function<core::Expected<CheckResult>()>& run) {
    auto start = std::chrono::steady_clock::now();
    auto result = run();
    record_check(target, id, std::move(result),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  };

  auto info = gather_info(session);
  if (info) {
    if (auto it = info->find("redis_version"); it != info->end()) target.server_version = it->second;
  }
  using Evaluate = CheckResult (*)(const Info&, const Thresholds&);
  const std::pair<const char*, Evaluate> info_checks[] = {
      {"redis-hit-ratio", evaluate_hit_ratio}, {"redis-evictions", evaluate_evictions},
      {"redis-memory", evaluate_memory},       {"redis-fragmentation", evaluate_fragmentation},
      {"redis-clients", evaluate_clients},     {"redis-rejected-connections", evaluate_rejected_connections},
  };
  for (const auto& [id, evaluate] : info_checks) {
    record(id, [&, evaluate = evaluate]() -> core::Expected<CheckResult> {
      if (!info) return info.error();
      return evaluate(*info, thresholds);
    });
  }
  record("redis-slowlog", [&]() -> core::Expected<CheckResult> {
    auto slowlog = gather_slowlog(session);
    if (!slowlog) return slowlog.error();
    return evaluate_slowlog(*slowlog, thresholds);
  });
  record("redis-key-sample", [&]() -> core::Expected<CheckResult> {
    auto sample = gather_key_sample(session, thresholds);
    if (!sample) return sample.error();
    return evaluate_key_sample(*sample, thresholds);
  });
  record("redis-streams", [&]() -> core::Expected<CheckResult> {
    auto groups = gather_streams(session, thresholds);
    if (!groups) return groups.error();
    return evaluate_streams(*groups, thresholds);
  });
}

}  // namespace dbvet::health::redis
#endif  // DBVET_WITH_REDIS
