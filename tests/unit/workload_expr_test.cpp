#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "analyzer/workload/expr.hpp"

namespace dbvet::workload {
namespace {

Value eval(const std::string& text, uint64_t seed = 1) {
  auto expr = parse_expression(text);
  EXPECT_TRUE(expr) << text << ": " << (expr ? "" : expr.error().message);
  if (!expr) return {};
  core::Random random(seed);
  EvalContext context;
  context.random = &random;
  context.default_seed = 42;
  context.lookup = [](const std::string& name) -> core::Expected<Value> {
    if (name == "scale") return Value::of_int(10);
    if (name == "half") return Value::of_double(0.5);
    return core::make_error(core::ErrorKind::input, "undefined variable '" + name + "'");
  };
  auto value = evaluate(*expr, context);
  EXPECT_TRUE(value) << text << ": " << (value ? "" : value.error().message);
  return value ? *value : Value{};
}

std::string eval_error(const std::string& text) {
  auto expr = parse_expression(text);
  if (!expr) return expr.error().message;
  core::Random random(1);
  EvalContext context;
  context.random = &random;
  context.lookup = [](const std::string& name) -> core::Expected<Value> {
    return core::make_error(core::ErrorKind::input, "undefined variable '" + name + "'");
  };
  auto value = evaluate(*expr, context);
  return value ? std::string("no error") : value.error().message;
}

int64_t as_int(const std::string& text) {
  Value value = eval(text);
  EXPECT_EQ(value.type, Value::Type::integer) << text;
  return value.integer;
}

double as_double(const std::string& text) {
  Value value = eval(text);
  EXPECT_EQ(value.type, Value::Type::real) << text;
  return value.real;
}

TEST(WorkloadExpr, IntegerArithmeticAndPrecedence) {
  EXPECT_EQ(as_int("1 + 2 * 3"), 7);
  EXPECT_EQ(as_int("(1 + 2) * 3"), 9);
  EXPECT_EQ(as_int("7 / 2"), 3);
  EXPECT_EQ(as_int("-7 / 2"), -3);
  EXPECT_EQ(as_int("7 % 3"), 1);
  EXPECT_EQ(as_int("-7 % 3"), -1);
  EXPECT_EQ(as_int("100000 * :scale"), 1000000);
  EXPECT_EQ(as_int("- - 5"), 5);
  EXPECT_EQ(as_int("-9223372036854775808 + 1"), -9223372036854775807LL);
  EXPECT_EQ(as_int("1 << 4 | 1"), 17);
  EXPECT_EQ(as_int("6 & 3"), 2);
  EXPECT_EQ(as_int("6 # 3"), 5);
  EXPECT_EQ(as_int("~0"), -1);
  EXPECT_EQ(as_int("256 >> 4"), 16);
}

TEST(WorkloadExpr, DoubleArithmetic) {
  EXPECT_DOUBLE_EQ(as_double("1.5 * 2"), 3.0);
  EXPECT_DOUBLE_EQ(as_double("7 / 2.0"), 3.5);
  EXPECT_DOUBLE_EQ(as_double(":half + 1"), 1.5);
  EXPECT_DOUBLE_EQ(as_double("1e3"), 1000.0);
  EXPECT_DOUBLE_EQ(as_double(".5"), 0.5);
}

TEST(WorkloadExpr, ComparisonsAndLogic) {
  EXPECT_TRUE(eval("1 < 2").boolean);
  EXPECT_TRUE(eval("2 <= 2 AND 3 >= 3").boolean);
  EXPECT_TRUE(eval("1 <> 2 and 1 != 2").boolean);
  EXPECT_FALSE(eval("1 = 2 OR 2 > 3").boolean);
  EXPECT_TRUE(eval("NOT false").boolean);
  EXPECT_TRUE(eval("1.0 = 1").boolean);
  EXPECT_TRUE(eval("NULL IS NULL").boolean);
  EXPECT_TRUE(eval("1 IS NOT NULL").boolean);
  EXPECT_TRUE(eval("1 notnull").boolean);
  EXPECT_TRUE(eval("null isnull").boolean);
  EXPECT_TRUE(eval("(1 = 1) IS TRUE").boolean);
  EXPECT_TRUE(eval("NULL + 1").is_null());
  EXPECT_TRUE(eval("NULL AND true").is_null());
  EXPECT_FALSE(eval("NULL AND false").boolean);
  EXPECT_TRUE(eval("NULL OR true").boolean);
  // Lazy: the division by zero on the right is never evaluated.
  EXPECT_FALSE(eval("false AND 1 / 0 = 1").boolean);
}

TEST(WorkloadExpr, CaseWhen) {
  EXPECT_EQ(as_int("CASE WHEN 1 > 2 THEN 10 WHEN 2 > 1 THEN 20 ELSE 30 END"), 20);
  EXPECT_EQ(as_int("case when false then 1 else 2 end"), 2);
  EXPECT_TRUE(eval("CASE WHEN false THEN 1 END").is_null());
}

TEST(WorkloadExpr, MathFunctions) {
  EXPECT_EQ(as_int("abs(-5)"), 5);
  EXPECT_DOUBLE_EQ(as_double("abs(-2.5)"), 2.5);
  EXPECT_EQ(as_int("int(5.9)"), 5);
  EXPECT_EQ(as_int("int(-5.9)"), -5);
  EXPECT_DOUBLE_EQ(as_double("double(3)"), 3.0);
  EXPECT_EQ(as_int("greatest(3, 7, 5)"), 7);
  EXPECT_EQ(as_int("least(3, 7, 5)"), 3);
  EXPECT_DOUBLE_EQ(as_double("greatest(1, 2.5)"), 2.5);
  // More arguments than evaluation keeps on the stack.
  EXPECT_EQ(as_int("greatest(3, 7, 5, 11, 2, 9)"), 11);
  EXPECT_EQ(as_int("least(3, 7, 5, 11, -2, 9, 4)"), -2);
  EXPECT_DOUBLE_EQ(as_double("greatest(1, 2, 3, 4, 5.5)"), 5.5);
  EXPECT_DOUBLE_EQ(as_double("pi()"), M_PI);
  EXPECT_DOUBLE_EQ(as_double("sqrt(16)"), 4.0);
  EXPECT_DOUBLE_EQ(as_double("ln(exp(2))"), 2.0);
  EXPECT_DOUBLE_EQ(as_double("exp(0)"), 1.0);
  EXPECT_DOUBLE_EQ(as_double("pow(2, 10)"), 1024.0);
  EXPECT_DOUBLE_EQ(as_double("power(9, 0.5)"), 3.0);
  EXPECT_EQ(as_int("mod(10, 3)"), 1);
  EXPECT_EQ(as_int("debug(4)"), 4);
}

TEST(WorkloadExpr, HashFunctionsMatchPgbench) {
  // pgbench's hash_fnv1a is FNV-1a over the 8 little-endian bytes of the value, seed xored in.
  const int64_t v = 0x0102030405060708LL;
  const char bytes[8] = {8, 7, 6, 5, 4, 3, 2, 1};
  EXPECT_EQ(hash_fnv1a(v, 0), static_cast<int64_t>(core::fnv1a(std::string_view(bytes, 8))));
  EXPECT_EQ(as_int("hash_fnv1a(0, 0)"), hash_fnv1a(0, 0));
  EXPECT_EQ(as_int("hash(10, 5)"), hash_murmur2(10, 5));
  EXPECT_EQ(as_int("hash_murmur2(10)"), hash_murmur2(10, 42));  // default seed
  EXPECT_NE(hash_murmur2(1, 0), hash_murmur2(2, 0));
  EXPECT_NE(hash_fnv1a(1, 0), hash_fnv1a(1, 1));
}

TEST(WorkloadExpr, PermuteIsABijection) {
  for (int64_t size : {1, 2, 3, 10, 64, 1000, 1023}) {
    std::set<int64_t> seen;
    for (int64_t i = 0; i < size; ++i) {
      const int64_t p = permute(i, size, 7);
      ASSERT_GE(p, 0);
      ASSERT_LT(p, size);
      seen.insert(p);
    }
    EXPECT_EQ(static_cast<int64_t>(seen.size()), size) << size;
  }
  EXPECT_EQ(as_int("permute(3, 10, 7)"), permute(3, 10, 7));
  EXPECT_EQ(permute(13, 10, 7), permute(3, 10, 7));
  EXPECT_EQ(permute(-1, 10, 7), permute(9, 10, 7));
}

TEST(WorkloadExpr, RandomFunctionsStayInRangeAndAreDeterministic) {
  for (const char* text : {"random(1, 10)", "random_exponential(1, 10, 2.0)", "random_gaussian(1, 10, 2.5)",
                           "random_zipfian(1, 10, 1.5)"}) {
    auto expr = parse_expression(text);
    ASSERT_TRUE(expr);
    core::Random a(99);
    core::Random b(99);
    EvalContext ca{nullptr, &a, 0};
    EvalContext cb{nullptr, &b, 0};
    for (int i = 0; i < 2000; ++i) {
      auto va = evaluate(*expr, ca);
      auto vb = evaluate(*expr, cb);
      ASSERT_TRUE(va && vb);
      ASSERT_EQ(va->integer, vb->integer);
      ASSERT_GE(va->integer, 1) << text;
      ASSERT_LE(va->integer, 10) << text;
    }
  }
}

TEST(WorkloadExpr, ExponentialAndGaussianShapes) {
  core::Random random(5);
  std::map<int64_t, int> exp_counts;
  std::map<int64_t, int> gauss_counts;
  for (int i = 0; i < 100000; ++i) {
    ++exp_counts[random.exponential(1, 10, 1.0)];
    ++gauss_counts[random.gaussian(1, 10, 2.5)];
  }
  EXPECT_GT(exp_counts[1], exp_counts[5]);
  EXPECT_GT(exp_counts[5], exp_counts[10]);
  EXPECT_GT(gauss_counts[5] + gauss_counts[6], 3 * (gauss_counts[1] + gauss_counts[10]));
}

TEST(WorkloadExpr, ZipfianFollowsItsLaw) {
  // P(k) is proportional to k^-s: the ratio of the counts of ranks 1 and 2 is 2^s.
  core::Random random(12345);
  const double s = 1.5;
  const int n = 1000;
  std::vector<int> counts(n + 1);
  const int draws = 400000;
  for (int i = 0; i < draws; ++i) {
    const int64_t k = random.zipf(n, s);
    ASSERT_GE(k, 1);
    ASSERT_LE(k, n);
    ++counts[k];
  }
  double norm = 0;
  for (int k = 1; k <= n; ++k) norm += std::pow(k, -s);
  for (int k : {1, 2, 3, 10}) {
    const double expected = draws * std::pow(k, -s) / norm;
    EXPECT_NEAR(counts[k], expected, expected * 0.05 + 30) << "rank " << k;
  }
  EXPECT_NEAR(static_cast<double>(counts[1]) / counts[2], std::pow(2.0, s), 0.1);
}

TEST(WorkloadExpr, ErrorsAreClear) {
  EXPECT_EQ(eval_error("1 / 0"), "division by zero");
  EXPECT_EQ(eval_error("5 % 0"), "division by zero");
  EXPECT_EQ(eval_error("9223372036854775807 + 1"), "bigint out of range in +");
  EXPECT_EQ(eval_error("random(10, 1)"), "empty range given to random(): 10 > 1");
  EXPECT_NE(eval_error("random_zipfian(1, 10, 1.0)").find("zipfian parameter"), std::string::npos);
  EXPECT_NE(eval_error("random_gaussian(1, 10, 1.0)").find("gaussian parameter"), std::string::npos);
  EXPECT_NE(eval_error("random_exponential(1, 10, 0)").find("exponential parameter"), std::string::npos);
  EXPECT_EQ(eval_error(":nope + 1"), "undefined variable 'nope'");
  EXPECT_EQ(eval_error("frobnicate(1)"), "unknown function 'frobnicate' at offset 0");
  EXPECT_EQ(eval_error("random(1)"), "function random() takes 2 argument(s), got 1 (offset 0)");
  EXPECT_EQ(eval_error("1 +"), "expected a number, a :variable, a function or '(' at offset 3, found the end");
  EXPECT_EQ(eval_error("(1 + 2"), "expected ')' at offset 6, found the end");
  EXPECT_EQ(eval_error("1 2"), "expected an operator or the end of the expression at offset 2, found '2'");
  EXPECT_EQ(eval_error("1 $ 2"), "unexpected character '$' at offset 2");
  EXPECT_EQ(eval_error("5.5 % 2"), "% and mod() need integers");
}

TEST(WorkloadExpr, ValueTextAndFormatting) {
  EXPECT_EQ(Value::of_int(-12).to_string(), "-12");
  EXPECT_EQ(Value::of_double(0.1).to_string(), "0.1");
  EXPECT_EQ(Value::of_double(2.0).to_string(), "2");
  EXPECT_EQ(parse_value_text("42")->integer, 42);
  EXPECT_DOUBLE_EQ(parse_value_text(" 2.5 ")->real, 2.5);
  EXPECT_FALSE(parse_value_text("abc"));
}

}  // namespace
}  // namespace dbvet::workload
