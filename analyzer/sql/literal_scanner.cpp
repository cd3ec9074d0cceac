#include "analyzer/sql/literal_scanner.hpp"

namespace dbvet::sql::detail {
namespace {

struct SpanCollector {
  std::vector<LiteralSpan> spans;
  void literal(size_t begin, size_t end, TokenKind kind) {
    spans.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end), kind, false});
  }
  void null_word(size_t begin, size_t end) {
    spans.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end), TokenKind::identifier, true});
  }
  void comment(size_t begin, size_t end) {
    spans.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end), TokenKind::comment, false});
  }
};

}  // namespace

std::vector<LiteralSpan> literal_spans(std::string_view query) {
  SpanCollector collector;
  scan_literals(query, collector);
  return std::move(collector.spans);
}

}  // namespace dbvet::sql::detail
