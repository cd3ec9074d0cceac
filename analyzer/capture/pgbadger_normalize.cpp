#include "analyzer/capture/pgbadger_normalize.hpp"

#include <regex>
#include <vector>

namespace dbvet::capture {
namespace {

using std::regex;

// Cheap guards: a rule whose regex cannot match is not run (the result is the same).
bool has(const std::string& s, const char* needle) { return s.find(needle) != std::string::npos; }

std::string replace_all(const std::string& s, const regex& re, const std::string& fmt) {
  return std::regex_replace(s, re, fmt);
}

// Perl's repeated `while (s/("[^"]+")/TOKEN$i/)`: successive leftmost matches, numbered.
std::string stash(const std::string& s, const regex& re, const std::string& open, const std::string& close,
                  std::vector<std::string>& saved, bool whole) {
  std::string out;
  auto begin = std::sregex_iterator(s.begin(), s.end(), re);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    out.append(s, last, static_cast<size_t>(m.position(0)) - last);
    out += open + std::to_string(saved.size()) + close;
    saved.push_back(whole ? m.str(0) : m.str(1));
    last = static_cast<size_t>(m.position(0) + m.length(0));
  }
  out.append(s, last);
  return out;
}

std::string restore(const std::string& s, const regex& re, const std::vector<std::string>& saved,
                    const std::string& wrap) {
  std::string out;
  size_t last = 0;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    out.append(s, last, static_cast<size_t>(m.position(0)) - last);
    size_t i = std::stoul(m.str(1));
    out += i < saved.size() ? wrap + saved[i] + wrap : std::string();
    last = static_cast<size_t>(m.position(0) + m.length(0));
  }
  out.append(s, last);
  return out;
}

}  // namespace

std::string normalize_like_pgbadger(std::string_view query) {
  // store_queries: s/^\s+//s; s/[\s;]+$//s; then ';' appended.
  static const regex lead(R"(^\s+)");
  static const regex trail(R"([\s;]+$)");
  std::string q = replace_all(std::string(query), lead, "");
  q = replace_all(q, trail, "");
  if (q.empty()) return q;
  q += ';';

  static const regex comments(R"(/\*[\s\S]*?\*/)");
  if (has(q, "/*")) q = replace_all(q, comments, "");
  // Keep the case of "quoted" object names, lowercase the rest.
  static const regex objname("(\"[^\"]+\")");
  std::vector<std::string> objnames;
  if (has(q, "\"")) q = stash(q, objname, "%%OBJNAME", "%%", objnames, true);
  for (char& c : q) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  static const regex objback(R"(%%objname(\d+)%%)");
  if (!objnames.empty()) q = restore(q, objback, objnames, "");

  static const regex bsquote(R"(\\')");
  if (has(q, "\\'")) q = replace_all(q, bsquote, "");
  static const regex strings(R"('[^']*')");
  if (has(q, "'")) q = replace_all(q, strings, "?");
  static const regex qq(R"(\?(\?)+)");
  if (has(q, "??")) q = replace_all(q, qq, "?");
  static const regex dashdash(R"(\s*--[^\n]+[\n])");
  if (has(q, "--")) q = replace_all(q, dashdash, "\n");
  static const regex spaces(R"(\s+)");
  q = replace_all(q, spaces, " ");
  static const regex only_begin(R"(^\s*begin\s*;\s*$)");
  static const regex begin(R"(^\s*begin\s*;\s*)");
  if (has(q, "begin") && !std::regex_search(q, only_begin)) q = replace_all(q, begin, "");
  // AS "alias" (case-insensitive) -> AS "alias" with single quotes removed from the alias.
  if (has(q, "\"")) {
    static const regex alias("AS\\s+\"([^\"]+)\"", regex::icase);
    std::string out;
    size_t last = 0;
    for (auto it = std::sregex_iterator(q.begin(), q.end(), alias); it != std::sregex_iterator(); ++it) {
      out.append(q, last, static_cast<size_t>(it->position(0)) - last);
      std::string name = it->str(1);
      std::erase(name, '\'');
      out += "AS \"" + name + "\"";
      last = static_cast<size_t>(it->position(0) + it->length(0));
    }
    out.append(q, last);
    q = std::move(out);
  }
  static const regex eqnull(R"(=\s*null)");
  if (has(q, "null")) q = replace_all(q, eqnull, "= ?");
  static const regex ident("\"([^\"]+)\"");
  std::vector<std::string> idents;
  if (has(q, "\"")) q = stash(q, ident, "%sqlident", "%", idents, false);
  static const regex numbers(R"(([^a-z0-9_\$\-])-?\d+)");
  if (q.find_first_of("0123456789") != std::string::npos) q = replace_all(q, numbers, "$1?");
  static const regex hex(R"(([^a-z_\$-])0x[0-9a-f]{1,10})");
  if (has(q, "0x")) q = replace_all(q, hex, "$1?");
  static const regex binds(R"(\$\d+)");
  if (has(q, "$")) q = replace_all(q, binds, "?");
  static const regex identback(R"(%sqlident(\d+)%)");
  if (!idents.empty()) q = restore(q, identback, idents, "\"");
  static const regex in_list(R"(\bin\s*\(['0x,\s\?]*\))");
  if (has(q, "in")) q = replace_all(q, in_list, "in (...)");
  static const regex cursor_q("\\b(declare|in|deallocate|close)\\s+\"[^\"]+\"");
  if (has(q, "\"")) q = replace_all(q, cursor_q, "$1 \"...\"");
  static const regex declare(R"(\bdeclare\s+[^"\s]+\s+cursor)");
  if (has(q, "declare")) q = replace_all(q, declare, "declare \"...\" cursor");
  static const regex fetch(R"(\b(fetch\s+next\s+from)\s+[^\s]+)");
  if (has(q, "fetch")) q = replace_all(q, fetch, "$1 \"...\"");
  static const regex close(R"(\b(deallocate|close)\s+[^"\s]+)");
  if (has(q, "deallocate") || has(q, "close")) q = replace_all(q, close, "$1 \"...\"");
  static const regex trail_ws(R"(\s+$)");
  q = replace_all(q, lead, "");
  q = replace_all(q, trail_ws, "");
  static const regex before_semi(R"(\s+;)");
  q = std::regex_replace(q, before_semi, ";", std::regex_constants::format_first_only);
  return q;
}

}  // namespace dbvet::capture
