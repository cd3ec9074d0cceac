// The Redis client against the test server; every key starts with a prefix named after the test.

#include "analyzer/engines/redis/redis_client.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gtest/gtest.h"
#include "tests/support/test_env.hpp"

namespace dbvet::engines::redis {
namespace {

using namespace std::chrono_literals;

core::TargetUrl test_url(const std::string& text = testing::server_url("REDIS")) {
  auto url = core::parse_target_url(text);
  EXPECT_TRUE(url) << text;
  return url ? *url : core::TargetUrl{};
}

TEST(RedisClient, SetGetAndTypes) {
  auto client = RedisClient::connect(test_url(), 5s);
  ASSERT_TRUE(client) << client.error().message;
  const std::string key = "dbvet:test:RedisClient.SetGet:k";
  auto set = client->command({"SET", key, std::string("va\0lue", 6)});
  ASSERT_TRUE(set);
  EXPECT_EQ(set->type, RedisReply::Type::status);
  EXPECT_EQ(set->str, "OK");
  auto get = client->command({"GET", key});
  ASSERT_TRUE(get);
  EXPECT_EQ(get->type, RedisReply::Type::string);
  EXPECT_EQ(get->str, std::string("va\0lue", 6));
  auto missing = client->command(std::vector<std::string>{"GET", key + ":absent"});
  ASSERT_TRUE(missing);
  EXPECT_TRUE(missing->is_nil());
  auto incr = client->command({"INCRBY", key + ":n", "5"});
  ASSERT_TRUE(incr);
  EXPECT_EQ(incr->type, RedisReply::Type::integer);
  EXPECT_EQ(incr->integer, 5);
  auto wrong = client->command({"INCR", key});
  ASSERT_TRUE(wrong);
  EXPECT_TRUE(wrong->is_error());
  auto del = client->command({"DEL", key, key + ":n"});
  ASSERT_TRUE(del);
  EXPECT_EQ(del->integer, 2);
}

TEST(RedisClient, InfoAndDatabaseSelection) {
  auto url = test_url();
  url.database = "3";
  auto client = RedisClient::connect(url, 5s);
  ASSERT_TRUE(client) << client.error().message;
  auto info = client->info("server");
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->at("redis_version").substr(0, 1), "7");
  const std::string key = "dbvet:test:RedisClient.Info:k";
  ASSERT_TRUE(client->command({"SET", key, "x"}));
  auto keyspace = client->info("keyspace");
  ASSERT_TRUE(keyspace);
  EXPECT_TRUE(keyspace->count("db3")) << "SELECT 3 was not applied";
  ASSERT_TRUE(client->command({"DEL", key}));
  url.database = "not-a-number";
  auto bad = RedisClient::connect(url, 5s);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, core::ErrorKind::usage);
  url.database = "99999";
  bad = RedisClient::connect(url, 5s);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("cannot select database 99999"), std::string::npos) << bad.error().message;
}

TEST(RedisClient, Pipelining) {
  auto client = RedisClient::connect(test_url(), 5s);
  ASSERT_TRUE(client) << client.error().message;
  const std::string prefix = "dbvet:test:RedisClient.Pipelining:";
  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < 500; ++i) commands.push_back({"SET", prefix + std::to_string(i), std::to_string(i * i)});
  for (int i = 0; i < 500; ++i) commands.push_back({"GET", prefix + std::to_string(i)});
  auto replies = client->pipeline(commands);
  ASSERT_TRUE(replies) << replies.error().message;
  ASSERT_EQ(replies->size(), 1000u);
  EXPECT_EQ((*replies)[0].str, "OK");
  EXPECT_EQ((*replies)[500 + 21].str, "441");
  EXPECT_EQ((*replies)[999].str, std::to_string(499 * 499));
  // Mixed with plain commands once the replies are read; refused while some are pending.
  ASSERT_TRUE(client->append({"PING"}));
  EXPECT_FALSE(client->command({"PING"}));
  auto pong = client->read_reply();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->str, "PONG");
  EXPECT_FALSE(client->read_reply());
  std::vector<std::string> del{"DEL"};
  for (int i = 0; i < 500; ++i) del.push_back(prefix + std::to_string(i));
  auto deleted = client->command(del);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->integer, 500);
}

TEST(RedisClient, WrongPasswordIsClearAndNeverShown) {
  auto url = test_url();
  url.password = "s3cret-Hunter2";
  auto client = RedisClient::connect(url, 5s);
  ASSERT_FALSE(client);
  const auto& message = client.error().message;
  EXPECT_EQ(client.error().kind, core::ErrorKind::connection);
  EXPECT_NE(message.find("authentication failed"), std::string::npos) << message;
  EXPECT_NE(message.find(":***@"), std::string::npos) << message;
  EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);

  url.password.reset();
  setenv("REDISCLI_AUTH", "env-Hunter3", 1);
  auto from_env = RedisClient::connect(url, 5s);
  unsetenv("REDISCLI_AUTH");
  ASSERT_FALSE(from_env);
  EXPECT_NE(from_env.error().message.find("authentication failed"), std::string::npos);
  EXPECT_EQ(from_env.error().message.find("Hunter3"), std::string::npos);

  url.user = "alice";
  url.password = "acl-Hunter4";
  auto acl = RedisClient::connect(url, 5s);
  ASSERT_FALSE(acl);
  EXPECT_NE(acl.error().message.find("authentication failed"), std::string::npos) << acl.error().message;
  EXPECT_EQ(acl.error().message.find("Hunter4"), std::string::npos);
}

TEST(RedisClient, NothingListening) {
  // A port that was free a moment ago: bind, read the number, close.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);
  auto url = test_url("redis://:pw-Hunter5@127.0.0.1:" + std::to_string(port) + "/0");
  auto client = RedisClient::connect(url, 2s);
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().kind, core::ErrorKind::connection);
  EXPECT_EQ(client.error().message,
            "redis://:***@127.0.0.1:" + std::to_string(port) + "/0: cannot connect: Connection refused");
}

}  // namespace
}  // namespace dbvet::engines::redis
