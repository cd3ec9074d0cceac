// dbvet health on real Redis servers: a private instance that evicts keys, and Streams consumer
// groups on the shared test server (keys prefixed with the test's name, removed afterwards).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "analyzer/engines/redis/redis_client.hpp"
#include "analyzer/health/health.hpp"
#include "tests/integration/health_test_helpers.hpp"
#include "tests/support/test_env.hpp"

extern char** environ;

namespace dbvet {
namespace {

using testing::describe;
using testing::free_port;
using testing::reported;

using engines::redis::RedisClient;

// A redis-server of the test's own, so that its maxmemory and evictions touch nobody else.
class PrivateRedis {
 public:
  PrivateRedis() : port_(free_port()) {
    std::vector<std::string> args = {"redis-server",
                                     "--port",
                                     std::to_string(port_),
                                     "--bind",
                                     "127.0.0.1",
                                     "--save",
                                     "",
                                     "--appendonly",
                                     "no",
                                     "--maxmemory",
                                     "2mb",
                                     "--maxmemory-policy",
                                     "allkeys-lru",
                                     "--dir",
                                     testing::scratch_dir("private_redis").string()};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawnp(&pid_, "redis-server", nullptr, nullptr, argv.data(), environ) != 0) pid_ = -1;
  }
  ~PrivateRedis() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }
  RedisClient connect() const {
    for (int attempt = 0; attempt < 100; ++attempt) {
      auto client = RedisClient::connect(*core::parse_target_url(url()), std::chrono::seconds(1));
      if (client) return std::move(*client);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("private redis-server did not start on " + url());
  }
  bool started() const { return pid_ > 0; }

 private:
  int port_;
  pid_t pid_ = -1;
};

health::TargetHealth check(const std::string& url, const health::Thresholds& thresholds = {}) {
  health::HealthOptions options;
  options.thresholds = thresholds;
  return health::check_target({"cache", *core::parse_target_url(url)}, options);
}

TEST(HealthRedis, EvictingInstanceIsReported) {
  PrivateRedis server;
  ASSERT_TRUE(server.started());
  auto client = server.connect();
  // A clean instance first: no evictions, memory well under maxmemory.
  auto clean = check(server.url());
  ASSERT_TRUE(clean.up) << clean.error;
  EXPECT_FALSE(reported(clean, "redis-evictions")) << describe(clean);
  EXPECT_FALSE(reported(clean, "redis-memory")) << describe(clean);

  // 8 MB of values into 2 MB of maxmemory.
  std::string value(8192, 'x');
  std::vector<std::vector<std::string>> sets;
  for (int i = 0; i < 1000; ++i) sets.push_back({"SET", "key:" + std::to_string(i), value});
  ASSERT_TRUE(client.pipeline(sets));
  auto result = check(server.url());
  ASSERT_TRUE(result.up) << result.error;
  EXPECT_TRUE(reported(result, "redis-evictions")) << describe(result);
  EXPECT_TRUE(reported(result, "redis-keys-without-ttl")) << describe(result);
  bool evicted_metric = false;
  for (const auto& metric : result.metrics)
    evicted_metric |= metric.name == "dbvet_redis_evicted_keys" && metric.value > 0;
  EXPECT_TRUE(evicted_metric);
}

TEST(HealthRedis, LaggingConsumerGroupIsReported) {
  auto url = testing::server_url("REDIS");
  auto client = RedisClient::connect(*core::parse_target_url(url), std::chrono::seconds(5));
  ASSERT_TRUE(client) << client.error().message;
  const std::string lagging = "dbvet_it_health_streams:lagging";
  const std::string caught_up = "dbvet_it_health_streams:caught_up";
  client->command({"DEL", lagging, caught_up});
  std::vector<std::vector<std::string>> adds;
  for (int i = 0; i < 1500; ++i) {
    adds.push_back({"XADD", lagging, "*", "pet", std::to_string(i)});
    if (i < 20) adds.push_back({"XADD", caught_up, "*", "pet", std::to_string(i)});
  }
  ASSERT_TRUE(client->pipeline(adds));
  ASSERT_TRUE(client->command({"XGROUP", "CREATE", lagging, "notifier", "0"}));
  ASSERT_TRUE(client->command({"XREADGROUP", "GROUP", "notifier", "worker-1", "COUNT", "10", "STREAMS", lagging, ">"}));
  ASSERT_TRUE(client->command({"XGROUP", "CREATE", caught_up, "audit", "$"}));

  health::Thresholds thresholds;
  thresholds.set("redis.scan_streams", 100000);
  auto result = check(url, thresholds);
  ASSERT_TRUE(result.up) << result.error;
  EXPECT_TRUE(reported(result, "redis-stream-lag", lagging + " / notifier")) << describe(result);
  EXPECT_FALSE(reported(result, "redis-stream-lag", caught_up)) << describe(result);
  EXPECT_FALSE(reported(result, "redis-stream-pending", caught_up)) << describe(result);
  bool pending_metric = false;
  for (const auto& metric : result.metrics) {
    if (metric.name != "dbvet_stream_pending") continue;
    for (const auto& [key, value] : metric.labels)
      pending_metric |= key == "stream" && value == lagging && metric.value == 10;
  }
  EXPECT_TRUE(pending_metric);
  client->command({"DEL", lagging, caught_up});
}

}  // namespace
}  // namespace dbvet
