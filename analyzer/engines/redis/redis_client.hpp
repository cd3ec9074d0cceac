#pragma once
// A small synchronous Redis client over hiredis 0.14: connect with AUTH and SELECT from the URL,
// commands by argv (binary-safe), INFO, and pipelining for the bench. Errors are one line naming
// the redacted target; the password never appears in them.

#include <chrono>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/redis/redis_reply.hpp"

struct redisContext;

namespace dbvet::engines::redis {

class RedisClient {
 public:
  // Host defaults to 127.0.0.1, port to 6379. The password comes from the URL, else REDISCLI_AUTH;
  // a user name other than "default" sends the ACL form AUTH user password. The URL path selects
  // the database number.
  static core::Expected<RedisClient> connect(const core::TargetUrl& url, std::chrono::milliseconds timeout);

  RedisClient(RedisClient&&) noexcept;
  RedisClient& operator=(RedisClient&&) noexcept;
  ~RedisClient();

  const std::string& describe() const { return target_; }

  // Error replies come back as RedisReply::Type::error values; only I/O failures are errors.
  core::Expected<RedisReply> command(std::initializer_list<std::string_view> args);
  core::Expected<RedisReply> command(const std::vector<std::string>& args);

  // INFO [section] as key -> value.
  core::Expected<std::map<std::string, std::string>> info(const std::string& section = "");

  // Pipelining: append commands without waiting, then read their replies in order.
  core::Status append(const std::vector<std::string>& args);
  core::Expected<RedisReply> read_reply();
  // Appends every command, then reads as many replies.
  core::Expected<std::vector<RedisReply>> pipeline(const std::vector<std::vector<std::string>>& commands);

 private:
  RedisClient() = default;
  core::Error io_error(const std::string& what) const;
  core::Expected<RedisReply> command_argv(size_t argc, const char** argv, const size_t* lengths);

  struct Free {
    void operator()(redisContext* context) const;
  };
  std::unique_ptr<redisContext, Free> context_;
  std::string target_;
  std::string password_;  // kept to scrub it from any server text that might echo it
  int pending_ = 0;
};

}  // namespace dbvet::engines::redis
