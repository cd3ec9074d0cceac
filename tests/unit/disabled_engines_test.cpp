// A target of an engine this dbvet was built without (DBVET_WITH_*=OFF) ends in one clear runtime
// error naming the engine, never a crash or a link failure. Runs in every build; the engines a build
// has are checked to be listed as compiled, the others to refuse (scripts/build-matrix builds each
// OFF option and runs these).
#include <algorithm>
#include <string>
#include <vector>

#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/engines/redis/redis_client.hpp"
#include "gtest/gtest.h"

namespace dbvet::engines {
namespace {

bool compiled(const std::string& engine) {
  auto engines = compiled_engines();
  return std::find(engines.begin(), engines.end(), engine) != engines.end();
}

TEST(DisabledEngines, CompiledEnginesFollowTheBuildOptions) {
  EXPECT_TRUE(compiled("sqlite"));
#ifdef DBVET_WITH_POSTGRES
  EXPECT_TRUE(compiled("postgres"));
#else
  EXPECT_FALSE(compiled("postgres"));
#endif
#ifdef DBVET_WITH_MYSQL
  EXPECT_TRUE(compiled("mysql"));
#else
  EXPECT_FALSE(compiled("mysql"));
#endif
#ifdef DBVET_WITH_REDIS
  EXPECT_TRUE(compiled("redis"));
#else
  EXPECT_FALSE(compiled("redis"));
#endif
}

TEST(DisabledEngines, ASqlTargetOfAMissingEngineIsARuntimeErrorNamingIt) {
  int checked = 0;
  for (const auto& [engine, text] : {std::pair<std::string, std::string>{"postgres", "postgresql://u@127.0.0.1:1/db"},
                                     {"mysql", "mysql://u@127.0.0.1:1/db"}}) {
    if (compiled(engine)) continue;
    auto url = core::parse_target_url(text);
    ASSERT_TRUE(url) << url.error().message;
    ConnectOptions options;
    auto connection = connect(*url, options);
    ASSERT_FALSE(connection) << text;
    EXPECT_EQ(connection.error().exit_code(), 3);
    EXPECT_NE(connection.error().message.find("built without the " + engine + " engine"), std::string::npos)
        << connection.error().message;
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "every SQL engine is built in";
}

TEST(DisabledEngines, ARedisTargetWithoutRedisIsARuntimeErrorNamingIt) {
  if (compiled("redis")) GTEST_SKIP() << "redis is built in";
  auto url = core::parse_target_url("redis://127.0.0.1:1/0");
  ASSERT_TRUE(url) << url.error().message;
  auto client = redis::RedisClient::connect(*url, std::chrono::milliseconds(100));
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().exit_code(), 3);
  EXPECT_NE(client.error().message.find("built without the redis engine"), std::string::npos) << client.error().message;
}

}  // namespace
}  // namespace dbvet::engines
