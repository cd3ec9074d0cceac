// The lexer and the three fingerprint modes over a mix of statements like those in real logs.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "analyzer/sql/fingerprint.hpp"
#include "analyzer/sql/lexer.hpp"

namespace {

const std::vector<std::string>& statements() {
  static const std::vector<std::string> kStatements = {
      "SELECT p.id, p.name, s.hunger, s.happiness FROM pets p JOIN pet_stats s ON s.pet_id = p.id WHERE p.owner_id = "
      "48213 AND p.deleted_at IS NULL ORDER BY p.created_at DESC LIMIT 20 OFFSET 40",
      "INSERT INTO feeding_events (pet_id, item_id, amount, created_at) VALUES (1, 2, 3, '2024-11-24 10:00:00'), (4, "
      "5, "
      "6, '2024-11-24 10:00:01'), (7, 8, 9, '2024-11-24 10:00:02')",
      "UPDATE wallets SET balance_cents = balance_cents - 500, updated_at = NOW() WHERE user_id = 991 AND currency = "
      "'EUR'",
      "select * from payments where user_id = 12 and status in ('pending', 'failed', 'refunded') /* api:list */",
      "SELECT COUNT(*) FROM users WHERE lower(email) = lower('Someone@Example.com')",
  };
  return kStatements;
}

size_t total_bytes() {
  size_t n = 0;
  for (const auto& s : statements()) n += s.size();
  return n;
}

void BM_Lexer(benchmark::State& state) {
  size_t tokens = 0;
  for (auto _ : state) {
    for (const auto& s : statements()) {
      dbvet::sql::Lexer lexer(s, dbvet::sql::Dialect::mysql);
      for (auto t = lexer.next(); t.kind != dbvet::sql::TokenKind::end; t = lexer.next()) ++tokens;
    }
  }
  benchmark::DoNotOptimize(tokens);
  state.SetBytesProcessed(int64_t(state.iterations() * total_bytes()));
}
BENCHMARK(BM_Lexer);

void BM_Fingerprint(benchmark::State& state) {
  auto mode = static_cast<dbvet::sql::FingerprintMode>(state.range(0));
  for (auto _ : state) {
    for (const auto& s : statements()) benchmark::DoNotOptimize(dbvet::sql::fingerprint(s, mode));
  }
  state.SetBytesProcessed(int64_t(state.iterations() * total_bytes()));
  state.SetLabel(std::string(dbvet::sql::fingerprint_mode_name(mode)));
}
BENCHMARK(BM_Fingerprint)
    ->Arg(static_cast<int>(dbvet::sql::FingerprintMode::pt))
    ->Arg(static_cast<int>(dbvet::sql::FingerprintMode::canonical))
    ->Arg(static_cast<int>(dbvet::sql::FingerprintMode::pg));

void BM_LiteralValuesHash(benchmark::State& state) {
  for (auto _ : state) {
    for (const auto& s : statements()) benchmark::DoNotOptimize(dbvet::sql::literal_values_hash(s));
  }
  state.SetBytesProcessed(int64_t(state.iterations() * total_bytes()));
}
BENCHMARK(BM_LiteralValuesHash);

// The per-event cost of the fingerprint cache (Digest::add): key and literal hash in one pass.
void BM_FingerprintKey(benchmark::State& state) {
  auto mode = static_cast<dbvet::sql::FingerprintMode>(state.range(0));
  std::string key;
  bool cacheable = false;
  for (auto _ : state) {
    for (const auto& s : statements()) {
      benchmark::DoNotOptimize(dbvet::sql::fingerprint_key(s, mode, key, cacheable));
      benchmark::DoNotOptimize(key.data());
    }
  }
  state.SetBytesProcessed(int64_t(state.iterations() * total_bytes()));
  state.SetLabel(std::string(dbvet::sql::fingerprint_mode_name(mode)));
}
BENCHMARK(BM_FingerprintKey)
    ->Arg(static_cast<int>(dbvet::sql::FingerprintMode::pt))
    ->Arg(static_cast<int>(dbvet::sql::FingerprintMode::canonical));

}  // namespace
