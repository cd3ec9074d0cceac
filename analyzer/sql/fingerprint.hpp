#pragma once
// Query fingerprints: the statement with its literal values abstracted away, so that executions
// of the same query with different parameters fall into one class.
//
//   pt         quirk-for-quirk pt-query-digest 3.2.1 (QueryRewriter::fingerprint); the id is the
//              upper-case MD5 hex of the fingerprint, pt's "checksum", for cross-referencing PMM.
//   canonical  a correct normalization on the lexer: literals -> ?, IN (...) and VALUES (...),(...)
//              lists collapsed, numbers inside identifiers kept, comments removed, keywords
//              lower-cased, whitespace folded; the id is a 64-bit hash in hex.
//   pg         libpg_query's pg_query_fingerprint for statements it parses (pganalyze's ids),
//              canonical otherwise.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dbvet::sql {

enum class FingerprintMode { pt, canonical, pg };

std::optional<FingerprintMode> parse_fingerprint_mode(std::string_view name);
std::string_view fingerprint_mode_name(FingerprintMode mode);

struct Fingerprint {
  std::string text;
  std::string id;
};

// pt-query-digest's fingerprint and checksum.
std::string fingerprint_pt(std::string_view query);
std::string pt_checksum(std::string_view fingerprint);

// The canonical fingerprint and its id (16 lower-case hex digits).
std::string fingerprint_canonical(std::string_view query);
std::string canonical_id(std::string_view fingerprint);

// libpg_query's fingerprint (16 hex digits) when it parses the statement.
std::optional<std::string> pg_query_fingerprint_id(std::string_view query);

// Fingerprint and id in one mode.
Fingerprint fingerprint(std::string_view query, FingerprintMode mode);

// A cache key for fingerprints, built in one pass of a lexer-equivalent scanner
// (literal_scanner.hpp) together with literal_values_hash (returned): two statements with equal
// keys have the same fingerprint in `mode` (pt or canonical; pg is never cacheable). The key
// keeps everything the fingerprint depends on and drops what it does not (literal values, and in
// pt mode the digits pt turns into '?'), so executions of one query with different parameters
// share a key; it keeps the spacing in both modes (statements that differ only in whitespace may
// not share one: a cache miss). `cacheable` is false where that cannot be guaranteed cheaply (in
// pt mode: comments, backslashes, double quotes, unbalanced quotes, CALL and administrator
// commands); the key is then meaningless.
uint64_t fingerprint_key(std::string_view query, FingerprintMode mode, std::string& key, bool& cacheable);
// The same, the key a view into `buffer`, which is grown as needed and never shrunk: a caller
// that keeps it pays neither allocation nor clearing per statement.
uint64_t fingerprint_key(std::string_view query, FingerprintMode mode, std::string& buffer, std::string_view& key,
                         bool& cacheable);

namespace detail {
// fingerprint_key's two paths, for the test that holds them together: the scanner's, for any
// statement, and the fast one for common statements (false where it leaves it to the scanner;
// the key is then cacheable).
uint64_t fingerprint_key_scanned(std::string_view query, FingerprintMode mode, std::string& key, bool& cacheable);
bool fingerprint_key_simple(std::string_view query, FingerprintMode mode, std::string& buffer, std::string_view& key,
                            uint64_t& literal_hash);
}  // namespace detail

// A 64-bit hash of the literal values of a statement in order (strings, numbers, booleans,
// NULLs), the "parameters" of one execution: equal for two executions with the same values.
uint64_t literal_values_hash(std::string_view query);

// 64-bit FNV-1a followed by a murmur finalizer: fast, well mixed, stable across machines.
uint64_t hash64(std::string_view data, uint64_t seed = 0);

}  // namespace dbvet::sql
