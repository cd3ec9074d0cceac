#include "analyzer/engines/redis/redis_client.hpp"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <cstdlib>

#include "fmt/format.h"

namespace dbvet::engines::redis {
namespace {

RedisReply convert(const redisReply* reply) {
  RedisReply out;
  switch (reply->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::string;
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::status;
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::error;
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::array;
      break;
    default:
      out.type = RedisReply::Type::nil;
      break;
  }
  out.integer = reply->integer;
  if (reply->str) out.str.assign(reply->str, reply->len);
  for (size_t i = 0; i < reply->elements; ++i) out.elements.push_back(convert(reply->element[i]));
  return out;
}

struct timeval to_timeval(std::chrono::milliseconds timeout) {
  struct timeval tv {};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  return tv;
}

bool contains(const std::string& text, std::string_view what) { return text.find(what) != std::string::npos; }

}  // namespace

void RedisClient::Free::operator()(redisContext* context) const { redisFree(context); }

RedisClient::RedisClient(RedisClient&&) noexcept = default;
RedisClient& RedisClient::operator=(RedisClient&&) noexcept = default;
RedisClient::~RedisClient() = default;

core::Error RedisClient::io_error(const std::string& what) const {
  std::string reason = context_ && context_->err ? context_->errstr : "connection lost";
  if (contains(reason, "Resource temporarily unavailable")) reason = "timed out";
  if (!password_.empty()) {
    for (auto at = reason.find(password_); at != std::string::npos; at = reason.find(password_)) {
      reason.replace(at, password_.size(), "***");
    }
  }
  return core::make_error(core::ErrorKind::connection, fmt::format("{}: {}: {}", target_, what, reason));
}

core::Expected<RedisClient> RedisClient::connect(const core::TargetUrl& url, std::chrono::milliseconds timeout) {
  RedisClient client;
  client.target_ = url.redacted();
  std::string host = url.host.empty() ? "127.0.0.1" : url.host;
  int port = url.port.value_or(6379);
  std::optional<long> db;
  if (!url.database.empty()) {
    char* end = nullptr;
    long n = std::strtol(url.database.c_str(), &end, 10);
    if (*end != '\0' || n < 0) {
      return core::make_error(core::ErrorKind::usage, fmt::format("{}: the path must be a database number, not '{}'",
                                                                  client.target_, url.database));
    }
    db = n;
  }
  client.context_.reset(redisConnectWithTimeout(host.c_str(), port, to_timeval(timeout)));
  if (!client.context_) {
    return core::make_error(core::ErrorKind::connection,
                            fmt::format("{}: cannot allocate a connection", client.target_));
  }
  if (client.context_->err) return client.io_error("cannot connect");
  redisSetTimeout(client.context_.get(), to_timeval(timeout));

  if (url.password) {
    client.password_ = *url.password;
  } else if (const char* env = std::getenv("REDISCLI_AUTH"); env && *env) {
    client.password_ = env;
  }
  if (!client.password_.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!url.user.empty()) auth.push_back(url.user);
    auth.push_back(client.password_);
    auto reply = client.command(auth);
    if (!reply) return reply.error();
    if (reply->is_error()) {
      // The server's text is not echoed: it is classified, so that nothing of the secret leaks.
      const auto& text = reply->str;
      std::string why = contains(text, "WRONGPASS") || contains(text, "invalid password")
                            ? "wrong user name or password"
                        : contains(text, "without any password configured") || contains(text, "no password is set")
                            ? "the server has no password set for this user"
                            : "the server refused the credentials";
      return core::make_error(core::ErrorKind::connection,
                              fmt::format("{}: authentication failed ({})", client.target_, why));
    }
  }
  if (db && *db != 0) {
    auto reply = client.command({"SELECT", url.database});
    if (!reply) return reply.error();
    if (reply->is_error()) {
      return core::make_error(core::ErrorKind::connection,
                              fmt::format("{}: cannot select database {}: {}", client.target_, *db, reply->str));
    }
  }
  // Proves the session works (NOAUTH when a password is needed but none was given).
  auto ping = client.command({"PING"});
  if (!ping) return ping.error();
  if (ping->is_error()) {
    bool noauth = contains(ping->str, "NOAUTH");
    return core::make_error(
        core::ErrorKind::connection,
        noauth
            ? fmt::format("{}: authentication required (give a password in the URL or REDISCLI_AUTH)", client.target_)
            : fmt::format("{}: PING failed: {}", client.target_, ping->str));
  }
  return client;
}

core::Expected<RedisReply> RedisClient::command_argv(size_t argc, const char** argv, const size_t* lengths) {
  if (pending_ != 0) {
    return core::make_error(
        core::ErrorKind::internal,
        fmt::format("{}: a command was sent while {} pipelined replies are unread", target_, pending_));
  }
  auto* raw = static_cast<redisReply*>(redisCommandArgv(context_.get(), static_cast<int>(argc), argv, lengths));
  if (!raw) return io_error(fmt::format("{} failed", argc ? argv[0] : "command"));
  RedisReply reply = convert(raw);
  freeReplyObject(raw);
  return reply;
}

core::Expected<RedisReply> RedisClient::command(std::initializer_list<std::string_view> args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (auto arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  return command_argv(argv.size(), argv.data(), lengths.data());
}

core::Expected<RedisReply> RedisClient::command(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const auto& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  return command_argv(argv.size(), argv.data(), lengths.data());
}

core::Expected<std::map<std::string, std::string>> RedisClient::info(const std::string& section) {
  auto reply = section.empty() ? command({"INFO"}) : command({"INFO", section});
  if (!reply) return reply.error();
  if (reply->type != RedisReply::Type::string) {
    return core::make_error(core::ErrorKind::query, fmt::format("{}: INFO {} answered {}: {}", target_, section,
                                                                reply_type_name(reply->type), reply->as_text()));
  }
  return parse_redis_info(reply->str);
}

core::Status RedisClient::append(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const auto& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  if (redisAppendCommandArgv(context_.get(), static_cast<int>(argv.size()), argv.data(), lengths.data()) != REDIS_OK) {
    return io_error("cannot queue a pipelined command");
  }
  ++pending_;
  return core::ok();
}

core::Expected<RedisReply> RedisClient::read_reply() {
  if (pending_ == 0) {
    return core::make_error(core::ErrorKind::internal, fmt::format("{}: no pipelined reply is pending", target_));
  }
  void* raw = nullptr;
  if (redisGetReply(context_.get(), &raw) != REDIS_OK || !raw) return io_error("reading a pipelined reply failed");
  --pending_;
  RedisReply reply = convert(static_cast<redisReply*>(raw));
  freeReplyObject(raw);
  return reply;
}

core::Expected<std::vector<RedisReply>> RedisClient::pipeline(const std::vector<std::vector<std::string>>& commands) {
  for (const auto& args : commands) {
    if (auto status = append(args); !status) return status.error();
  }
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    auto reply = read_reply();
    if (!reply) return reply.error();
    replies.push_back(std::move(*reply));
  }
  return replies;
}

}  // namespace dbvet::engines::redis
