#include "analyzer/engines/redis/redis_reply.hpp"

#include "gtest/gtest.h"

namespace dbvet::engines::redis {
namespace {

TEST(RedisInfo, ParsesSectionsAndSkipsHeaders) {
  auto info = parse_redis_info(
      "# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n\r\n# Keyspace\r\n"
      "db0:keys=3,expires=0,avg_ttl=0\r\nnot a pair\r\n:empty key\r\n");
  EXPECT_EQ(info.size(), 3u);
  EXPECT_EQ(info.at("redis_version"), "7.0.15");
  EXPECT_EQ(info.at("db0"), "keys=3,expires=0,avg_ttl=0");
  EXPECT_TRUE(parse_redis_info("").empty());
  EXPECT_EQ(parse_redis_info("a:b:c").at("a"), "b:c");
}

TEST(RedisReplyValue, AsText) {
  RedisReply array;
  array.type = RedisReply::Type::array;
  RedisReply one;
  one.type = RedisReply::Type::integer;
  one.integer = 1;
  RedisReply nil;
  array.elements = {one, nil};
  EXPECT_EQ(array.as_text(), "[1, (nil)]");
  EXPECT_TRUE(nil.is_nil());
  EXPECT_EQ(reply_type_name(RedisReply::Type::status), "status");
}

}  // namespace
}  // namespace dbvet::engines::redis
