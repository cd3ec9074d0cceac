#pragma once
// A Redis reply as a plain value (RESP2, as hiredis 0.14 reads it), and the INFO text parser.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dbvet::engines::redis {

struct RedisReply {
  enum class Type { nil, integer, string, status, error, array };
  Type type = Type::nil;
  long long integer = 0;
  std::string str;  // string, status and error replies
  std::vector<RedisReply> elements;

  bool is_nil() const { return type == Type::nil; }
  bool is_error() const { return type == Type::error; }
  // "OK" status, or any status/string/integer rendered as text.
  std::string as_text() const;
};

std::string_view reply_type_name(RedisReply::Type type);

// Parses INFO output ("# Section\r\nkey:value\r\n...") into key -> value; section headers and
// blank lines are skipped, lines without ':' are ignored.
std::map<std::string, std::string> parse_redis_info(std::string_view text);

}  // namespace dbvet::engines::redis
