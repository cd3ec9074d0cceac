#include "analyzer/health/gatherer.hpp"
#ifdef DBVET_WITH_REDIS
#include "analyzer/health/redis/gather.hpp"
#endif

namespace dbvet::health::redis {
namespace {

void run(const HealthTarget& target, const HealthOptions& options, TargetHealth& out) {
#ifdef DBVET_WITH_REDIS
  auto session = engines::redis::RedisClient::connect(target.url, options.connect_timeout);
  if (!session) {
    mark_down(out, session.error().message);
    return;
  }
  out.up = true;
  run_redis_checks(*session, options.thresholds, out);
  // A server that went away during the checks is down, whatever the checks managed before.
  if (auto ping = session->command({"PING"}); !ping) mark_down(out, ping.error().message);
#else
  (void)target;
  (void)options;
  mark_down(out, "this dbvet was built without the redis engine");
#endif
}

std::vector<std::string> check_ids() {
  return {"redis-hit-ratio",     "redis-evictions",  "redis-memory",
          "redis-fragmentation", "redis-clients",    "redis-rejected-connections",
          "redis-slowlog",       "redis-key-sample", "redis-streams"};
}

}  // namespace

const Gatherer& gatherer() {
  static const Gatherer row{.engine = core::Engine::redis, .run = run, .check_ids = check_ids};
  return row;
}

}  // namespace dbvet::health::redis
