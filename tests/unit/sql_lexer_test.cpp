#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analyzer/sql/lexer.hpp"

namespace dbvet::sql {
namespace {

std::vector<std::pair<TokenKind, std::string>> lex(std::string_view sql, Dialect dialect) {
  std::vector<std::pair<TokenKind, std::string>> out;
  Lexer lexer(sql, dialect);
  for (Token t = lexer.next(); t.kind != TokenKind::end; t = lexer.next())
    out.emplace_back(t.kind, std::string(t.text));
  return out;
}

TEST(SqlLexer, TokensAreViewsIntoTheInput) {
  std::string sql = "SELECT a FROM t";
  Lexer lexer(sql);
  Token t = lexer.next();
  EXPECT_EQ(t.kind, TokenKind::identifier);
  EXPECT_EQ(t.text.data(), sql.data());
  t = lexer.next();
  EXPECT_EQ(t.offset, 7u);
  EXPECT_TRUE(t.space_before);
}

TEST(SqlLexer, StringsWithDialectEscapes) {
  auto mysql = lex(R"(SELECT 'it\'s', 'a''b', "dq")", Dialect::mysql);
  ASSERT_EQ(mysql.size(), 6u);
  EXPECT_EQ(mysql[1], std::make_pair(TokenKind::string, std::string(R"('it\'s')")));
  EXPECT_EQ(mysql[3], std::make_pair(TokenKind::string, std::string("'a''b'")));
  EXPECT_EQ(mysql[5].first, TokenKind::string);  // double quotes are strings in MySQL
  auto pg = lex(R"(SELECT 'C:\', E'a\'b', "Col")", Dialect::postgres);
  ASSERT_EQ(pg.size(), 6u);
  EXPECT_EQ(pg[1].second, R"('C:\')");
  EXPECT_EQ(pg[3].second, R"(E'a\'b')");
  EXPECT_EQ(pg[5].first, TokenKind::quoted_identifier);
}

TEST(SqlLexer, PrefixedAndDollarQuotedStrings) {
  auto t = lex("X'1F' b'0101' N'x' $$a 'b' c$$ $fn$ body $fn$", Dialect::postgres);
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[0].first, TokenKind::hex_string);
  EXPECT_EQ(t[1].first, TokenKind::bit_string);
  EXPECT_EQ(t[2].first, TokenKind::string);
  EXPECT_EQ(t[3], std::make_pair(TokenKind::dollar_string, std::string("$$a 'b' c$$")));
  EXPECT_EQ(t[4], std::make_pair(TokenKind::dollar_string, std::string("$fn$ body $fn$")));
}

TEST(SqlLexer, Numbers) {
  auto t = lex("42 4.2 .5 1e-3 0x1F 0b101 2.5E+10", Dialect::generic);
  ASSERT_EQ(t.size(), 7u);
  for (const auto& [kind, text] : t) EXPECT_EQ(kind, TokenKind::number) << text;
  EXPECT_EQ(t[3].second, "1e-3");
  EXPECT_EQ(t[4].second, "0x1F");
}

TEST(SqlLexer, IdentifiersKeepTheirDigits) {
  auto t = lex("tbl2 t_1 `my tbl` 1abc", Dialect::mysql);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0], std::make_pair(TokenKind::identifier, std::string("tbl2")));
  EXPECT_EQ(t[2], std::make_pair(TokenKind::quoted_identifier, std::string("`my tbl`")));
  EXPECT_EQ(t[3], std::make_pair(TokenKind::identifier, std::string("1abc")));
}

TEST(SqlLexer, Comments) {
  auto my = lex("a -- x\n# y\n/* z */ b", Dialect::mysql);
  ASSERT_EQ(my.size(), 5u);
  EXPECT_EQ(my[1].first, TokenKind::comment);
  EXPECT_EQ(my[2], std::make_pair(TokenKind::comment, std::string("# y")));
  EXPECT_EQ(my[4].second, "b");
  auto pg = lex("a /* outer /* inner */ still */ b", Dialect::postgres);
  ASSERT_EQ(pg.size(), 3u);
  EXPECT_EQ(pg[1].second, "/* outer /* inner */ still */");
}

TEST(SqlLexer, Placeholders) {
  auto t = lex("? $1 :name %s %(id)s ?3", Dialect::generic);
  ASSERT_EQ(t.size(), 6u);
  for (const auto& [kind, text] : t) EXPECT_EQ(kind, TokenKind::placeholder) << text;
  auto cast = lex("a::int", Dialect::postgres);
  ASSERT_EQ(cast.size(), 3u);
  EXPECT_EQ(cast[1], std::make_pair(TokenKind::operator_, std::string("::")));
}

TEST(SqlLexer, OperatorsAndPunctuation) {
  auto t = lex("a<>b AND c>=1 OR (d||e), f.g;", Dialect::generic);
  std::vector<std::string> texts;
  for (auto& [k, s] : t) texts.push_back(s);
  EXPECT_EQ(texts, (std::vector<std::string>{"a", "<>", "b", "AND", "c", ">=", "1", "OR", "(", "d", "||", "e", ")", ",",
                                             "f", ".", "g", ";"}));
}

TEST(SqlLexer, UnterminatedInputNeverOverruns) {
  for (std::string sql : {"'abc", "\"abc", "/* abc", "$tag$ abc", "E'\\", "`x", "x'", "0x", "--"}) {
    auto t = lex(sql, Dialect::postgres);
    EXPECT_FALSE(t.empty()) << sql;
    size_t total = 0;
    for (auto& [k, s] : t) total += s.size();
    EXPECT_LE(total, sql.size()) << sql;
    lex(sql, Dialect::mysql);
  }
}

}  // namespace
}  // namespace dbvet::sql
