#include "analyzer/pipeline/apply.hpp"

#include "analyzer/engines/description.hpp"
#include "analyzer/sql/lexer.hpp"
#include "analyzer/sql/render.hpp"
#include "fmt/format.h"

namespace dbvet::pipeline {

std::string created_index_name(const std::string& ddl) {
  sql::Lexer lexer(ddl);
  bool after_index = false;
  for (auto token = lexer.next_significant(); token.kind != sql::TokenKind::end; token = lexer.next_significant()) {
    if (!after_index) {
      after_index = token.kind == sql::TokenKind::identifier && sql::iequals(token.text, "index");
      continue;
    }
    if (token.kind != sql::TokenKind::identifier && token.kind != sql::TokenKind::quoted_identifier) return "";
    if (sql::iequals(token.text, "concurrently") || sql::iequals(token.text, "if") || sql::iequals(token.text, "not") ||
        sql::iequals(token.text, "exists")) {
      continue;
    }
    if (sql::iequals(token.text, "on")) return "";  // an unnamed index
    return std::string(token.text);
  }
  return "";
}

std::vector<AppliedIndex> apply_index_recommendations(engines::Connection& writer,
                                                      const std::vector<model::Recommendation>& recommendations) {
  std::vector<AppliedIndex> out;
  for (const auto& r : recommendations) {
    if (r.type != model::RecommendationType::index || r.ddl.empty()) continue;
    AppliedIndex applied;
    applied.table = r.table;
    applied.ddl = r.ddl;
    const auto dialect = engines::description(writer.engine()).ddl_dialect;
    // dbvet renders its DDL with every name quoted; anything else that reached here (a report edited
    // by hand, a renderer bug) is refused rather than run when it is not exactly one statement.
    if (!sql::is_single_statement(dialect, r.ddl)) {
      applied.applied = false;
      applied.error = "refused: the DDL is not exactly one statement";
      out.push_back(std::move(applied));
      continue;
    }
    // One statement per call: CREATE INDEX CONCURRENTLY refuses to run inside a transaction block.
    auto status = writer.execute_script(r.ddl);
    applied.applied = static_cast<bool>(status);
    if (!status) {
      applied.error = status.error().message;
      // A CONCURRENTLY build that fails after creating its index leaves it INVALID: remove it
      // (only then: the name may belong to something else, which is why the build failed).
      // dbvet's own index names are plain; any other name is left alone.
      auto name = created_index_name(r.ddl);
      auto dot = r.table.rfind('.');
      sql::DropIndex drop;
      drop.schema = dot == std::string::npos ? "" : r.table.substr(0, dot);
      drop.index = name;
      drop.concurrently = true;
      drop.if_exists = true;
      auto qualified = sql::quote_qualified(dialect, drop.schema, name);
      auto literal = qualified ? sql::quote_literal(dialect, *qualified) : qualified;
      auto drop_ddl = sql::drop_index(dialect, drop);
      bool plain_name = sql::is_plain_identifier(name) && literal && drop_ddl;
      if (writer.engine() == core::Engine::postgres && plain_name) {
        auto invalid = writer.execute(
            "SELECT 1 FROM pg_index i WHERE NOT i.indisvalid AND i.indexrelid = to_regclass(" + *literal + ")");
        if (invalid && invalid->row_count > 0) {
          if (auto dropped = writer.execute_script(*drop_ddl); !dropped) {
            applied.error +=
                fmt::format(" (and removing the invalid index {} failed: {})", *qualified, dropped.error().message);
          } else {
            applied.error += fmt::format(" (the invalid index {} it left was dropped)", *qualified);
          }
        }
      }
    }
    out.push_back(std::move(applied));
  }
  return out;
}

}  // namespace dbvet::pipeline
