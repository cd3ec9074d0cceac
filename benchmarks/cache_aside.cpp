#include "benchmarks/cache_aside.hpp"

#include <cctype>
#include <cstdio>
#include <cstring>

#include "fmt/format.h"

namespace dbvet::bench {
namespace {

// Words and punctuation of a statement, skipping string literals and comments.
std::vector<std::string> words(const std::string& sql) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'') {
      for (++i; i < sql.size(); ++i) {
        if (sql[i] == '\'' && (i + 1 >= sql.size() || sql[i + 1] != '\'')) break;
        if (sql[i] == '\'') ++i;
      }
      ++i;
      out.emplace_back("'");
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '"' || c == '`' || c == '.') {
      size_t start = i;
      while (i < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_' || sql[i] == '"' ||
                                sql[i] == '`' || sql[i] == '.' || sql[i] == '$')) {
        ++i;
      }
      std::string word;
      for (size_t k = start; k < i; ++k) {
        if (sql[k] != '"' && sql[k] != '`') word += static_cast<char>(std::tolower(static_cast<unsigned char>(sql[k])));
      }
      out.push_back(word);
    } else {
      if (!std::isspace(static_cast<unsigned char>(c))) out.emplace_back(1, c);
      ++i;
    }
  }
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

bool is_cacheable_read(const std::string& sql) {
  auto w = words(sql);
  if (w.empty() || (w[0] != "select" && w[0] != "with")) return false;
  for (const auto& word : w) {
    if (word == "update" || word == "insert" || word == "delete" || word == "nextval")
      return false;  // FOR UPDATE, writable CTEs
  }
  return true;
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

std::optional<engines::ResultSummary> decode_result(const std::string& bytes) {
  engines::ResultSummary result;
  size_t columns = 0, rows = 0;
  long long row_count = 0;
  unsigned long long hash = 0;
  int consumed = 0;
  if (std::sscanf(bytes.c_str(), "%lld %llu %zu %zu\n%n", &row_count, &hash, &columns, &rows, &consumed) != 4) {
    return std::nullopt;
  }
  result.row_count = row_count;
  result.result_hash = hash;
  size_t pos = static_cast<size_t>(consumed);
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

core::Expected<std::optional<engines::ResultSummary>> CacheAside::get(const std::string& sql) {
  auto reply = client_.command({"GET", key_of(sql)});
  if (!reply) return reply.error();
  if (reply->is_error())
    return core::make_error(core::ErrorKind::query, fmt::format("{}: {}", client_.describe(), reply->str));
  if (reply->is_nil()) return std::optional<engines::ResultSummary>{};
  return decode_result(reply->str);
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
