#include "benchmarks/cache_aside.hpp"

#include <cctype>
#include <charconv>
#include <cstring>
#include <string_view>

#include "fmt/format.h"

namespace dbvet::bench {
namespace {

enum class Token { word, literal, punctuation };

// The tokens of a statement, comments skipped: words as written (quotes kept), string literals and
// single punctuation characters. `f(token, text)` returns false to stop.
template <class F>
void scan_tokens(const std::string& sql, F&& f) {
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'') {
      size_t start = i;
      for (++i; i < sql.size(); ++i) {
        if (sql[i] == '\'' && (i + 1 >= sql.size() || sql[i + 1] != '\'')) break;
        if (sql[i] == '\'') ++i;
      }
      ++i;
      if (!f(Token::literal, std::string_view(sql).substr(start, i - start))) return;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '"' || c == '`' || c == '.') {
      size_t start = i;
      while (i < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_' || sql[i] == '"' ||
                                sql[i] == '`' || sql[i] == '.' || sql[i] == '$')) {
        ++i;
      }
      if (!f(Token::word, std::string_view(sql).substr(start, i - start))) return;
    } else {
      ++i;
      if (!std::isspace(static_cast<unsigned char>(c)) &&
          !f(Token::punctuation, std::string_view(sql).substr(i - 1, 1))) {
        return;
      }
    }
  }
}

// A word in lower case without its quotes; literals as "'".
std::vector<std::string> words(const std::string& sql) {
  std::vector<std::string> out;
  scan_tokens(sql, [&](Token token, std::string_view text) {
    if (token == Token::literal) {
      out.emplace_back("'");
    } else if (token == Token::punctuation) {
      out.emplace_back(text);
    } else {
      std::string word;
      for (char c : text) {
        if (c != '"' && c != '`') word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      out.push_back(std::move(word));
    }
    return true;
  });
  return out;
}

std::string table_name(const std::string& word) {
  auto dot = word.rfind('.');
  return dot == std::string::npos ? word : word.substr(dot + 1);
}

bool is_identifier(const std::string& word) {
  return !word.empty() && (std::isalpha(static_cast<unsigned char>(word[0])) || word[0] == '_');
}

void add_unique(std::vector<std::string>& tables, const std::string& name) {
  for (const auto& t : tables) {
    if (t == name) return;
  }
  tables.push_back(name);
}

uint64_t fnv1a(const std::string& text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
  return hash;
}

void put_field(std::string& out, const std::string& value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
}

bool get_field(const std::string& in, size_t& pos, std::string& value) {
  auto colon = in.find(':', pos);
  if (colon == std::string::npos) return false;
  size_t length = 0;
  try {
    length = std::stoul(in.substr(pos, colon - pos));
  } catch (const std::exception&) {
    return false;
  }
  if (colon + 1 + length > in.size()) return false;
  value = in.substr(colon + 1, length);
  pos = colon + 1 + length;
  return true;
}

}  // namespace

std::vector<std::string> tables_read(const std::string& sql) {
  std::vector<std::string> tables;
  auto w = words(sql);
  for (size_t i = 0; i + 1 < w.size(); ++i) {
    if (w[i] != "from" && w[i] != "join") continue;
    // FROM a, b
    for (size_t k = i + 1; k < w.size() && is_identifier(w[k]); ++k) {
      add_unique(tables, table_name(w[k]));
      // skip an alias, then continue over a comma
      size_t next = k + 1;
      if (next < w.size() && w[next] == "as") ++next;
      if (next < w.size() && is_identifier(w[next]) && w[next] != "where" && w[next] != "join" && w[next] != "on" &&
          w[next] != "group" && w[next] != "order" && w[next] != "limit" && w[next] != "left" && w[next] != "inner" &&
          w[next] != "cross" && w[next] != "right") {
        ++next;
      }
      if (next < w.size() && w[next] == ",") {
        k = next;
        continue;
      }
      break;
    }
  }
  return tables;
}

std::vector<std::string> tables_written(const std::string& sql) {
  std::vector<std::string> tables;
  auto w = words(sql);
  for (size_t i = 0; i + 1 < w.size(); ++i) {
    if ((w[i] == "into" || w[i] == "update" || (w[i] == "from" && i > 0 && w[i - 1] == "delete")) &&
        is_identifier(w[i + 1])) {
      add_unique(tables, table_name(w[i + 1]));
    }
  }
  return tables;
}

// The reading of words(), without building them: this runs on every statement of a cache variant,
// hits included, where allocating each word cost more than formatting the GET.
bool is_cacheable_read(const std::string& sql) {
  auto equals = [](std::string_view word, std::string_view lower) {  // case and quotes ignored, as words()
    size_t k = 0;
    for (char c : word) {
      if (c == '"' || c == '`') continue;
      if (k >= lower.size() || std::tolower(static_cast<unsigned char>(c)) != lower[k]) return false;
      ++k;
    }
    return k == lower.size();
  };
  bool first = true, cacheable = false;
  scan_tokens(sql, [&](Token token, std::string_view text) {
    if (first) {
      first = false;
      cacheable = token == Token::word && (equals(text, "select") || equals(text, "with"));
      return cacheable;
    }
    if (token == Token::word &&
        (equals(text, "update") || equals(text, "insert") || equals(text, "delete") || equals(text, "nextval"))) {
      cacheable = false;  // FOR UPDATE, writable CTEs
    }
    return cacheable;
  });
  return cacheable;
}

std::string encode_result(const engines::ResultSummary& result) {
  std::string out =
      fmt::format("{} {} {} {}\n", result.row_count, result.result_hash, result.columns.size(), result.rows.size());
  for (const auto& column : result.columns) put_field(out, column);
  for (const auto& row : result.rows) {
    for (const auto& value : row) {
      if (value) {
        put_field(out, *value);
      } else {
        out += 'N';
      }
    }
  }
  return out;
}

std::optional<engines::ResultSummary> decode_result(const std::string& bytes, bool with_rows) {
  // The header "ROWS HASH COLUMNS KEPT\n", read with from_chars: on a cache hit this is the whole
  // client-side work besides the GET, and sscanf cost more than the rest of the decoding.
  engines::ResultSummary result;
  size_t columns = 0, rows = 0;
  const char* cursor = bytes.data();
  const char* end = bytes.data() + bytes.size();
  auto number = [&](auto& value, char separator) {
    auto [next, error] = std::from_chars(cursor, end, value);
    if (error != std::errc() || next == end || *next != separator) return false;
    cursor = next + 1;
    return true;
  };
  if (!number(result.row_count, ' ') || !number(result.result_hash, ' ') || !number(columns, ' ') ||
      !number(rows, '\n')) {
    return std::nullopt;
  }
  if (!with_rows) return result;
  size_t pos = static_cast<size_t>(cursor - bytes.data());
  std::string value;
  for (size_t c = 0; c < columns; ++c) {
    if (!get_field(bytes, pos, value)) return std::nullopt;
    result.columns.push_back(value);
  }
  for (size_t r = 0; r < rows; ++r) {
    std::vector<std::optional<std::string>> row;
    for (size_t c = 0; c < columns; ++c) {
      if (pos < bytes.size() && bytes[pos] == 'N') {
        ++pos;
        row.emplace_back(std::nullopt);
      } else {
        if (!get_field(bytes, pos, value)) return std::nullopt;
        row.emplace_back(value);
      }
    }
    result.rows.push_back(std::move(row));
  }
  return result;
}

std::string CacheAside::key_of(const std::string& sql) const { return fmt::format("{}q:{:016x}", prefix_, fnv1a(sql)); }

core::Expected<std::optional<engines::ResultSummary>> CacheAside::get(const std::string& sql, bool with_rows) {
  auto reply = client_.command({"GET", key_of(sql)});
  if (!reply) return reply.error();
  if (reply->is_error())
    return core::make_error(core::ErrorKind::query, fmt::format("{}: {}", client_.describe(), reply->str));
  if (reply->is_nil()) return std::optional<engines::ResultSummary>{};
  return decode_result(reply->str, with_rows);
}

core::Status CacheAside::put(const std::string& sql, const engines::ResultSummary& result) {
  std::string key = key_of(sql);
  std::vector<std::vector<std::string>> commands;
  commands.push_back({"SET", key, encode_result(result), "EX", ttl_});
  for (const auto& table : tables_read(sql)) commands.push_back({"SADD", prefix_ + "t:" + table, key});
  auto replies = client_.pipeline(commands);
  if (!replies) return replies.error();
  return core::ok();
}

core::Status CacheAside::invalidate(const std::string& sql) {
  for (const auto& table : tables_written(sql)) {
    std::string set = prefix_ + "t:" + table;
    auto members = client_.command({"SMEMBERS", set});
    if (!members) return members.error();
    std::vector<std::string> del{"DEL", set};
    for (const auto& member : members->elements) del.push_back(member.str);
    auto deleted = client_.command(del);
    if (!deleted) return deleted.error();
  }
  return core::ok();
}

}  // namespace dbvet::bench
