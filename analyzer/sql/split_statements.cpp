#include "analyzer/sql/split_statements.hpp"

#include <cctype>

namespace dbvet::sql {
namespace {

bool only_space_or_comments(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    } else if (text.substr(i, 2) == "--" || text[i] == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (text.substr(i, 2) == "/*") {
      auto end = text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + 2;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<ScriptStatement> split_statements(std::string_view script) {
  std::vector<ScriptStatement> statements;
  size_t start = 0;
  int line = 1;
  int start_line = 1;
  auto flush = [&](size_t end) {
    std::string_view piece = script.substr(start, end - start);
    if (!only_space_or_comments(piece)) {
      // Count the lines of leading whitespace so the reported line is the statement's own.
      size_t first = piece.find_first_not_of(" \t\r\n");
      int leading_lines = 0;
      for (size_t k = 0; k < first; ++k) leading_lines += piece[k] == '\n';
      size_t last = piece.find_last_not_of(" \t\r\n");
      statements.push_back({std::string(piece.substr(first, last - first + 1)), start_line + leading_lines});
    }
  };
  size_t i = 0;
  while (i < script.size()) {
    char c = script[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (c == '\'' || c == '"' || c == '`') {
      char quote = c;
      ++i;
      while (i < script.size()) {
        if (script[i] == '\n') ++line;
        if (script[i] == '\\' && quote != '"' && i + 1 < script.size()) {
          i += 2;
          continue;
        }
        if (script[i] == quote) {
          if (i + 1 < script.size() && script[i + 1] == quote) {
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        ++i;
      }
    } else if (c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
      while (i < script.size() && script[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < script.size() && script[i + 1] == '*') {
      auto end = script.find("*/", i + 2);
      size_t stop = end == std::string_view::npos ? script.size() : end + 2;
      for (size_t k = i; k < stop; ++k) line += script[k] == '\n';
      i = stop;
    } else if (c == '$') {
      // $tag$ ... $tag$ (PostgreSQL); a lone $1 placeholder is not a dollar quote.
      size_t tag_end = i + 1;
      while (tag_end < script.size() &&
             (std::isalnum(static_cast<unsigned char>(script[tag_end])) || script[tag_end] == '_')) {
        ++tag_end;
      }
      bool is_quote = tag_end < script.size() && script[tag_end] == '$' &&
                      (tag_end == i + 1 || !std::isdigit(static_cast<unsigned char>(script[i + 1])));
      if (!is_quote) {
        ++i;
        continue;
      }
      std::string_view tag = script.substr(i, tag_end - i + 1);
      auto end = script.find(tag, tag_end + 1);
      size_t stop = end == std::string_view::npos ? script.size() : end + tag.size();
      for (size_t k = i; k < stop; ++k) line += script[k] == '\n';
      i = stop;
    } else if (c == ';') {
      flush(i);
      ++i;
      start = i;
      start_line = line;
    } else {
      ++i;
    }
  }
  flush(script.size());
  return statements;
}

std::vector<ScriptStatement> split_statements(std::string_view script, Dialect dialect) {
  std::vector<ScriptStatement> statements;
  Lexer lexer(script, dialect);
  bool any = false;  // a token other than a comment since `start`
  size_t first = 0;
  auto flush = [&](size_t end) {
    if (any) {
      size_t last = script.find_last_not_of(" \t\r\n", end == 0 ? 0 : end - 1);
      int line = 1;
      for (size_t k = 0; k < first; ++k) line += script[k] == '\n';
      statements.push_back({std::string(script.substr(first, last - first + 1)), line});
    }
    any = false;
  };
  for (auto t = lexer.next(); t.kind != TokenKind::end; t = lexer.next()) {
    if (t.kind == TokenKind::punctuation && t.text == ";") {
      flush(t.offset);
      continue;
    }
    if (t.kind == TokenKind::comment) continue;
    if (!any) {
      // Keep comments between the previous `;` and the first token out of the statement.
      first = t.offset;
      any = true;
    }
  }
  flush(script.size());
  return statements;
}

}  // namespace dbvet::sql
