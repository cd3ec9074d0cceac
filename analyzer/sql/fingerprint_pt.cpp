// A port of pt-query-digest 3.2.1's QueryRewriter::fingerprint, one regular expression at a time,
// without a regex engine: each step below names the Perl it reproduces, including its quirks
// ("db2.t" becomes "d?t", "/**/" does not end a comment, " asc" is removed from " ascending").

#include <cstring>

#include "analyzer/sql/fingerprint.hpp"
#include "analyzer/sql/fingerprint_md5.hpp"
#include "analyzer/util/ascii.hpp"

namespace dbvet::sql {
namespace {

// Perl's \s (5.18+) and \w for byte strings.
inline bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
inline bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
using util::to_lower;
inline bool word_boundary(const std::string& s, size_t i) {
  bool before = i > 0 && is_word(s[i - 1]);
  bool after = i < s.size() && is_word(s[i]);
  return before != after;
}
bool istarts_with(std::string_view s, size_t at, std::string_view prefix) {
  if (at + prefix.size() > s.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (to_lower(s[at + i]) != to_lower(prefix[i])) return false;
  }
  return true;
}

// m#/\*\w+\.\w+:[0-9]/[0-9]\*/#
bool has_toolkit_comment(std::string_view q) {
  for (size_t at = q.find("/*"); at != std::string_view::npos; at = q.find("/*", at + 1)) {
    size_t i = at + 2, start = i;
    while (i < q.size() && is_word(q[i])) ++i;
    if (i == start || i >= q.size() || q[i] != '.') continue;
    start = ++i;
    while (i < q.size() && is_word(q[i])) ++i;
    if (i == start || i + 6 > q.size()) continue;
    if (q[i] == ':' && q[i + 1] >= '0' && q[i + 1] <= '9' && q[i + 2] == '/' && q[i + 3] >= '0' && q[i + 3] <= '9' &&
        q[i + 4] == '*' && q[i + 5] == '/') {
      return true;
    }
  }
  return false;
}

// m/\A\s*(call\s+\S+)\(/i: the lower-cased "call name", or empty.
std::string call_prefix(std::string_view q) {
  size_t i = 0;
  while (i < q.size() && is_space(q[i])) ++i;
  size_t begin = i;
  if (!istarts_with(q, i, "call")) return {};
  i += 4;
  size_t spaces = i;
  while (i < q.size() && is_space(q[i])) ++i;
  if (i == spaces) return {};
  size_t run_begin = i;
  while (i < q.size() && !is_space(q[i])) ++i;
  // \S+ backtracks to the last '(' of the run that has at least one character before it.
  for (size_t j = i; j > run_begin + 1; --j) {
    if (q[j - 1] == '(') {
      std::string out(q.substr(begin, j - 1 - begin));
      for (auto& c : out) c = to_lower(c);
      return out;
    }
  }
  return {};
}

// m/\A((?:INSERT|REPLACE)(?: IGNORE)?\s+INTO.+?VALUES\s*\(.*?\))\s*,\s*\(/is: the length of $1.
size_t multi_insert_prefix(std::string_view q) {
  size_t i;
  if (istarts_with(q, 0, "insert")) {
    i = 6;
  } else if (istarts_with(q, 0, "replace")) {
    i = 7;
  } else {
    return 0;
  }
  if (istarts_with(q, i, " ignore")) {
    size_t after = i + 7;
    // (?: IGNORE)? is optional: " IGNORE" must then still be followed by \s+INTO.
    size_t j = after;
    while (j < q.size() && is_space(q[j])) ++j;
    if (j > after && istarts_with(q, j, "into")) i = after;
  }
  size_t spaces = i;
  while (i < q.size() && is_space(q[i])) ++i;
  if (i == spaces || !istarts_with(q, i, "into")) return 0;
  i += 4 + 1;  // .+? takes at least one character
  for (; i + 6 <= q.size(); ++i) {
    if (!istarts_with(q, i, "values")) continue;
    size_t j = i + 6;
    while (j < q.size() && is_space(q[j])) ++j;
    if (j >= q.size() || q[j] != '(') continue;
    for (size_t close = q.find(')', j + 1); close != std::string_view::npos; close = q.find(')', close + 1)) {
      size_t k = close + 1;
      while (k < q.size() && is_space(q[k])) ++k;
      if (k >= q.size() || q[k] != ',') continue;
      ++k;
      while (k < q.size() && is_space(q[k])) ++k;
      if (k < q.size() && q[k] == '(') return close + 1;
    }
    return 0;  // later VALUES can only see a subset of these closing parentheses
  }
  return 0;
}

// s#/\*[^!].*?\*/##sg
void strip_multiline_comments(std::string& q) {
  size_t at = q.find("/*");
  if (at == std::string::npos) return;
  std::string out;
  out.reserve(q.size());
  size_t copied = 0;
  while (at != std::string::npos) {
    if (at + 2 < q.size() && q[at + 2] != '!') {
      size_t end = q.find("*/", at + 3);
      if (end == std::string::npos) break;
      out.append(q, copied, at - copied);
      copied = end + 2;
      at = q.find("/*", copied);
    } else {
      at = q.find("/*", at + 1);
    }
  }
  out.append(q, copied, std::string::npos);
  q.swap(out);
}

// s/(?:--|#)[^'"\r\n]*(?=[\r\n]|\Z)//g
void strip_line_comments(std::string& q) {
  if (q.find('#') == std::string::npos && q.find("--") == std::string::npos) return;
  std::string out;
  out.reserve(q.size());
  size_t i = 0;
  while (i < q.size()) {
    size_t start = std::string::npos;
    if (q[i] == '#') {
      start = i + 1;
    } else if (q[i] == '-' && i + 1 < q.size() && q[i + 1] == '-') {
      start = i + 2;
    }
    if (start == std::string::npos) {
      out += q[i++];
      continue;
    }
    size_t j = start;
    while (j < q.size() && q[j] != '\'' && q[j] != '"' && q[j] != '\r' && q[j] != '\n') ++j;
    if (j == q.size() || q[j] == '\r' || q[j] == '\n') {
      i = j;  // the comment goes, its line end stays
    } else {
      out += q[i++];
    }
  }
  q.swap(out);
}

// s/\\["']//g, then s/".*?"/?/sg and s/'.*?'/?/sg
void replace_quoted(std::string& q) {
  std::string out;
  out.reserve(q.size());
  for (size_t i = 0; i < q.size(); ++i) {
    if (q[i] == '\\' && i + 1 < q.size() && (q[i + 1] == '"' || q[i + 1] == '\'')) {
      ++i;
      continue;
    }
    out += q[i];
  }
  for (char quote : {'"', '\''}) {
    if (out.find(quote) == std::string::npos) continue;
    std::string next;
    next.reserve(out.size());
    size_t i = 0;
    while (i < out.size()) {
      size_t open = out.find(quote, i);
      size_t close = open == std::string::npos ? open : out.find(quote, open + 1);
      if (close == std::string::npos) {
        next.append(out, i, std::string::npos);
        break;
      }
      next.append(out, i, open - i);
      next += '?';
      i = close + 1;
    }
    out.swap(next);
  }
  q.swap(out);
}

// s/\bWORD\b/?/g for each word (case-insensitive when asked). Copies only when a word is found.
void replace_words(std::string& q, std::initializer_list<std::string_view> words, bool ignore_case) {
  auto match_at = [&](size_t i) -> size_t {
    if (!word_boundary(q, i)) return 0;
    for (auto word : words) {
      bool match = ignore_case ? istarts_with(q, i, word) : q.compare(i, word.size(), word) == 0;
      if (match && word_boundary(q, i + word.size())) return word.size();
    }
    return 0;
  };
  bool first_chars[256] = {};
  for (auto word : words) {
    first_chars[static_cast<unsigned char>(word[0])] = true;
    if (ignore_case) first_chars[static_cast<unsigned char>(word[0] - 32)] = true;
  }
  auto is_first = [&](char c) { return first_chars[static_cast<unsigned char>(c)]; };
  size_t i = 0, n = q.size(), found = 0;
  for (; i < n; ++i) {
    if (is_first(q[i]) && (found = match_at(i))) break;
  }
  if (i == n) return;
  std::string out(q, 0, i);
  while (i < n) {
    if (found) {
      out += '?';
      i += found;
    } else {
      out += q[i++];
    }
    found = i < n && is_first(q[i]) ? match_at(i) : 0;
  }
  q.swap(out);
}

inline bool number_start(char c) { return (c >= '0' && c <= '9') || c == '+' || c == '-'; }
inline bool number_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '.' || c == 'x' || c == 'b' || c == '+' || c == '-';
}

// s/[0-9+-][0-9a-f.xb+-]*/?/g, then s/[xb.+-]\?/?/g
void replace_numbers(std::string& q) {
  std::string out;
  out.reserve(q.size());
  for (size_t i = 0; i < q.size();) {
    if (number_start(q[i])) {
      ++i;
      while (i < q.size() && number_char(q[i])) ++i;
      out += '?';
    } else {
      out += q[i++];
    }
  }
  q.clear();
  for (size_t i = 0; i < out.size();) {
    char c = out[i];
    if ((c == 'x' || c == 'b' || c == '.' || c == '+' || c == '-') && i + 1 < out.size() && out[i + 1] == '?') {
      q += '?';
      i += 2;
    } else {
      q += c;
      ++i;
    }
  }
}

// s/\A\s+//; chomp; tr[ \n\t\r\f][ ]s; lc
void fold_whitespace_and_case(std::string& q) {
  size_t begin = 0;
  while (begin < q.size() && is_space(q[begin])) ++begin;
  size_t end = q.size();
  if (end > begin && q[end - 1] == '\n') --end;
  std::string out;
  out.reserve(end - begin);
  bool in_run = false;
  for (size_t i = begin; i < end; ++i) {
    char c = q[i];
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
      if (!in_run) out += ' ';
      in_run = true;
    } else {
      out += to_lower(c);
      in_run = false;
    }
  }
  q.swap(out);
}

// s/\b(in|values?)(?:[\s,]*\([\s?,]*\))+/$1(?+)/gx
void collapse_lists(std::string& q) {
  if (q.find('(') == std::string::npos) return;
  std::string out;
  out.reserve(q.size());
  size_t i = 0;
  auto one_list = [&](size_t at) -> size_t {  // end of one [\s,]*\([\s?,]*\), or npos
    while (at < q.size() && (is_space(q[at]) || q[at] == ',')) ++at;
    if (at >= q.size() || q[at] != '(') return std::string::npos;
    ++at;
    while (at < q.size() && (is_space(q[at]) || q[at] == '?' || q[at] == ',')) ++at;
    if (at >= q.size() || q[at] != ')') return std::string::npos;
    return at + 1;
  };
  while (i < q.size()) {
    size_t keyword = 0;
    if (word_boundary(q, i)) {
      if (q.compare(i, 2, "in") == 0) {
        keyword = 2;
      } else if (q.compare(i, 6, "values") == 0) {
        keyword = 6;
      } else if (q.compare(i, 5, "value") == 0) {
        keyword = 5;
      }
    }
    size_t end = keyword ? one_list(i + keyword) : std::string::npos;
    if (end == std::string::npos && keyword == 6) {  // values? backtracks to "value"
      keyword = 5;
      end = one_list(i + keyword);
    }
    if (end == std::string::npos) {
      out += q[i++];
      continue;
    }
    for (size_t more = one_list(end); more != std::string::npos; more = one_list(end)) end = more;
    out.append(q, i, keyword);
    out += "(?+)";
    i = end;
  }
  q.swap(out);
}

// s/\b(select\s.*?)(?:(\sunion(?:\sall)?)\s\1)+/$1 \/*repeat$2*\//xg
void collapse_unions(std::string& q) {
  if (q.find("union") == std::string::npos) return;
  std::string out;
  size_t i = 0;
  // The end of one (\sunion(?:\sall)?)\s\1 at `at`, the captured union text in `union_text`.
  auto repeat_at = [&](size_t at, std::string_view first, std::string_view& union_text) -> size_t {
    if (at >= q.size() || !is_space(q[at]) || q.compare(at + 1, 5, "union") != 0) return std::string::npos;
    size_t u_end = at + 6;
    for (int with_all = 1; with_all >= 0; --with_all) {
      size_t e = u_end;
      if (with_all) {
        if (e < q.size() && is_space(q[e]) && q.compare(e + 1, 3, "all") == 0) {
          e += 4;
        } else {
          continue;
        }
      }
      if (e < q.size() && is_space(q[e]) && q.compare(e + 1, first.size(), first) == 0) {
        union_text = std::string_view(q).substr(at, e - at);
        return e + 1 + first.size();
      }
    }
    return std::string::npos;
  };
  while (i < q.size()) {
    bool done = false;
    if (word_boundary(q, i) && q.compare(i, 6, "select") == 0 && i + 6 < q.size() && is_space(q[i + 6])) {
      for (size_t end1 = i + 7; end1 <= q.size(); ++end1) {  // .*? grows one character at a time
        if (end1 > i + 7 && q[end1 - 1] == '\n') break;
        std::string_view first = std::string_view(q).substr(i, end1 - i);
        std::string_view union_text;
        size_t end = repeat_at(end1, first, union_text);
        if (end == std::string::npos) continue;
        for (size_t more = repeat_at(end, first, union_text); more != std::string::npos;
             more = repeat_at(end, first, union_text)) {
          end = more;
        }
        out.append(first);
        out += " /*repeat";
        out.append(union_text);
        out += "*/";
        i = end;
        done = true;
        break;
      }
    }
    if (!done) out += q[i++];
  }
  q.swap(out);
}

// s/\blimit \?(?:, ?\?| offset \?)?/limit ?/ (first only)
void collapse_limit(std::string& q) {
  for (size_t at = q.find("limit ?"); at != std::string::npos; at = q.find("limit ?", at + 1)) {
    if (!word_boundary(q, at)) continue;
    size_t end = at + 7;
    if (q.compare(end, 3, ", ?") == 0) {
      end += 3;
    } else if (q.compare(end, 2, ",?") == 0) {
      end += 2;
    } else if (q.compare(end, 9, " offset ?") == 0) {
      end += 9;
    }
    q.replace(at, end - at, "limit ?");
    return;
  }
}

// if (m/\bORDER BY /gi) { 1 while s/\G(.+?)\s+ASC/$1/gi && pos }: one s///g pass anchored at
// the end of the first "order by ", each match starting where the previous one ended.
void strip_order_by_asc(std::string& q) {
  size_t at = q.find("order by ");
  while (at != std::string::npos && !word_boundary(q, at)) at = q.find("order by ", at + 1);
  if (at == std::string::npos) return;
  size_t pos = at + 9;
  std::string out(q, 0, pos);
  while (pos < q.size()) {
    size_t found = std::string::npos, match_end = 0;
    for (size_t k = pos + 1; k < q.size(); ++k) {  // (.+?) takes at least one character
      if (q[k - 1] == '\n') break;
      if (!is_space(q[k])) continue;
      size_t e = k;
      while (e < q.size() && is_space(q[e])) ++e;
      if (istarts_with(q, e, "asc")) {
        found = k;
        match_end = e + 3;
        break;
      }
    }
    if (found == std::string::npos) break;
    out.append(q, pos, found - pos);
    pos = match_end;
  }
  out.append(q, pos, std::string::npos);
  q.swap(out);
}

}  // namespace

std::string fingerprint_pt(std::string_view query) {
  if (query.starts_with("SELECT /*!40001 SQL_NO_CACHE */ * FROM `")) return "mysqldump";
  if (has_toolkit_comment(query)) return "percona-toolkit";
  if (query.starts_with("administrator command: ")) return std::string(query);
  if (auto call = call_prefix(query); !call.empty()) return call;
  if (size_t prefix = multi_insert_prefix(query)) query = query.substr(0, prefix);

  std::string q(query);
  strip_multiline_comments(q);
  strip_line_comments(q);
  {  // s/\Ause \S+\Z/use ?/i && return
    size_t end = q.size();
    if (end && q[end - 1] == '\n') --end;
    if (istarts_with(q, 0, "use ") && end > 4) {
      bool word = true;
      for (size_t i = 4; i < end; ++i) word = word && !is_space(q[i]);
      if (word) return "use ?" + q.substr(end);
    }
  }
  replace_quoted(q);
  replace_words(q, {"false", "true"}, true);
  replace_numbers(q);
  fold_whitespace_and_case(q);
  replace_words(q, {"null"}, false);
  collapse_lists(q);
  collapse_unions(q);
  collapse_limit(q);
  strip_order_by_asc(q);
  return q;
}

std::string pt_checksum(std::string_view fingerprint) { return md5_hex_upper(fingerprint); }

}  // namespace dbvet::sql
