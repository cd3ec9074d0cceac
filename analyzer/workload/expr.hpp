#pragma once
// pgbench's expression language (the right-hand side of `\set` and the condition of `\if`):
// integer and double arithmetic, comparisons, logic with SQL NULLs, bit operators, CASE, and
// pgbench's functions. Evaluation is deterministic for a given seed.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/core/random.hpp"

namespace dbvet::workload {

struct Value {
  enum class Type { null, boolean, integer, real };
  Type type = Type::null;
  bool boolean = false;
  int64_t integer = 0;
  double real = 0;

  static Value null_value() { return {}; }
  static Value of_bool(bool b) { return {Type::boolean, b, 0, 0}; }
  static Value of_int(int64_t i) { return {Type::integer, false, i, 0}; }
  static Value of_double(double d) { return {Type::real, false, 0, d}; }

  bool is_null() const { return type == Type::null; }
  // As pgbench substitutes it into SQL: integers in decimal, doubles with 15 significant digits.
  std::string to_string() const;
  // The same appended to `out` (substitution into a reused statement buffer).
  void append_to(std::string& out) const;
};

// Parses a variable's text the way pgbench does (an integer, else a double, else an error).
core::Expected<Value> parse_value_text(std::string_view text);

enum class Op {
  constant,
  variable,
  // operators
  add,
  sub,
  mul,
  div,
  mod,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  logical_and,
  logical_or,
  logical_not,
  bit_and,
  bit_or,
  bit_xor,
  shift_left,
  shift_right,
  is,         // is(x, constant null/true/false)
  case_when,  // args: cond1, value1, cond2, value2, ..., else
  chain,      // args[0] chain_ops[0] args[1] chain_ops[1] args[2] ..., applied left to right
  // functions
  abs,
  debug,
  to_double,
  exp,
  greatest,
  hash_murmur2,
  hash_fnv1a,
  to_int,
  least,
  ln,
  modulo,
  permute,
  pi,
  pow,
  random,
  random_exponential,
  random_gaussian,
  random_zipfian,
  sqrt,
};

struct Expr {
  Op op = Op::constant;
  Value constant;
  std::string variable;       // for Op::variable
  std::vector<Expr> args;     // logical_and and logical_or take two or more, folded left to right
  std::vector<Op> chain_ops;  // for Op::chain: args.size() - 1 binary operators
};

// How deeply parentheses, function calls, CASE and prefix operators (-, +, ~, NOT) may nest, as in
// parsers with a bounded stack. Runs of binary operators of one precedence do not nest: a sum of
// any number of terms is one node, so neither parsing nor evaluation recurses per term.
inline constexpr int kMaxExpressionNesting = 256;

// Parses an expression; errors name the byte offset within `text`.
core::Expected<Expr> parse_expression(std::string_view text);

// What evaluation needs from its surroundings.
struct EvalContext {
  std::function<core::Expected<Value>(const std::string&)> lookup;  // a variable's value
  core::Random* random = nullptr;
  uint64_t default_seed = 0;  // hash() and permute() without a seed argument
};

core::Expected<Value> evaluate(const Expr& expr, EvalContext& context);

// pgbench's hash functions and permute(), exposed for tests and the generator.
int64_t hash_fnv1a(int64_t value, uint64_t seed);
int64_t hash_murmur2(int64_t value, uint64_t seed);
int64_t permute(int64_t value, int64_t size, uint64_t seed);

// Truth of a value for \if and logic: NULL and false and zero are false.
bool truth(const Value& value);

}  // namespace dbvet::workload
