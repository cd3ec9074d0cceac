#include "analyzer/engines/redis/redis_reply.hpp"

namespace dbvet::engines::redis {

std::string RedisReply::as_text() const {
  switch (type) {
    case Type::nil:
      return "(nil)";
    case Type::integer:
      return std::to_string(integer);
    case Type::string:
    case Type::status:
    case Type::error:
      return str;
    case Type::array: {
      std::string out = "[";
      for (size_t i = 0; i < elements.size(); ++i) out += (i ? ", " : "") + elements[i].as_text();
      return out + "]";
    }
  }
  return {};
}

std::string_view reply_type_name(RedisReply::Type type) {
  switch (type) {
    case RedisReply::Type::nil:
      return "nil";
    case RedisReply::Type::integer:
      return "integer";
    case RedisReply::Type::string:
      return "string";
    case RedisReply::Type::status:
      return "status";
    case RedisReply::Type::error:
      return "error";
    case RedisReply::Type::array:
      return "array";
  }
  return "unknown";
}

std::map<std::string, std::string> parse_redis_info(std::string_view text) {
  std::map<std::string, std::string> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    out[std::string(line.substr(0, colon))] = std::string(line.substr(colon + 1));
  }
  return out;
}

}  // namespace dbvet::engines::redis
