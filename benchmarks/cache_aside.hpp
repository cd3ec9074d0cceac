#pragma once
// The cache-aside layer a `cache:` variant puts in front of the database, driven as an application
// would: a read's key is the statement class and its parameters (the statement text after
// substitution), GET it, on a miss run the query and SET the answer with the TTL, and remember the
// key in a Redis set per table it reads; a write runs on the database, then deletes the keys of
// every table it touches.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/engines/redis/redis_client.hpp"

namespace dbvet::bench {

// Tables a statement reads (after FROM/JOIN) or writes (INSERT INTO, UPDATE, DELETE FROM), lower
// case, without schema or quotes. A rough lexical reading, enough to invalidate a cache.
std::vector<std::string> tables_read(const std::string& sql);
std::vector<std::string> tables_written(const std::string& sql);
bool is_cacheable_read(const std::string& sql);

// A cached answer: row count, hash and the kept rows, in a compact length-prefixed form.
std::string encode_result(const engines::ResultSummary& result);
// Without rows, only the row count and the hash (a hit whose rows the script does not read).
std::optional<engines::ResultSummary> decode_result(const std::string& bytes, bool with_rows = true);

class CacheAside {
 public:
  CacheAside(engines::redis::RedisClient client, std::string prefix, int ttl_s)
      : client_(std::move(client)), prefix_(std::move(prefix)), ttl_(std::to_string(ttl_s)) {}

  // The cached answer, or nullopt on a miss; its rows only when with_rows.
  core::Expected<std::optional<engines::ResultSummary>> get(const std::string& sql, bool with_rows = true);
  core::Status put(const std::string& sql, const engines::ResultSummary& result);
  core::Status invalidate(const std::string& sql);

 private:
  std::string key_of(const std::string& sql) const;
  engines::redis::RedisClient client_;
  std::string prefix_;
  std::string ttl_;
};

}  // namespace dbvet::bench
