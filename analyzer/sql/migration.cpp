#include "analyzer/sql/migration.hpp"

#include <pg_query.h>

#include <algorithm>
#include <set>

#include "analyzer/sql/query_shape_tokens.hpp"
#include "analyzer/sql/split_statements.hpp"
#include "analyzer/util/ascii.hpp"
#include "nlohmann/json.hpp"

namespace dbvet::sql {
namespace {

using nlohmann::json;

const json* member(const json& node, const char* key) {
  if (!node.is_object()) return nullptr;
  auto found = node.find(key);
  return found == node.end() ? nullptr : &*found;
}

std::string text_at(const json& node, const char* key) {
  const json* value = member(node, key);
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

bool flag_at(const json& node, const char* key) {
  const json* value = member(node, key);
  return value && value->is_boolean() && value->get<bool>();
}

// [{"String": {"sval": "a"}}, ...] -> {"a", ...}
std::vector<std::string> names_of(const json* list) {
  std::vector<std::string> out;
  if (!list || !list->is_array()) return out;
  for (const auto& item : *list) {
    if (const json* s = member(item, "String")) out.push_back(text_at(*s, "sval"));
  }
  return out;
}

std::string relation_name(const json& node) {
  const json* relation = member(node, "relation");
  return relation ? text_at(*relation, "relname") : std::string();
}

// Functions whose value differs per row: a default calling one must be written into every row.
// now() and CURRENT_TIMESTAMP are stable within a statement, so PostgreSQL 11+ stores them once.
bool is_volatile_function(const std::string& name) {
  static const std::set<std::string> names = {
      "random",          "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc",  "uuid_generate_v4",
      "clock_timestamp", "timeofday",       "nextval",          "statement_timestamp", "txid_current",
      "setseed"};
  return names.count(util::to_lower(name)) > 0;
}

bool calls_volatile_function(const json& node) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "FuncCall") {
        auto names = names_of(member(value, "funcname"));
        if (!names.empty() && is_volatile_function(names.back())) return true;
      }
      if (calls_volatile_function(value)) return true;
    }
  } else if (node.is_array()) {
    for (const auto& item : node) {
      if (calls_volatile_function(item)) return true;
    }
  }
  return false;
}

std::string type_name(const json* type) {
  if (!type) return "";
  auto names = names_of(member(*type, "names"));
  if (names.empty()) return "";
  std::string name = util::to_lower(names.back());
  if (const json* mods = member(*type, "typmods"); mods && mods->is_array() && !mods->empty()) name += "(n)";
  return name;
}

// A constraint (of a column when `column` is given, else of the table) as an action.
void add_constraint(const json& constraint, const std::string& table, const std::string& column,
                    std::vector<MigrationAction>& out) {
  std::string type = text_at(constraint, "contype");
  MigrationAction action;
  action.table = table;
  action.name = text_at(constraint, "conname");
  action.not_valid = flag_at(constraint, "skip_validation");
  if (type == "CONSTR_FOREIGN") {
    action.op = MigrationOp::add_foreign_key;
    action.columns = names_of(member(constraint, "fk_attrs"));
  } else if (type == "CONSTR_CHECK") {
    action.op = MigrationOp::add_check;
  } else if (type == "CONSTR_UNIQUE" || type == "CONSTR_PRIMARY") {
    action.op = MigrationOp::add_unique;
    action.columns = names_of(member(constraint, "keys"));
    action.using_index = !text_at(constraint, "indexname").empty();
  } else {
    return;
  }
  if (action.columns.empty() && !column.empty()) action.columns.push_back(column);
  out.push_back(std::move(action));
}

void read_column_def(const json& def, const std::string& table, std::vector<MigrationAction>& out) {
  MigrationAction column;
  column.op = MigrationOp::add_column;
  column.table = table;
  column.name = text_at(def, "colname");
  column.type = type_name(member(def, "typeName"));
  // serial types are a nextval() default
  if (column.type == "serial" || column.type == "bigserial" || column.type == "smallserial" ||
      column.type == "serial4" || column.type == "serial8" || column.type == "serial2") {
    column.has_default = column.volatile_default = true;
  }
  std::vector<MigrationAction> constraints;
  if (const json* list = member(def, "constraints"); list && list->is_array()) {
    for (const auto& item : *list) {
      const json* constraint = member(item, "Constraint");
      if (!constraint) continue;
      std::string type = text_at(*constraint, "contype");
      if (type == "CONSTR_NOTNULL" || type == "CONSTR_PRIMARY") column.not_null = true;
      if (type == "CONSTR_DEFAULT") {
        column.has_default = true;
        if (const json* expr = member(*constraint, "raw_expr"))
          column.volatile_default |= calls_volatile_function(*expr);
      }
      if (type == "CONSTR_GENERATED" || type == "CONSTR_IDENTITY") column.has_default = column.volatile_default = true;
      add_constraint(*constraint, table, column.name, constraints);
    }
  }
  out.push_back(std::move(column));
  for (auto& c : constraints) out.push_back(std::move(c));
}

void read_alter_table(const json& stmt, MigrationStatement& out) {
  std::string table = relation_name(stmt);
  out.ddl = true;
  const json* cmds = member(stmt, "cmds");
  if (!cmds || !cmds->is_array()) return;
  for (const auto& item : *cmds) {
    const json* cmd = member(item, "AlterTableCmd");
    if (!cmd) continue;
    std::string subtype = text_at(*cmd, "subtype");
    const json* def = member(*cmd, "def");
    MigrationAction action;
    action.table = table;
    action.name = text_at(*cmd, "name");
    if (subtype == "AT_AddColumn" && def) {
      if (const json* column = member(*def, "ColumnDef")) read_column_def(*column, table, out.actions);
      continue;
    }
    if (subtype == "AT_AddConstraint" && def) {
      if (const json* constraint = member(*def, "Constraint")) add_constraint(*constraint, table, "", out.actions);
      continue;
    }
    if (subtype == "AT_SetNotNull") {
      action.op = MigrationOp::set_not_null;
    } else if (subtype == "AT_AlterColumnType") {
      action.op = MigrationOp::alter_column_type;
      if (def) {
        if (const json* column = member(*def, "ColumnDef")) action.type = type_name(member(*column, "typeName"));
      }
    } else if (subtype == "AT_DropColumn") {
      action.op = MigrationOp::drop_column;
    } else {
      continue;
    }
    out.actions.push_back(std::move(action));
  }
}

void read_pg_statement(const json& node, MigrationStatement& out) {
  if (!node.is_object() || node.empty()) return;
  const std::string& kind = node.begin().key();
  const json& stmt = node.begin().value();
  if (kind == "SelectStmt" || kind == "InsertStmt" || kind == "UpdateStmt" || kind == "DeleteStmt") {
    out.dml = true;
  } else if (kind == "CreateStmt") {
    MigrationAction action;
    action.op = MigrationOp::create_table;
    action.table = relation_name(stmt);
    out.actions.push_back(action);
    if (const json* elements = member(stmt, "tableElts"); elements && elements->is_array()) {
      for (const auto& element : *elements) {
        if (const json* column = member(element, "ColumnDef")) {
          std::vector<MigrationAction> column_actions;
          read_column_def(*column, action.table, column_actions);
          // Only keys matter on a new table (a foreign key needs an index); its columns are not additions.
          for (auto& a : column_actions) {
            if (a.op == MigrationOp::add_foreign_key || a.op == MigrationOp::add_unique)
              out.actions.push_back(std::move(a));
          }
        } else if (const json* constraint = member(element, "Constraint")) {
          std::vector<MigrationAction> constraints;
          add_constraint(*constraint, action.table, "", constraints);
          for (auto& a : constraints) {
            if (a.op == MigrationOp::add_foreign_key || a.op == MigrationOp::add_unique)
              out.actions.push_back(std::move(a));
          }
        }
      }
    }
  } else if (kind == "IndexStmt") {
    out.ddl = true;
    MigrationAction action;
    action.op = MigrationOp::create_index;
    action.table = relation_name(stmt);
    action.name = text_at(stmt, "idxname");
    action.online = flag_at(stmt, "concurrent");
    if (const json* params = member(stmt, "indexParams"); params && params->is_array()) {
      for (const auto& param : *params) {
        if (const json* element = member(param, "IndexElem")) action.columns.push_back(text_at(*element, "name"));
      }
    }
    out.actions.push_back(std::move(action));
  } else if (kind == "DropStmt") {
    std::string type = text_at(stmt, "removeType");
    if (type != "OBJECT_INDEX" && type != "OBJECT_TABLE") return;
    out.ddl = true;
    if (const json* objects = member(stmt, "objects"); objects && objects->is_array()) {
      for (const auto& object : *objects) {
        MigrationAction action;
        action.op = type == "OBJECT_INDEX" ? MigrationOp::drop_index : MigrationOp::drop_table;
        action.online = flag_at(stmt, "concurrent");
        const json* list = member(object, "List");
        auto names = names_of(list ? member(*list, "items") : nullptr);
        std::string name = names.empty() ? std::string() : names.back();
        (action.op == MigrationOp::drop_index ? action.name : action.table) = name;
        out.actions.push_back(std::move(action));
      }
    }
  } else if (kind == "AlterTableStmt") {
    if (text_at(stmt, "objtype") == "OBJECT_TABLE") read_alter_table(stmt, out);
  } else if (kind == "RenameStmt") {
    std::string type = text_at(stmt, "renameType");
    if (type != "OBJECT_COLUMN" && type != "OBJECT_TABLE") return;
    out.ddl = true;
    MigrationAction action;
    action.op = type == "OBJECT_COLUMN" ? MigrationOp::rename_column : MigrationOp::rename_table;
    action.table = relation_name(stmt);
    action.name = type == "OBJECT_COLUMN" ? text_at(stmt, "subname") : action.table;
    out.actions.push_back(std::move(action));
  } else if (kind == "VariableSetStmt") {
    std::string name = util::to_lower(text_at(stmt, "name"));
    if (name != "lock_timeout") return;
    bool off = text_at(stmt, "kind") != "VAR_SET_VALUE";  // RESET, SET ... TO DEFAULT
    if (const json* args = member(stmt, "args"); args && args->is_array() && !args->empty()) {
      // 0 (or '0', '0s') turns the timeout off
      const json* constant = member((*args)[0], "A_Const");
      if (constant) {
        const json* ival = member(*constant, "ival");
        const json* sval = member(*constant, "sval");
        if (ival) off = !member(*ival, "ival");  // libpg_query leaves out an ival of 0
        if (sval) off = text_at(*sval, "sval").rfind('0', 0) == 0;
      }
    }
    out.session = off ? MigrationStatement::Session::lock_timeout_off : MigrationStatement::Session::lock_timeout_on;
    const json* local = member(stmt, "is_local");
    out.session_local = local && local->is_boolean() && local->get<bool>();
  } else if (kind == "TransactionStmt") {
    std::string type = text_at(stmt, "kind");
    if (type == "TRANS_STMT_BEGIN" || type == "TRANS_STMT_START") out.session = MigrationStatement::Session::begin;
    if (type == "TRANS_STMT_COMMIT" || type == "TRANS_STMT_ROLLBACK") out.session = MigrationStatement::Session::end;
  }
}

MigrationStatement read_postgres(std::string_view text) {
  MigrationStatement out;
  out.text = std::string(text);
  PgQueryParseResult result = pg_query_parse(out.text.c_str());
  if (result.error || !result.parse_tree) {
    out.parsed = false;
    out.parse_error = result.error && result.error->message ? result.error->message : "not a statement";
    pg_query_free_parse_result(result);
    return out;
  }
  json tree = json::parse(result.parse_tree, nullptr, false);
  pg_query_free_parse_result(result);
  const json* stmts = member(tree, "stmts");
  if (!stmts || !stmts->is_array() || stmts->empty()) return out;  // only comments
  if (const json* stmt = member((*stmts)[0], "stmt")) read_pg_statement(*stmt, out);
  return out;
}

// --- MySQL / MariaDB: the DDL shapes the rules need, from the tokens -------------------------------

using detail::Token;
using detail::TokenKind;

struct TokenReader {
  const std::vector<Token>& tokens;
  size_t at = 0;

  bool done() const { return at >= tokens.size(); }
  // The upper-cased word at `i` ("" for anything else).
  std::string word(size_t i) const {
    return i < tokens.size() && tokens[i].kind == TokenKind::word ? tokens[i].value : std::string();
  }
  bool is(const char* keyword, size_t offset = 0) const { return word(at + offset) == keyword; }
  bool accept(const char* keyword) {
    if (!is(keyword)) return false;
    ++at;
    return true;
  }
  bool symbol(const char* text) const {
    return !done() && tokens[at].kind == TokenKind::symbol && tokens[at].text == text;
  }
  // An identifier, possibly qualified (db.t): the last part, unquoted.
  std::string name() {
    std::string out;
    while (!done()) {
      const Token& token = tokens[at];
      if (token.kind == TokenKind::word) {
        out = token.text;
      } else if (token.kind == TokenKind::quoted_identifier) {
        out = token.value;
      } else {
        break;
      }
      ++at;
      if (!symbol(".")) break;
      ++at;
    }
    return out;
  }
  // The names in a parenthesized list; lengths and ASC/DESC skipped.
  std::vector<std::string> column_list() {
    std::vector<std::string> out;
    if (!symbol("(")) return out;
    ++at;
    int depth = 1;
    bool expect_name = true;
    while (!done() && depth > 0) {
      const Token& token = tokens[at];
      if (token.kind == TokenKind::symbol && token.text == "(") ++depth;
      if (token.kind == TokenKind::symbol && token.text == ")") --depth;
      if (depth == 1 && token.kind == TokenKind::symbol && token.text == ",") expect_name = true;
      if (depth == 1 && expect_name && (token.kind == TokenKind::word || token.kind == TokenKind::quoted_identifier)) {
        out.push_back(token.kind == TokenKind::word ? token.text : token.value);
        expect_name = false;
      }
      ++at;
    }
    return out;
  }
  // Skips to the next top-level comma (or the end).
  void skip_clause() {
    int depth = 0;
    while (!done()) {
      const Token& token = tokens[at];
      if (token.kind == TokenKind::symbol && token.text == "(") ++depth;
      if (token.kind == TokenKind::symbol && token.text == ")") --depth;
      if (depth == 0 && token.kind == TokenKind::symbol && token.text == ",") return;
      ++at;
    }
  }
};

// LOCK=NONE anywhere at the top level of the statement: the server builds online or refuses.
bool lock_none(const std::vector<Token>& tokens) {
  for (size_t i = 0; i + 2 < tokens.size(); ++i) {
    if (tokens[i].kind == TokenKind::word && tokens[i].value == "LOCK" && tokens[i + 1].text == "=" &&
        util::iequals(tokens[i + 2].text, "NONE")) {
      return true;
    }
  }
  return false;
}

void mysql_column_definition(TokenReader& reader, MigrationAction& action) {
  size_t begin = reader.at;
  reader.skip_clause();
  for (size_t i = begin; i < reader.at; ++i) {
    std::string w = reader.word(i);
    if (w == "NOT" && reader.word(i + 1) == "NULL") action.not_null = true;
    if (w == "PRIMARY") action.not_null = true;
    if (w == "DEFAULT" || w == "AUTO_INCREMENT") action.has_default = true;
    if (w == "AUTO_INCREMENT" || w == "UUID" || w == "RAND") action.volatile_default = true;
    if (i == begin && action.type.empty()) action.type = util::to_lower(reader.tokens[i].text);
  }
}

void read_mysql_alter(TokenReader& reader, MigrationStatement& out, bool online) {
  std::string table = reader.name();
  while (!reader.done()) {
    MigrationAction action;
    action.table = table;
    action.online = online;
    if (reader.accept("ADD")) {
      if (reader.accept("CONSTRAINT") && !reader.is("FOREIGN") && !reader.is("UNIQUE") && !reader.is("PRIMARY") &&
          !reader.is("CHECK")) {
        action.name = reader.name();
      }
      if (reader.accept("FOREIGN")) {
        reader.accept("KEY");
        action.op = MigrationOp::add_foreign_key;
        if (!reader.symbol("(")) action.name = reader.name();
        action.columns = reader.column_list();
        out.actions.push_back(action);
      } else if (reader.is("UNIQUE") || reader.is("INDEX") || reader.is("KEY") || reader.is("FULLTEXT") ||
                 reader.is("SPATIAL") || reader.is("PRIMARY")) {
        while (reader.accept("UNIQUE") || reader.accept("INDEX") || reader.accept("KEY") || reader.accept("FULLTEXT") ||
               reader.accept("SPATIAL") || reader.accept("PRIMARY")) {
        }
        action.op = MigrationOp::create_index;
        if (!reader.symbol("(")) action.name = reader.name();
        action.columns = reader.column_list();
        out.actions.push_back(action);
      } else if (reader.accept("CHECK")) {
        action.op = MigrationOp::add_check;
        out.actions.push_back(action);
      } else {
        reader.accept("COLUMN");
        reader.accept("IF");
        reader.accept("NOT");
        reader.accept("EXISTS");
        action.op = MigrationOp::add_column;
        action.name = reader.name();
        mysql_column_definition(reader, action);
        out.actions.push_back(action);
      }
    } else if (reader.accept("DROP")) {
      if (reader.accept("INDEX") || reader.accept("KEY")) {
        action.op = MigrationOp::drop_index;
        action.name = reader.name();
        out.actions.push_back(action);
      } else if (reader.is("FOREIGN") || reader.is("PRIMARY") || reader.is("CONSTRAINT") || reader.is("CHECK")) {
        // dropping a constraint breaks nothing that reads the table
      } else {
        reader.accept("COLUMN");
        action.op = MigrationOp::drop_column;
        action.name = reader.name();
        out.actions.push_back(action);
      }
    } else if (reader.accept("MODIFY")) {
      reader.accept("COLUMN");
      action.op = MigrationOp::alter_column_type;
      action.name = reader.name();
      mysql_column_definition(reader, action);
      out.actions.push_back(action);
    } else if (reader.accept("CHANGE")) {
      reader.accept("COLUMN");
      std::string old_name = reader.name();
      std::string new_name = reader.name();
      action.op = MigrationOp::alter_column_type;
      action.name = new_name;
      mysql_column_definition(reader, action);
      out.actions.push_back(action);
      if (!util::iequals(old_name, new_name)) {
        MigrationAction rename = action;
        rename.op = MigrationOp::rename_column;
        rename.name = old_name;
        out.actions.push_back(rename);
      }
    } else if (reader.accept("RENAME")) {
      if (reader.accept("COLUMN")) {
        action.op = MigrationOp::rename_column;
        action.name = reader.name();
      } else if (reader.accept("INDEX") || reader.accept("KEY")) {
        reader.skip_clause();
        continue;
      } else {
        action.op = MigrationOp::rename_table;
        action.name = table;
      }
      out.actions.push_back(action);
    }
    reader.skip_clause();
    if (!reader.done()) ++reader.at;  // the comma
  }
}

MigrationStatement read_mysql(std::string_view text) {
  MigrationStatement out;
  out.text = std::string(text);
  auto tokens = detail::tokenize(out.text);
  TokenReader reader{tokens};
  bool online = lock_none(tokens);
  std::string first = reader.word(0);
  if (first == "SELECT" || first == "INSERT" || first == "UPDATE" || first == "DELETE" || first == "REPLACE" ||
      first == "WITH") {
    out.dml = true;
  } else if (first == "START" || first == "BEGIN") {
    out.session = MigrationStatement::Session::begin;
  } else if (first == "COMMIT" || first == "ROLLBACK") {
    out.session = MigrationStatement::Session::end;
  } else if (first == "SET") {
    for (size_t i = 1; i + 2 < tokens.size(); ++i) {
      if (util::iequals(tokens[i].text, "lock_wait_timeout") ||
          util::iequals(tokens[i].text, "innodb_lock_wait_timeout")) {
        bool off = tokens[i + 2].text == "0" || reader.word(i + 2) == "DEFAULT";
        out.session =
            off ? MigrationStatement::Session::lock_timeout_off : MigrationStatement::Session::lock_timeout_on;
      }
    }
  } else if (first == "CREATE") {
    reader.at = 1;
    reader.accept("OR");
    reader.accept("REPLACE");
    reader.accept("ONLINE");
    bool unique = reader.accept("UNIQUE") || reader.accept("FULLTEXT") || reader.accept("SPATIAL");
    (void)unique;
    if (reader.accept("INDEX")) {
      out.ddl = true;
      reader.accept("IF");
      reader.accept("NOT");
      reader.accept("EXISTS");
      MigrationAction action;
      action.op = MigrationOp::create_index;
      action.name = reader.name();
      reader.accept("USING");
      if (reader.is("BTREE") || reader.is("HASH")) ++reader.at;
      if (reader.accept("ON")) action.table = reader.name();
      action.columns = reader.column_list();
      action.online = online;
      out.actions.push_back(std::move(action));
    } else {
      reader.accept("TEMPORARY");
      if (reader.accept("TABLE")) {
        reader.accept("IF");
        reader.accept("NOT");
        reader.accept("EXISTS");
        MigrationAction action;
        action.op = MigrationOp::create_table;
        action.table = reader.name();
        out.actions.push_back(std::move(action));
      }
    }
  } else if (first == "ALTER") {
    reader.at = 1;
    reader.accept("ONLINE");
    reader.accept("IGNORE");
    if (reader.accept("TABLE")) {
      out.ddl = true;
      reader.accept("IF");
      reader.accept("EXISTS");
      read_mysql_alter(reader, out, online);
    }
  } else if (first == "DROP") {
    reader.at = 1;
    reader.accept("TEMPORARY");
    if (reader.accept("INDEX")) {
      out.ddl = true;
      reader.accept("IF");
      reader.accept("EXISTS");
      MigrationAction action;
      action.op = MigrationOp::drop_index;
      action.name = reader.name();
      if (reader.accept("ON")) action.table = reader.name();
      action.online = online;
      out.actions.push_back(std::move(action));
    } else if (reader.accept("TABLE")) {
      out.ddl = true;
      reader.accept("IF");
      reader.accept("EXISTS");
      while (!reader.done()) {
        MigrationAction action;
        action.op = MigrationOp::drop_table;
        action.table = reader.name();
        if (action.table.empty()) break;
        out.actions.push_back(std::move(action));
        if (!reader.symbol(",")) break;
        ++reader.at;
      }
    }
  } else if (first == "RENAME" && reader.word(1) == "TABLE") {
    out.ddl = true;
    reader.at = 2;
    MigrationAction action;
    action.op = MigrationOp::rename_table;
    action.table = action.name = reader.name();
    out.actions.push_back(std::move(action));
  }
  return out;
}

}  // namespace

MigrationStatement read_migration_statement(std::string_view text, Dialect dialect) {
  return dialect == Dialect::mysql ? read_mysql(text) : read_postgres(text);
}

std::vector<MigrationStatement> read_migration(std::string_view script, Dialect dialect, bool in_transaction) {
  std::vector<MigrationStatement> out;
  bool lock_timeout = false;
  bool lock_timeout_local = false;  // set by SET LOCAL: it ends with the transaction
  std::set<std::string> created;
  bool tool_transaction = in_transaction;
  for (const auto& piece : split_statements(script, dialect)) {
    if (piece.text.empty()) continue;
    MigrationStatement statement = read_migration_statement(piece.text, dialect);
    statement.line = piece.line;
    statement.in_transaction = in_transaction;
    statement.tool_transaction = in_transaction && tool_transaction;
    statement.lock_timeout_set = lock_timeout;
    for (auto& action : statement.actions) {
      if (action.op == MigrationOp::create_table) {
        created.insert(action.table);
      } else {
        action.new_table = created.count(action.table) > 0;
      }
    }
    switch (statement.session) {
      case MigrationStatement::Session::begin:
        in_transaction = true;
        tool_transaction = false;
        break;
      case MigrationStatement::Session::end:
        in_transaction = tool_transaction = false;
        if (lock_timeout_local) lock_timeout = lock_timeout_local = false;
        break;
      case MigrationStatement::Session::lock_timeout_on:
        // Outside a known transaction a SET LOCAL is taken as meant for the one the migration tool
        // opens (and kept); inside one it lasts until the transaction ends.
        lock_timeout = true;
        lock_timeout_local = statement.session_local && in_transaction;
        break;
      case MigrationStatement::Session::lock_timeout_off:
        lock_timeout = lock_timeout_local = false;
        break;
      case MigrationStatement::Session::none:
        break;
    }
    out.push_back(std::move(statement));
  }
  return out;
}

}  // namespace dbvet::sql
