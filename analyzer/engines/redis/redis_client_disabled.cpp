// RedisClient in a dbvet built with DBVET_WITH_REDIS=OFF (no hiredis): connect() refuses with a
// clear error, so the cache-aside bench and the Redis health checks compile and link unchanged and
// a redis:// target ends in one message instead of a link failure. Compiled instead of
// redis_client.cpp (CMakeLists.txt).
#include "analyzer/engines/redis/redis_client.hpp"

namespace dbvet::engines::redis {
namespace {

core::Error disabled() {
  return core::make_error(core::ErrorKind::unsupported,
                          "this dbvet was built without the redis engine (DBVET_WITH_REDIS=OFF)");
}

}  // namespace

void RedisClient::Free::operator()(redisContext*) const {}
RedisClient::RedisClient(RedisClient&&) noexcept = default;
RedisClient& RedisClient::operator=(RedisClient&&) noexcept = default;
RedisClient::~RedisClient() = default;

core::Expected<RedisClient> RedisClient::connect(const core::TargetUrl&, std::chrono::milliseconds) {
  return disabled();
}
core::Error RedisClient::io_error(const std::string&) const { return disabled(); }
core::Expected<RedisReply> RedisClient::command_argv(size_t, const char**, const size_t*) { return disabled(); }
core::Expected<RedisReply> RedisClient::command(std::initializer_list<std::string_view>) { return disabled(); }
core::Expected<RedisReply> RedisClient::command(const std::vector<std::string>&) { return disabled(); }
core::Expected<std::map<std::string, std::string>> RedisClient::info(const std::string&) { return disabled(); }
core::Status RedisClient::append(const std::vector<std::string>&) { return disabled(); }
core::Expected<RedisReply> RedisClient::read_reply() { return disabled(); }
core::Expected<std::vector<RedisReply>> RedisClient::pipeline(const std::vector<std::vector<std::string>>&) {
  return disabled();
}

}  // namespace dbvet::engines::redis
