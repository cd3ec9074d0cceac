#ifdef DBVET_WITH_REDIS
#include "analyzer/health/redis/session.hpp"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <cstdlib>

#include "fmt/format.h"

namespace dbvet::health::redis {
namespace {

Reply convert(const redisReply* reply) {
  Reply out;
  if (reply == nullptr) return out;
  switch (reply->type) {
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::integer;
      out.integer = reply->integer;
      break;
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::string;
      out.text.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::status;
      out.text.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::error;
      out.text.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::array;
      for (size_t i = 0; i < reply->elements; ++i) out.elements.push_back(convert(reply->element[i]));
      break;
    default:
      break;
  }
  return out;
}

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

}  // namespace

long long Reply::as_integer() const {
  if (type == Type::integer) return integer;
  if (type == Type::string || type == Type::status) return std::strtoll(text.c_str(), nullptr, 10);
  return 0;
}

core::Expected<std::unique_ptr<Session>> Session::open(const core::TargetUrl& url,
                                                       std::chrono::milliseconds connect_timeout,
                                                       std::chrono::milliseconds command_timeout) {
  std::string host = url.host.empty() ? "127.0.0.1" : url.host;
  int port = url.port.value_or(6379);
  std::string describe = url.redacted();
  redisContext* context = redisConnectWithTimeout(host.c_str(), port, to_timeval(connect_timeout));
  if (context == nullptr || context->err) {
    std::string reason = context ? context->errstr : "out of memory";
    if (context) redisFree(context);
    return core::make_error(core::ErrorKind::connection, fmt::format("cannot connect to {}: {}", describe, reason));
  }
  redisSetTimeout(context, to_timeval(command_timeout));
  std::unique_ptr<Session> session(new Session(context, describe));

  std::optional<std::string> password = url.password;
  if (!password) {
    if (const char* env = std::getenv("REDISCLI_AUTH"); env && *env) password = env;
  }
  if (password) {
    std::vector<std::string> auth = {"AUTH"};
    if (!url.user.empty() && url.user != "default") auth.push_back(url.user);
    auth.push_back(*password);
    auto reply = session->command(auth);
    if (!reply) return reply.error();
    if (reply->is_error()) {
      // The server's message never contains the password; ours neither.
      return core::make_error(core::ErrorKind::connection,
                              fmt::format("authentication to {} failed: {}", describe, reply->text));
    }
  }
  if (!url.database.empty() && url.database != "0") {
    auto reply = session->command({"SELECT", url.database});
    if (!reply) return reply.error();
    if (reply->is_error()) {
      return core::make_error(core::ErrorKind::connection,
                              fmt::format("cannot select database {} on {}: {}", url.database, describe, reply->text));
    }
  }
  auto ping = session->command({"PING"});
  if (!ping) return ping.error();
  if (ping->is_error()) {
    return core::make_error(core::ErrorKind::connection, fmt::format("{} refused PING: {}", describe, ping->text));
  }
  return session;
}

Session::~Session() { redisFree(context_); }

core::Expected<Reply> Session::command(const std::vector<std::string>& argv) {
  auto replies = pipeline({argv});
  if (!replies) return replies.error();
  return std::move(replies->front());
}

core::Expected<std::vector<Reply>> Session::pipeline(const std::vector<std::vector<std::string>>& commands) {
  for (const auto& argv : commands) {
    std::vector<const char*> pointers;
    std::vector<size_t> lengths;
    for (const auto& arg : argv) {
      pointers.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), pointers.data(), lengths.data()) != REDIS_OK) {
      return core::make_error(core::ErrorKind::connection, fmt::format("{}: {}", describe_, context_->errstr));
    }
  }
  std::vector<Reply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK) {
      return core::make_error(core::ErrorKind::connection, fmt::format("{}: {}", describe_, context_->errstr));
    }
    auto* reply = static_cast<redisReply*>(raw);
    replies.push_back(convert(reply));
    freeReplyObject(reply);
  }
  return replies;
}

}  // namespace dbvet::health::redis
#endif  // DBVET_WITH_REDIS
