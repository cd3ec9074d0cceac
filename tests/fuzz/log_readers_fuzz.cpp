// libFuzzer target for everything that reads untrusted log text: the slow log reader (line by
// line and in blocks), the PostgreSQL readers (stderr with a detected and a given prefix, csvlog,
// jsonlog, syslog), the digest built from their events, and the fingerprints of every statement
// in every mode. Built by `make fuzz` (clang, -fsanitize=fuzzer,address,undefined); seeds are the
// conformance logs. Nothing may crash, hang or trip a sanitizer, whatever the bytes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "analyzer/capture/log_formats.hpp"
#include "analyzer/capture/mysql_slowlog.hpp"
#include "analyzer/digest/digest.hpp"
#include "analyzer/sql/fingerprint.hpp"
#include "analyzer/sql/lexer.hpp"

namespace {

using namespace dbvet;

void digest_with(capture::LogFormat format, std::string_view text, std::string_view prefix, bool blocks) {
  digest::Digest digest(sql::FingerprintMode::canonical);
  auto reader = capture::make_log_reader(
      format, [&](model::QueryEvent&& e) { digest.add(e); }, prefix);
  if (!reader) return;
  if (blocks) {
    // Whole lines, in blocks cut after every third line, as a line source hands them out.
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = pos;
      for (int k = 0; k < 3 && end < text.size(); ++k) {
        size_t nl = text.find('\n', end);
        end = nl == std::string_view::npos ? text.size() : nl + 1;
      }
      (*reader)->feed_block(text.substr(pos, end - pos), pos);
      pos = end;
    }
    (*reader)->finish();
  } else {
    capture::feed_text(**reader, text);
  }
  for (const auto& [id, c] : digest.classes()) {
    (void)c.histogram.quantile(0.95);
    (void)c.stddev_s();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto mode : {sql::FingerprintMode::pt, sql::FingerprintMode::canonical}) {
    std::string key;
    bool cacheable = false;
    const uint64_t hash = sql::fingerprint_key(text, mode, key, cacheable);
    // The key's fast path, where it takes the statement, writes the scanner's key and hash.
    std::string scanned, buffer;
    std::string_view fast_key;
    uint64_t fast_hash = 0;
    if (sql::detail::fingerprint_key_simple(text, mode, buffer, fast_key, fast_hash)) {
      const uint64_t scanned_hash = sql::detail::fingerprint_key_scanned(text, mode, scanned, cacheable);
      if (!cacheable || fast_key != scanned || fast_hash != scanned_hash || hash != scanned_hash) __builtin_trap();
    }
    (void)sql::fingerprint(text, mode);
  }
  (void)sql::literal_values_hash(text);
  for (auto dialect : {sql::Dialect::generic, sql::Dialect::postgres, sql::Dialect::mysql, sql::Dialect::sqlite}) {
    sql::Lexer lexer(text, dialect);
    for (auto t = lexer.next(); t.kind != sql::TokenKind::end; t = lexer.next()) {
    }
  }
  (void)capture::detect_log_format(text);
  digest_with(capture::LogFormat::mysql_slow, text, {}, false);
  digest_with(capture::LogFormat::mysql_slow, text, {}, true);
  digest_with(capture::LogFormat::postgres_stderr, text, {}, true);
  digest_with(capture::LogFormat::postgres_stderr, text, "%t [%p]: [%l-1] user=%u,db=%d ", false);
  digest_with(capture::LogFormat::postgres_csv, text, {}, true);
  digest_with(capture::LogFormat::postgres_json, text, {}, true);
  digest_with(capture::LogFormat::postgres_syslog, text, {}, true);
  return 0;
}
