#pragma once
// A small synchronous Redis session over hiredis for the health checks: connect with a timeout,
// AUTH from the URL or REDISCLI_AUTH, SELECT the URL's database, and commands as argument vectors
// (pipelined when given several). Read-only use only.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/core/target_url.hpp"

struct redisContext;

namespace dbvet::health::redis {

struct Reply {
  enum class Type { nil, integer, string, status, error, array } type = Type::nil;
  long long integer = 0;
  std::string text;  // string, status, error
  std::vector<Reply> elements;

  bool is_error() const { return type == Type::error; }
  // Integer replies, and strings holding numbers, as a number.
  long long as_integer() const;
};

class Session {
 public:
  static core::Expected<std::unique_ptr<Session>> open(const core::TargetUrl& url,
                                                       std::chrono::milliseconds connect_timeout,
                                                       std::chrono::milliseconds command_timeout);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  core::Expected<Reply> command(const std::vector<std::string>& argv);
  // Sends every command, then reads every reply, in order.
  core::Expected<std::vector<Reply>> pipeline(const std::vector<std::vector<std::string>>& commands);
  const std::string& describe() const { return describe_; }

 private:
  Session(redisContext* context, std::string describe) : context_(context), describe_(std::move(describe)) {}
  redisContext* context_;
  std::string describe_;
};

}  // namespace dbvet::health::redis
