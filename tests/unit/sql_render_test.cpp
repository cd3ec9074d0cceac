// analyzer/sql/render: identifiers and literals are data. Every hostile name renders to a
// statement that the dialect's own lexer reads as one statement naming exactly that object.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analyzer/sql/render.hpp"
#include "analyzer/sql/split_statements.hpp"

namespace dbvet::sql {
namespace {

const std::vector<std::string>& hostile_names() {
  static const std::vector<std::string> names = {
      "v); DROP TABLE evil.victim; #",
      "i\"dx'; DROP TABLE pets; --",
      "a`b",
      "a\"b",
      "it's",
      "semi;colon",
      "dash -- comment",
      "block /* comment */",
      "back\\slash",
      "trailing\\",
      "order",
      "select",
      "group",
      "PetNotes",
      "caf\xc3\xa9_\xe2\x98\x83",
      std::string(70, 'x'),
      "x\n; DROP TABLE canary",
      "`; DROP TABLE canary; #",
  };
  return names;
}

// The identifier read back from one quoted token, as the engine would.
std::string unquote(Dialect dialect, const std::string& token) {
  char q = dialect == Dialect::mysql ? '`' : '"';
  if (token.empty() || token.front() != q) return token;
  std::string out;
  for (size_t i = 1; i + 1 < token.size(); ++i) {
    out += token[i];
    if (token[i] == q) ++i;
  }
  return out;
}

TEST(SqlRender, QuotedIdentifiersAreOneTokenThatReadsBackExactly) {
  for (auto dialect : {Dialect::postgres, Dialect::mysql, Dialect::sqlite}) {
    for (const auto& name : hostile_names()) {
      auto quoted = quote_identifier(dialect, name);
      ASSERT_TRUE(quoted) << name;
      Lexer lexer(*quoted, dialect);
      auto token = lexer.next();
      EXPECT_EQ(token.kind, TokenKind::quoted_identifier) << *quoted;
      EXPECT_EQ(token.text.size(), quoted->size()) << *quoted;
      EXPECT_EQ(lexer.next().kind, TokenKind::end) << *quoted;
      EXPECT_EQ(unquote(dialect, *quoted), name);
    }
  }
}

TEST(SqlRender, PlainNamesStayBareAndEverythingElseIsQuoted) {
  EXPECT_EQ(*quote_identifier(Dialect::postgres, "feeding_events"), "feeding_events");
  EXPECT_EQ(*quote_identifier(Dialect::postgres, "PetNotes"), "\"PetNotes\"");
  EXPECT_EQ(*quote_identifier(Dialect::postgres, "order"), "\"order\"");
  EXPECT_EQ(*quote_identifier(Dialect::mysql, "order"), "`order`");
  EXPECT_EQ(*quote_identifier(Dialect::sqlite, "group"), "\"group\"");
  EXPECT_EQ(*quote_identifier(Dialect::mysql, "select"), "`select`");
  EXPECT_EQ(*quote_identifier(Dialect::mysql, "a`b"), "`a``b`");
  EXPECT_EQ(*quote_identifier(Dialect::postgres, "a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(*quote_identifier(Dialect::postgres, "1abc"), "\"1abc\"");
  EXPECT_EQ(*quote_qualified(Dialect::mysql, "shop", "order"), "shop.`order`");
  EXPECT_FALSE(is_plain_identifier("user"));
  EXPECT_TRUE(is_plain_identifier("status"));
}

TEST(SqlRender, NulAndEmptyNamesAreRefused) {
  for (auto dialect : {Dialect::postgres, Dialect::mysql, Dialect::sqlite}) {
    EXPECT_FALSE(quote_identifier(dialect, std::string("a\0b", 3)));
    EXPECT_FALSE(quote_identifier(dialect, ""));
    EXPECT_FALSE(quote_literal(dialect, std::string("a\0b", 3)));
  }
}

TEST(SqlRender, LiteralsPerDialect) {
  EXPECT_EQ(*quote_literal(Dialect::postgres, "it's"), "'it''s'");
  // A backslash: E'' with it doubled reads the same whatever standard_conforming_strings says.
  EXPECT_EQ(*quote_literal(Dialect::postgres, "a\\'b"), "E'a\\\\''b'");
  EXPECT_EQ(*quote_literal(Dialect::mysql, "a\\'b"), "'a\\\\''b'");
  EXPECT_EQ(*quote_literal(Dialect::sqlite, "a\\'b"), "'a\\''b'");
  for (auto dialect : {Dialect::postgres, Dialect::mysql, Dialect::sqlite}) {
    for (const auto& text : hostile_names()) {
      auto literal = quote_literal(dialect, text);
      ASSERT_TRUE(literal);
      Lexer lexer(*literal, dialect);
      auto token = lexer.next();
      EXPECT_EQ(token.kind, TokenKind::string) << *literal;
      EXPECT_EQ(lexer.next().kind, TokenKind::end) << *literal;
    }
  }
}

model::IndexCandidate hostile_candidate(const std::string& table, const std::string& column) {
  model::IndexCandidate c;
  c.table = table;
  c.columns = {column, "plain"};
  c.descending = {false, true};
  c.where_is_null = column;
  return c;
}

TEST(SqlRender, IndexDdlOnHostileNamesIsOneStatement) {
  for (const auto& name : hostile_names()) {
    auto c = hostile_candidate(name, name);
    for (auto dialect : {Dialect::postgres, Dialect::mysql, Dialect::sqlite}) {
      if (dialect == Dialect::mysql) c.where_is_null.clear();
      auto ddl = recommended_index_ddl(dialect, c);
      ASSERT_TRUE(ddl) << name;
      EXPECT_TRUE(is_single_statement(dialect, *ddl)) << *ddl;
      EXPECT_EQ(split_statements(*ddl, dialect).size(), 1u) << *ddl;
      // The name is plain and short whatever the table and column are.
      EXPECT_TRUE(is_plain_identifier(c.name())) << c.name();
      EXPECT_LE(c.name().size(), 63u);
      DropIndex drop{"", name, name, true, true, true};
      auto dropped = drop_index(dialect, drop);
      ASSERT_TRUE(dropped);
      EXPECT_TRUE(is_single_statement(dialect, *dropped)) << *dropped;
    }
  }
  EXPECT_EQ(*recommended_index_ddl(Dialect::postgres, hostile_candidate("PetNotes", "order")),
            "CREATE INDEX CONCURRENTLY " + hostile_candidate("PetNotes", "order").name() +
                " ON \"PetNotes\" (\"order\", plain DESC) WHERE \"order\" IS NULL");
}

TEST(SqlRender, DropIndexAsReported) {
  DropIndex drop;
  drop.table = "pets";
  drop.index = "i\"dx'; DROP TABLE pets; --";
  drop.concurrently = true;
  drop.online = true;
  EXPECT_EQ(*drop_index(Dialect::postgres, drop), "DROP INDEX CONCURRENTLY \"i\"\"dx'; DROP TABLE pets; --\"");
  EXPECT_EQ(*drop_index(Dialect::mysql, drop),
            "ALTER TABLE pets DROP INDEX `i\"dx'; DROP TABLE pets; --`, ALGORITHM=INPLACE, LOCK=NONE");
  EXPECT_EQ(*drop_index(Dialect::sqlite, drop), "DROP INDEX \"i\"\"dx'; DROP TABLE pets; --\"");
}

TEST(SqlRender, NamesAreUniqueAndWithinLimits) {
  model::IndexCandidate a, b;
  a.table = "PetNotes";
  b.table = "petnotes";
  a.columns = b.columns = {"note"};
  EXPECT_NE(a.name(), b.name());
  EXPECT_EQ(b.name(), "dbvet_petnotes_note");
  a.table = b.table = std::string(80, 't');
  a.columns = {std::string(80, 'c') + "1"};
  b.columns = {std::string(80, 'c') + "2"};
  EXPECT_NE(a.name(), b.name());
  EXPECT_LE(a.name().size(), 63u);
  a.table = "a\"b";
  b.table = "a'b";
  a.columns = b.columns = {"x"};
  EXPECT_NE(a.name(), b.name());
}

TEST(SqlRender, ExpressionKeysMustBeOneExpression) {
  EXPECT_TRUE(check_expression(Dialect::postgres, "lower(email)"));
  EXPECT_TRUE(check_expression(Dialect::mysql, "lower(`e;mail`)"));
  EXPECT_FALSE(check_expression(Dialect::postgres, "lower(email)); DROP TABLE pets; --"));
  EXPECT_FALSE(check_expression(Dialect::mysql, "lower(email) # x"));
  EXPECT_FALSE(check_expression(Dialect::postgres, "lower(email) /* x */"));
  EXPECT_FALSE(check_expression(Dialect::postgres, "lower(email"));
  EXPECT_FALSE(check_expression(Dialect::postgres, "a) , (b"));
  EXPECT_FALSE(check_expression(Dialect::postgres, "lower('x)"));
  EXPECT_FALSE(check_expression(Dialect::mysql, "lower('x\\')"));
  model::IndexCandidate c;
  c.table = "t";
  c.columns = {"lower(email)); DROP TABLE pets; --"};
  c.expression = {true};
  EXPECT_FALSE(recommended_index_ddl(Dialect::postgres, c));
  // The same text as a column name is just a (strange) name.
  c.expression = {false};
  auto ddl = recommended_index_ddl(Dialect::postgres, c);
  ASSERT_TRUE(ddl);
  EXPECT_TRUE(is_single_statement(Dialect::postgres, *ddl)) << *ddl;
  EXPECT_EQ(*function_key(Dialect::postgres, "lower", "E-mail"), "lower(\"E-mail\")");
  EXPECT_FALSE(function_key(Dialect::postgres, "lower(x)); --", "email"));
}

TEST(SqlRender, SplitByDialectNeverSplitsInsideAMysqlIdentifier) {
  // A backquoted name ending in a backslash: the generic splitter took \` for an escape.
  std::string script = "ALTER TABLE `a\\` ADD INDEX i (`;DROP TABLE canary;#`); SELECT 1";
  auto pieces = split_statements(script, Dialect::mysql);
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0].text, "ALTER TABLE `a\\` ADD INDEX i (`;DROP TABLE canary;#`)");
  EXPECT_EQ(pieces[1].text, "SELECT 1");
  EXPECT_FALSE(is_single_statement(Dialect::mysql, script));
  EXPECT_TRUE(is_single_statement(Dialect::mysql, pieces[0].text + ";"));
}

TEST(SqlRender, Databases) {
  EXPECT_EQ(*create_database(Dialect::postgres, "dbvet_sandbox", "My DB"),
            "CREATE DATABASE dbvet_sandbox TEMPLATE \"My DB\"");
  EXPECT_EQ(*drop_database(Dialect::mysql, "x`y"), "DROP DATABASE IF EXISTS `x``y`");
  EXPECT_EQ(*drop_database(Dialect::postgres, "x\"y"), "DROP DATABASE IF EXISTS \"x\"\"y\" WITH (FORCE)");
}

}  // namespace
}  // namespace dbvet::sql
