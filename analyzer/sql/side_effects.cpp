#include "analyzer/sql/side_effects.hpp"

#include <pg_query.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "analyzer/sql/query_shape.hpp"
#include "analyzer/util/ascii.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::sql {
namespace {

using nlohmann::json;

void add(StatementCheck& check, EffectKind kind, std::string construct, std::string what) {
  check.effects.push_back(SideEffect{kind, std::move(construct), std::move(what)});
}

// PostgreSQL functions that reach outside the database: the server-file family (superuser or
// pg_read_server_files), large-object import/export, dblink, and server control. A read-only
// transaction refuses none of the readers.
struct FunctionEffect {
  std::string_view name;
  EffectKind kind;
  std::string_view what;
};
constexpr std::array kPostgresFunctions{
    FunctionEffect{"pg_read_file", EffectKind::file, "reads a file on the database host"},
    FunctionEffect{"pg_read_binary_file", EffectKind::file, "reads a file on the database host"},
    FunctionEffect{"pg_stat_file", EffectKind::file, "reads a file's metadata on the database host"},
    FunctionEffect{"pg_ls_dir", EffectKind::file, "lists a directory on the database host"},
    FunctionEffect{"pg_ls_logdir", EffectKind::file, "lists a directory on the database host"},
    FunctionEffect{"pg_ls_waldir", EffectKind::file, "lists a directory on the database host"},
    FunctionEffect{"pg_ls_tmpdir", EffectKind::file, "lists a directory on the database host"},
    FunctionEffect{"pg_ls_archive_statusdir", EffectKind::file, "lists a directory on the database host"},
    FunctionEffect{"pg_ls_logicalsnapdir", EffectKind::file, "lists a directory on the database host"},
    FunctionEffect{"pg_ls_logicalmapdir", EffectKind::file, "lists a directory on the database host"},
    FunctionEffect{"pg_ls_replslotdir", EffectKind::file, "lists a directory on the database host"},
    FunctionEffect{"pg_logdir_ls", EffectKind::file, "lists a directory on the database host"},
    FunctionEffect{"pg_file_write", EffectKind::file, "writes a file on the database host"},
    FunctionEffect{"pg_file_rename", EffectKind::file, "renames a file on the database host"},
    FunctionEffect{"pg_file_unlink", EffectKind::file, "deletes a file on the database host"},
    FunctionEffect{"pg_file_sync", EffectKind::file, "syncs a file on the database host"},
    FunctionEffect{"lo_import", EffectKind::file, "reads a file on the database host into a large object"},
    FunctionEffect{"lo_export", EffectKind::file, "writes a large object to a file on the database host"},
    FunctionEffect{"pg_reload_conf", EffectKind::settings, "reloads the server's configuration"},
    FunctionEffect{"pg_rotate_logfile", EffectKind::settings, "rotates the server's log file"},
    FunctionEffect{"pg_terminate_backend", EffectKind::settings, "ends another session"},
    FunctionEffect{"pg_cancel_backend", EffectKind::settings, "cancels another session's query"},
    FunctionEffect{"pg_promote", EffectKind::settings, "promotes a standby"},
    FunctionEffect{"pg_switch_wal", EffectKind::settings, "switches the server's WAL file"},
};

void check_postgres_function(std::string_view name, StatementCheck& check) {
  const std::string lowered = util::to_lower(name);
  if (lowered.rfind("dblink", 0) == 0) {
    add(check, EffectKind::remote, lowered + "()", "connects to another server");
    return;
  }
  for (const auto& f : kPostgresFunctions) {
    if (lowered == f.name) add(check, f.kind, lowered + "()", std::string(f.what));
  }
}

std::string string_node(const json& node) {
  if (!node.is_object()) return "";
  auto it = node.find("String");
  if (it == node.end() || !it->is_object()) return "";
  for (const char* key : {"sval", "str"}) {
    if (auto s = it->find(key); s != it->end() && s->is_string()) return s->get<std::string>();
  }
  return "";
}

void walk_postgres(const json& node, StatementCheck& check) {
  if (node.is_array()) {
    for (const auto& child : node) walk_postgres(child, check);
    return;
  }
  if (!node.is_object()) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const json& body = it.value();
    if (it.key() == "CopyStmt" && body.is_object()) {
      const bool from = body.value("is_from", false);
      const std::string direction = from ? "FROM" : "TO";
      if (body.value("is_program", false)) {
        add(check, EffectKind::program, fmt::format("COPY ... {} PROGRAM", direction),
            "runs a program on the database host");
      } else if (body.contains("filename")) {
        add(check, EffectKind::file, fmt::format("COPY ... {} '{}'", direction, body.value("filename", "")),
            from ? "reads a file on the database host" : "writes a file on the database host");
      } else {
        add(check, EffectKind::copy, fmt::format("COPY ... {}", from ? "FROM STDIN" : "TO STDOUT"),
            "is a bulk transfer, not a query");
      }
    } else if (it.key() == "FuncCall" && body.is_object()) {
      if (auto names = body.find("funcname"); names != body.end() && names->is_array() && !names->empty()) {
        check_postgres_function(string_node(names->back()), check);
      }
    } else if (it.key() == "LoadStmt") {
      add(check, EffectKind::code, "LOAD", "loads a shared library into the server");
    }
    walk_postgres(body, check);
  }
}

struct Word {
  TokenKind kind;
  std::string_view text;
};

// The significant tokens; MariaDB/MySQL executable comments (`/*! ... */`, `/*!50100 ... */`,
// `/*M! ... */`) are read as the server reads them: their content is SQL.
void collect(std::string_view sql, Dialect dialect, std::vector<Word>& out, int depth) {
  Lexer lexer(sql, dialect);
  for (Token t = lexer.next(); t.kind != TokenKind::end; t = lexer.next()) {
    if (t.kind != TokenKind::comment) {
      out.push_back({t.kind, t.text});
      continue;
    }
    if (dialect == Dialect::sqlite || dialect == Dialect::postgres || depth > 4) continue;
    std::string_view body = t.text;
    if (body.rfind("/*!", 0) == 0) {
      body.remove_prefix(3);
    } else if (body.rfind("/*M!", 0) == 0) {
      body.remove_prefix(4);
    } else {
      continue;
    }
    while (!body.empty() && std::isdigit(static_cast<unsigned char>(body.front()))) body.remove_prefix(1);
    if (body.size() >= 2 && body.substr(body.size() - 2) == "*/") body.remove_suffix(2);
    collect(body, dialect, out, depth + 1);
  }
}

// Read-only PRAGMAs that take an argument in parentheses.
constexpr std::string_view kReadingPragmas[] = {
    "table_info",       "table_xinfo",       "index_info",      "index_xinfo", "index_list",
    "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check", "table_list",
    "function_list",    "pragma_list",       "module_list"};

// First words of the statements MariaDB/MySQL and SQLite read; anything else is a typo such as
// SELEC that the server would reject, or text that is not SQL.
constexpr std::string_view kStatementWords[] = {
    "select",  "insert",   "update",   "delete",     "replace",  "with",      "create",   "alter",
    "drop",    "begin",    "start",    "commit",     "rollback", "end",       "set",      "show",
    "explain", "describe", "desc",     "values",     "table",    "pragma",    "analyze",  "call",
    "do",      "lock",     "unlock",   "truncate",   "rename",   "grant",     "revoke",   "savepoint",
    "release", "use",      "handler",  "load",       "vacuum",   "reindex",   "attach",   "detach",
    "flush",   "kill",     "optimize", "repair",     "check",    "checksum",  "xa",       "binlog",
    "purge",   "change",   "get",      "signal",     "resignal", "help",      "shutdown", "backup",
    "cache",   "prepare",  "execute",  "deallocate", "install",  "uninstall", "abort",    "reset"};

class TokenScan {
 public:
  TokenScan(const std::vector<Word>& words, Dialect dialect, StatementCheck& check)
      : w_(words), dialect_(dialect), check_(check) {}

  void run() {
    bool at_start = true;
    for (size_t i = 0; i < w_.size(); ++i) {
      if (is_punct(i, ";")) {
        at_start = true;
        continue;
      }
      if (at_start) {
        at_start = false;
        statement_start(i);
      }
      if (mysql()) mysql_patterns(i);
      if (sqlite()) sqlite_patterns(i);
      if (dialect_ == Dialect::postgres && w_[i].kind == TokenKind::identifier && is_punct(i + 1, "(")) {
        check_postgres_function(w_[i].text, check_);
      }
    }
  }

 private:
  bool mysql() const { return dialect_ == Dialect::mysql || dialect_ == Dialect::generic; }
  bool sqlite() const { return dialect_ == Dialect::sqlite || dialect_ == Dialect::generic; }
  bool is_word(size_t i, std::string_view word) const {
    return i < w_.size() && w_[i].kind == TokenKind::identifier && iequals(w_[i].text, word);
  }
  bool is_punct(size_t i, std::string_view p) const {
    return i < w_.size() && (w_[i].kind == TokenKind::punctuation || w_[i].kind == TokenKind::operator_) &&
           w_[i].text == p;
  }

  void statement_start(size_t i) {
    size_t first = i;
    while (is_punct(first, "(")) ++first;
    if (first >= w_.size()) return;
    if (w_[first].kind != TokenKind::identifier) {
      if (!check_.syntax_error) {
        check_.syntax_error = fmt::format("a statement starts with a keyword, not '{}'", w_[first].text);
      }
      return;
    }
    const std::string word = util::to_lower(w_[first].text);
    if (std::find(std::begin(kStatementWords), std::end(kStatementWords), word) == std::end(kStatementWords)) {
      if (dialect_ != Dialect::postgres && !check_.syntax_error) {
        check_.syntax_error = fmt::format("'{}' does not begin an SQL statement", w_[first].text);
      }
      return;
    }
    if (sqlite()) sqlite_statement(first, word);
  }

  void mysql_patterns(size_t i) {
    if (is_word(i, "into") && (is_word(i + 1, "outfile") || is_word(i + 1, "dumpfile"))) {
      add(check_, EffectKind::file, fmt::format("INTO {}", is_word(i + 1, "outfile") ? "OUTFILE" : "DUMPFILE"),
          "writes a file on the database host");
    } else if (is_word(i, "load") && (is_word(i + 1, "data") || is_word(i + 1, "xml"))) {
      const bool local = is_word(i + 2, "local");
      add(check_, EffectKind::file,
          fmt::format("LOAD {}{} INFILE", is_word(i + 1, "xml") ? "XML" : "DATA", local ? " LOCAL" : ""),
          local ? "reads a file of the client host into a table" : "reads a file on the database host into a table");
    } else if (is_word(i, "load_file") && is_punct(i + 1, "(")) {
      add(check_, EffectKind::file, "LOAD_FILE()", "reads a file on the database host");
    } else if (is_word(i, "install") && (is_word(i + 1, "plugin") || is_word(i + 1, "soname"))) {
      add(check_, EffectKind::code, "INSTALL PLUGIN", "loads a shared library into the server");
    }
  }

  void sqlite_patterns(size_t i) {
    if (w_[i].kind != TokenKind::identifier || !is_punct(i + 1, "(")) return;
    if (iequals(w_[i].text, "load_extension")) {
      add(check_, EffectKind::code, "load_extension()", "loads a shared library into the process");
    } else if (iequals(w_[i].text, "writefile")) {
      add(check_, EffectKind::file, "writefile()", "writes a file");
    } else if (iequals(w_[i].text, "readfile")) {
      add(check_, EffectKind::file, "readfile()", "reads a file");
    }
  }

  void sqlite_statement(size_t first, const std::string& word) {
    if (word == "attach") {
      add(check_, EffectKind::database, "ATTACH", "opens another database file");
    } else if (word == "detach") {
      add(check_, EffectKind::database, "DETACH", "changes the session's databases");
    } else if (word == "vacuum") {
      for (size_t j = first + 1; j < w_.size() && !is_punct(j, ";"); ++j) {
        if (is_word(j, "into")) {
          add(check_, EffectKind::database, "VACUUM INTO", "writes a copy of the database to a file");
          break;
        }
      }
    } else if (word == "pragma") {
      size_t j = first + 1;
      if (is_punct(j + 1, ".")) j += 2;  // schema.name
      if (j >= w_.size()) return;
      const std::string name = util::to_lower(w_[j].text);
      const bool assigns = is_punct(j + 1, "=");
      const bool argument = is_punct(j + 1, "(");
      const bool reading_argument =
          std::find(std::begin(kReadingPragmas), std::end(kReadingPragmas), name) != std::end(kReadingPragmas);
      if (assigns || (argument && !reading_argument)) {
        add(check_, EffectKind::settings, fmt::format("PRAGMA {}", name), "changes a database setting");
      }
    }
  }

  const std::vector<Word>& w_;
  Dialect dialect_;
  StatementCheck& check_;
};

void check_tokens(std::string_view sql, Dialect dialect, StatementCheck& check) {
  std::vector<Word> words;
  collect(sql, dialect, words, 0);
  TokenScan(words, dialect, check).run();
}

// libpg_query's reading; on a parse failure the token scan still looks for the functions, so that
// an unparsable statement is refused for both reasons.
void check_postgres(std::string_view sql, StatementCheck& check) {
  const std::string text(sql);
  PgQueryParseResult result = pg_query_parse(text.c_str());
  if (result.error) {
    // `:name` workload variables and `?` are not PostgreSQL; the same text with $n reads as the
    // server will read it after substitution.
    const std::string message = result.error->message ? result.error->message : "syntax error";
    const int cursor = result.error->cursorpos;
    pg_query_free_parse_result(result);
    result = pg_query_parse(normalize_for_pg_query(text).c_str());
    if (result.error) {
      pg_query_free_parse_result(result);
      check.syntax_error = cursor > 0 ? fmt::format("{} (character {})", message, cursor) : message;
      check_tokens(sql, Dialect::postgres, check);
      return;
    }
  }
  json tree = json::parse(result.parse_tree ? result.parse_tree : "{}", nullptr, false);
  pg_query_free_parse_result(result);
  walk_postgres(tree, check);
}

std::string unquote(std::string_view text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '`') && text.back() == text.front()) {
    std::string out;
    const char q = text.front();
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      out += text[i];
      if (text[i] == q && i + 2 < text.size() && text[i + 1] == q) ++i;  // doubled quote
    }
    return out;
  }
  return std::string(text);
}

void walk_sequence_use(const json& node, SequenceUse& use) {
  if (node.is_array()) {
    for (const auto& child : node) walk_sequence_use(child, use);
    return;
  }
  if (!node.is_object()) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const json& body = it.value();
    if ((it.key() == "InsertStmt" || it.key() == "MergeStmt") && body.is_object()) {
      if (auto relation = body.find("relation"); relation != body.end() && relation->is_object()) {
        const json& range = relation->contains("RangeVar") ? (*relation)["RangeVar"] : *relation;
        use.inserted.push_back({range.value("schemaname", ""), range.value("relname", "")});
      }
    } else if (it.key() == "FuncCall" && body.is_object()) {
      if (auto names = body.find("funcname"); names != body.end() && names->is_array() && !names->empty()) {
        const std::string name = util::to_lower(string_node(names->back()));
        if (name == "nextval" || name == "setval") use.functions.push_back(name + "()");
      }
    }
    walk_sequence_use(body, use);
  }
}

// MariaDB/MySQL and SQLite: INSERT/REPLACE [modifiers] [INTO] name, NEXTVAL(), NEXT VALUE FOR.
void scan_sequence_use(const std::vector<Word>& w, SequenceUse& use) {
  auto is_word = [&](size_t i, std::string_view word) {
    return i < w.size() && w[i].kind == TokenKind::identifier && iequals(w[i].text, word);
  };
  auto is_name = [&](size_t i) {
    return i < w.size() && (w[i].kind == TokenKind::identifier || w[i].kind == TokenKind::quoted_identifier);
  };
  bool at_start = true;
  for (size_t i = 0; i < w.size(); ++i) {
    if (w[i].kind == TokenKind::punctuation && w[i].text == ";") {
      at_start = true;
      continue;
    }
    const bool start = at_start;
    at_start = false;
    if (start && (is_word(i, "insert") || is_word(i, "replace"))) {
      size_t j = i + 1;
      while (is_word(j, "low_priority") || is_word(j, "delayed") || is_word(j, "high_priority") ||
             is_word(j, "ignore") || is_word(j, "or") || is_word(j, "abort") || is_word(j, "fail") ||
             is_word(j, "rollback") || (is_word(j, "replace") && !is_word(i, "replace"))) {
        ++j;
      }
      if (is_word(j, "into")) ++j;
      if (is_name(j)) {
        TableName table{"", unquote(w[j].text)};
        if (j + 2 < w.size() && w[j + 1].text == "." && is_name(j + 2)) table = {table.name, unquote(w[j + 2].text)};
        use.inserted.push_back(std::move(table));
      }
    }
    if ((is_word(i, "nextval") || is_word(i, "setval")) && i + 1 < w.size() && w[i + 1].text == "(") {
      use.functions.push_back(util::to_lower(w[i].text) + "()");
    }
    if (is_word(i, "next") && is_word(i + 1, "value") && is_word(i + 2, "for"))
      use.functions.push_back("NEXT VALUE FOR");
  }
}

}  // namespace

SequenceUse sequence_use(std::string_view sql, Dialect dialect) {
  SequenceUse use;
  if (dialect == Dialect::postgres) {
    const std::string text(sql);
    PgQueryParseResult result = pg_query_parse(text.c_str());
    if (result.error) {
      pg_query_free_parse_result(result);
      result = pg_query_parse(normalize_for_pg_query(text).c_str());
    }
    if (!result.error && result.parse_tree) walk_sequence_use(json::parse(result.parse_tree, nullptr, false), use);
    pg_query_free_parse_result(result);
    return use;
  }
  std::vector<Word> words;
  collect(sql, dialect, words, 0);
  scan_sequence_use(words, use);
  return use;
}

StatementCheck check_statement(std::string_view sql, Dialect dialect) {
  StatementCheck check;
  if (dialect == Dialect::postgres) {
    check_postgres(sql, check);
  } else {
    check_tokens(sql, dialect, check);
  }
  return check;
}

Dialect dialect_of(core::Engine engine) {
  switch (engine) {
    case core::Engine::postgres:
      return Dialect::postgres;
    case core::Engine::mysql:
      return Dialect::mysql;
    case core::Engine::sqlite:
      return Dialect::sqlite;
    default:
      return Dialect::generic;
  }
}

std::string describe(const SideEffect& effect) { return fmt::format("{} {}", effect.construct, effect.what); }

}  // namespace dbvet::sql
