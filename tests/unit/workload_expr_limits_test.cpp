// Hostile workload expressions: deep nesting is a clear error (it was a stack overflow in audit,
// bench and capture), long runs of operators parse and evaluate in linear time without recursing per
// term (a 20,000-term sum took 16.7 s and crashed).

#include <gtest/gtest.h>

#include <string>

#include "analyzer/workload/expr.hpp"
#include "analyzer/workload/script.hpp"

namespace dbvet::workload {
namespace {

std::string repeat(const std::string& piece, size_t count) {
  std::string out;
  out.reserve(piece.size() * count);
  for (size_t i = 0; i < count; ++i) out += piece;
  return out;
}

core::Expected<Value> run(const std::string& text) {
  auto expr = parse_expression(text);
  if (!expr) return expr.error();
  EvalContext context;
  context.lookup = [](const std::string& name) -> core::Expected<Value> {
    if (name == "n") return Value::of_int(3);
    if (name == "missing") return Value::null_value();
    return core::make_error(core::ErrorKind::input, "undefined variable '" + name + "'");
  };
  return evaluate(*expr, context);
}

void expect_too_deep(const std::string& text) {
  auto expr = parse_expression(text);
  ASSERT_FALSE(expr) << "parsed an expression nested too deeply";
  EXPECT_NE(expr.error().message.find("nests deeper than 256 levels"), std::string::npos) << expr.error().message;
}

TEST(WorkloadExprLimits, DeepNestingIsAnErrorNotACrash) {
  expect_too_deep(repeat("(", 2000) + "1" + repeat(")", 2000));
  expect_too_deep(repeat("-", 100000) + "1");
  expect_too_deep(repeat("- ", 100000) + "1");
  expect_too_deep(repeat("abs(", 20000) + "1" + repeat(")", 20000));
  expect_too_deep(repeat("not ", 5000) + "true");
  expect_too_deep(repeat("~", 5000) + "1");
  expect_too_deep(repeat("case when true then ", 3000) + "1" + repeat(" end", 3000));
  expect_too_deep(repeat("1 + (", 1000) + "1" + repeat(")", 1000));
}

TEST(WorkloadExprLimits, NestingUpToTheLimitStillWorks) {
  auto at_limit = run(repeat("(", kMaxExpressionNesting) + "7" + repeat(")", kMaxExpressionNesting));
  ASSERT_TRUE(at_limit) << at_limit.error().message;
  EXPECT_EQ(at_limit->integer, 7);
  expect_too_deep(repeat("(", kMaxExpressionNesting + 1) + "7" + repeat(")", kMaxExpressionNesting + 1));
  auto negations = run(repeat("-", 200) + "5");
  ASSERT_TRUE(negations) << negations.error().message;
  EXPECT_EQ(negations->integer, 5);
}

TEST(WorkloadExprLimits, LongFlatRunsParseAndEvaluate) {
  auto sum = run("1" + repeat(" + 1", 19999));
  ASSERT_TRUE(sum) << sum.error().message;
  EXPECT_EQ(sum->integer, 20000);

  // Alternating operators of one precedence stay left-associative: 10 - 1 + 1 - 1 ... = 10 - 1.
  auto mixed = run("10" + repeat(" - 1 + 1", 10000) + " - 1");
  ASSERT_TRUE(mixed) << mixed.error().message;
  EXPECT_EQ(mixed->integer, 9);

  auto product = run("1" + repeat(" * 1", 20000) + " * :n");
  ASSERT_TRUE(product) << product.error().message;
  EXPECT_EQ(product->integer, 3);

  auto bits = run("0" + repeat(" | 1 # 1", 20000));
  ASSERT_TRUE(bits) << bits.error().message;
  EXPECT_EQ(bits->integer, 0);

  auto any = run(repeat("false or ", 20000) + "true");
  ASSERT_TRUE(any) << any.error().message;
  EXPECT_TRUE(any->boolean);

  auto all = run(repeat("true and ", 20000) + "false");
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_FALSE(all->boolean);
}

TEST(WorkloadExprLimits, ChainsKeepPgbenchSemantics) {
  EXPECT_EQ(run("100 / 10 / 5")->integer, 2);
  EXPECT_EQ(run("2 - 3 - 4")->integer, -5);
  EXPECT_EQ(run("1 + 2 * 3 - 4 / 2 + 7 % 4")->integer, 8);
  EXPECT_EQ(run("1 << 4 >> 2 | 1 & 3")->integer, 1);  // (((1 << 4) >> 2) | 1) & 3
  EXPECT_TRUE(run("1 + :missing + 2")->is_null());
  EXPECT_TRUE(run("null or null or true")->boolean);
  EXPECT_TRUE(run("false or null or false")->is_null());
  EXPECT_FALSE(run("null and false and null")->boolean);
  // A step's error stops the chain even after a NULL, as nested operators did.
  auto division = run(":missing + 1 + 1 / 0");
  ASSERT_FALSE(division);
  EXPECT_NE(division.error().message.find("division by zero"), std::string::npos);
  auto overflow = run("9223372036854775807 + 1 - 1");
  ASSERT_FALSE(overflow);
  EXPECT_NE(overflow.error().message.find("out of range"), std::string::npos);
}

TEST(WorkloadExprLimits, ScriptErrorNamesFileLineAndLimit) {
  auto script = parse_script("SELECT 1;\n\\set x " + repeat("(", 2000) + "1" + repeat(")", 2000) + "\n", "deep.sql");
  ASSERT_FALSE(script);
  EXPECT_NE(script.error().message.find("deep.sql:2:"), std::string::npos) << script.error().message;
  EXPECT_NE(script.error().message.find("256"), std::string::npos) << script.error().message;
}

}  // namespace
}  // namespace dbvet::workload
