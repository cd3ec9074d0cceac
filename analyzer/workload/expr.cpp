#include "analyzer/workload/expr.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <span>

#include "analyzer/util/ascii.hpp"
#include "fmt/format.h"

namespace dbvet::workload {
namespace {

using core::ErrorKind;
using core::Expected;
using core::make_error;

core::Error eval_error(std::string message) { return make_error(ErrorKind::input, std::move(message)); }

Expected<int64_t> as_int(const Value& value, const char* where) {
  switch (value.type) {
    case Value::Type::integer:
      return value.integer;
    case Value::Type::boolean:
      return value.boolean ? 1 : 0;
    case Value::Type::real:
      if (std::isnan(value.real) || value.real < -9223372036854775808.0 || value.real >= 9223372036854775808.0) {
        return eval_error(fmt::format("double {} out of bigint range in {}", value.real, where));
      }
      return static_cast<int64_t>(value.real);
    default:
      return eval_error(fmt::format("cannot use NULL as an integer in {}", where));
  }
}

Expected<double> as_double(const Value& value, const char* where) {
  switch (value.type) {
    case Value::Type::integer:
      return static_cast<double>(value.integer);
    case Value::Type::real:
      return value.real;
    case Value::Type::boolean:
      return value.boolean ? 1.0 : 0.0;
    default:
      return eval_error(fmt::format("cannot use NULL as a double in {}", where));
  }
}

bool is_numeric_int(const Value& value) {
  return value.type == Value::Type::integer || value.type == Value::Type::boolean;
}

Expected<Value> arithmetic(Op op, const Value& a, const Value& b) {
  if (is_numeric_int(a) && is_numeric_int(b)) {
    const int64_t x = *as_int(a, "");
    const int64_t y = *as_int(b, "");
    int64_t result = 0;
    switch (op) {
      case Op::add:
        if (__builtin_add_overflow(x, y, &result)) return eval_error("bigint out of range in +");
        return Value::of_int(result);
      case Op::sub:
        if (__builtin_sub_overflow(x, y, &result)) return eval_error("bigint out of range in -");
        return Value::of_int(result);
      case Op::mul:
        if (__builtin_mul_overflow(x, y, &result)) return eval_error("bigint out of range in *");
        return Value::of_int(result);
      case Op::div:
      case Op::mod:
      case Op::modulo:
        if (y == 0) return eval_error("division by zero");
        if (y == -1) {
          if (op != Op::div) return Value::of_int(0);
          if (x == std::numeric_limits<int64_t>::min()) return eval_error("bigint out of range in /");
          return Value::of_int(-x);
        }
        return Value::of_int(op == Op::div ? x / y : x % y);
      default:
        break;
    }
  }
  if (op == Op::mod || op == Op::modulo) return eval_error("% and mod() need integers");
  auto x = as_double(a, "arithmetic");
  if (!x) return x.error();
  auto y = as_double(b, "arithmetic");
  if (!y) return y.error();
  switch (op) {
    case Op::add:
      return Value::of_double(*x + *y);
    case Op::sub:
      return Value::of_double(*x - *y);
    case Op::mul:
      return Value::of_double(*x * *y);
    default:
      if (*y == 0.0) return eval_error("division by zero");
      return Value::of_double(*x / *y);
  }
}

Value compare(Op op, const Value& a, const Value& b) {
  int cmp = 0;
  if (is_numeric_int(a) && is_numeric_int(b)) {
    const int64_t x = *as_int(a, "");
    const int64_t y = *as_int(b, "");
    cmp = x < y ? -1 : x > y ? 1 : 0;
  } else {
    const double x = *as_double(a, "");
    const double y = *as_double(b, "");
    cmp = x < y ? -1 : x > y ? 1 : 0;
  }
  switch (op) {
    case Op::eq:
      return Value::of_bool(cmp == 0);
    case Op::ne:
      return Value::of_bool(cmp != 0);
    case Op::lt:
      return Value::of_bool(cmp < 0);
    case Op::le:
      return Value::of_bool(cmp <= 0);
    case Op::gt:
      return Value::of_bool(cmp > 0);
    default:
      return Value::of_bool(cmp >= 0);
  }
}

const char* op_name(Op op) {
  switch (op) {
    case Op::random:
      return "random()";
    case Op::random_exponential:
      return "random_exponential()";
    case Op::random_gaussian:
      return "random_gaussian()";
    case Op::random_zipfian:
      return "random_zipfian()";
    case Op::permute:
      return "permute()";
    default:
      return "an expression";
  }
}

Expected<Value> random_function(Op op, std::span<const Value> args, EvalContext& context) {
  auto lo = as_int(args[0], op_name(op));
  if (!lo) return lo.error();
  auto hi = as_int(args[1], op_name(op));
  if (!hi) return hi.error();
  if (*lo > *hi) return eval_error(fmt::format("empty range given to {}: {} > {}", op_name(op), *lo, *hi));
  // pgbench limits the range size to fit in a bigint.
  if (static_cast<__int128>(*hi) - *lo + 1 > std::numeric_limits<int64_t>::max()) {
    return eval_error(fmt::format("random range is too large in {}", op_name(op)));
  }
  core::Random& random = *context.random;
  if (op == Op::random) return Value::of_int(random.range(*lo, *hi));
  auto parameter = as_double(args[2], op_name(op));
  if (!parameter) return parameter.error();
  if (op == Op::random_exponential) {
    if (*parameter <= 0.0) {
      return eval_error(fmt::format("exponential parameter must be greater than zero (got {})", *parameter));
    }
    return Value::of_int(random.exponential(*lo, *hi, *parameter));
  }
  if (op == Op::random_gaussian) {
    if (*parameter < 2.0) {
      return eval_error(fmt::format("gaussian parameter must be at least 2.0 (got {})", *parameter));
    }
    return Value::of_int(random.gaussian(*lo, *hi, *parameter));
  }
  if (*parameter < 1.001 || *parameter > 1000.0) {
    return eval_error(fmt::format("zipfian parameter must be in range [1.001, 1000] (got {})", *parameter));
  }
  return Value::of_int(*lo + random.zipf(*hi - *lo + 1, *parameter) - 1);
}

Expected<Value> greatest_least(Op op, std::span<const Value> args) {
  bool any_double = false;
  for (const auto& arg : args) any_double = any_double || arg.type == Value::Type::real;
  if (any_double) {
    double best = *as_double(args[0], "");
    for (const auto& arg : args) {
      const double x = *as_double(arg, "");
      best = op == Op::greatest ? std::max(best, x) : std::min(best, x);
    }
    return Value::of_double(best);
  }
  int64_t best = *as_int(args[0], "");
  for (const auto& arg : args) {
    const int64_t x = *as_int(arg, "");
    best = op == Op::greatest ? std::max(best, x) : std::min(best, x);
  }
  return Value::of_int(best);
}

Expected<Value> evaluate_lazy(const Expr& expr, EvalContext& context) {
  if (expr.op == Op::logical_and || expr.op == Op::logical_or) {
    // a AND b AND c is ((a AND b) AND c): each step sees the previous step's value on its left.
    auto left = evaluate(expr.args[0], context);
    if (!left) return left;
    const bool is_and = expr.op == Op::logical_and;
    Value a = *left;
    for (size_t i = 1; i < expr.args.size(); ++i) {
      if (!a.is_null() && truth(a) != is_and) return Value::of_bool(!is_and);  // short circuit
      auto b = evaluate(expr.args[i], context);
      if (!b) return b;
      if (!b->is_null() && truth(*b) != is_and) return Value::of_bool(!is_and);
      a = a.is_null() || b->is_null() ? Value::null_value() : Value::of_bool(is_and);
    }
    return a;
  }
  // CASE: pairs of condition/value, then the ELSE value.
  const size_t pairs = (expr.args.size() - 1) / 2;
  for (size_t i = 0; i < pairs; ++i) {
    auto condition = evaluate(expr.args[2 * i], context);
    if (!condition) return condition;
    if (truth(*condition)) return evaluate(expr.args[2 * i + 1], context);
  }
  return evaluate(expr.args.back(), context);
}

Expected<Value> apply(Op op, std::span<const Value> args, EvalContext& context);

// ((a op1 b) op2 c) ...: every operand is evaluated in order, and a step's error stops the rest, as
// the nested binary operators did.
Expected<Value> evaluate_chain(const Expr& expr, EvalContext& context) {
  auto first = evaluate(expr.args[0], context);
  if (!first) return first;
  std::array<Value, 2> pair{*first, Value::null_value()};
  for (size_t i = 1; i < expr.args.size(); ++i) {
    auto right = evaluate(expr.args[i], context);
    if (!right) return right;
    if (pair[0].is_null() || right->is_null()) {
      pair[0] = Value::null_value();
      continue;
    }
    pair[1] = *right;
    auto step = apply(expr.chain_ops[i - 1], pair, context);
    if (!step) return step;
    pair[0] = *step;
  }
  return pair[0];
}

Expected<Value> apply(Op op, std::span<const Value> args, EvalContext& context) {
  switch (op) {
    case Op::add:
    case Op::sub:
    case Op::mul:
    case Op::div:
    case Op::mod:
    case Op::modulo:
      return arithmetic(op, args[0], args[1]);
    case Op::eq:
    case Op::ne:
    case Op::lt:
    case Op::le:
    case Op::gt:
    case Op::ge:
      return compare(op, args[0], args[1]);
    case Op::logical_not:
      return Value::of_bool(!truth(args[0]));
    case Op::bit_and:
    case Op::bit_or:
    case Op::bit_xor:
    case Op::shift_left:
    case Op::shift_right: {
      auto x = as_int(args[0], "a bit operator");
      if (!x) return x.error();
      auto y = as_int(args[1], "a bit operator");
      if (!y) return y.error();
      const uint64_t ux = static_cast<uint64_t>(*x);
      if (op == Op::bit_and) return Value::of_int(*x & *y);
      if (op == Op::bit_or) return Value::of_int(*x | *y);
      if (op == Op::bit_xor) return Value::of_int(*x ^ *y);
      if (*y < 0 || *y > 63) return Value::of_int(0);
      return Value::of_int(op == Op::shift_left ? static_cast<int64_t>(ux << *y) : (*x >> *y));
    }
    case Op::abs:
      if (args[0].type == Value::Type::real) return Value::of_double(std::fabs(args[0].real));
      {
        auto x = as_int(args[0], "abs()");
        if (!x) return x.error();
        if (*x == std::numeric_limits<int64_t>::min()) return eval_error("bigint out of range in abs()");
        return Value::of_int(*x < 0 ? -*x : *x);
      }
    case Op::debug:
      return args[0];  // pgbench prints it; the analyzer never prints
    case Op::to_double: {
      auto x = as_double(args[0], "double()");
      if (!x) return x.error();
      return Value::of_double(*x);
    }
    case Op::to_int: {
      auto x = as_int(args[0], "int()");
      if (!x) return x.error();
      return Value::of_int(*x);
    }
    case Op::exp:
    case Op::ln:
    case Op::sqrt: {
      auto x = as_double(args[0], "a math function");
      if (!x) return x.error();
      if (op == Op::exp) return Value::of_double(std::exp(*x));
      if (op == Op::ln) return Value::of_double(std::log(*x));
      return Value::of_double(std::sqrt(*x));
    }
    case Op::pow: {
      auto x = as_double(args[0], "pow()");
      if (!x) return x.error();
      auto y = as_double(args[1], "pow()");
      if (!y) return y.error();
      return Value::of_double(std::pow(*x, *y));
    }
    case Op::pi:
      return Value::of_double(M_PI);
    case Op::greatest:
    case Op::least:
      return greatest_least(op, args);
    case Op::hash_murmur2:
    case Op::hash_fnv1a: {
      auto x = as_int(args[0], "hash()");
      if (!x) return x.error();
      uint64_t seed = context.default_seed;
      if (args.size() > 1) {
        auto s = as_int(args[1], "hash()");
        if (!s) return s.error();
        seed = static_cast<uint64_t>(*s);
      }
      return Value::of_int(op == Op::hash_fnv1a ? hash_fnv1a(*x, seed) : hash_murmur2(*x, seed));
    }
    case Op::permute: {
      auto x = as_int(args[0], "permute()");
      if (!x) return x.error();
      auto size = as_int(args[1], "permute()");
      if (!size) return size.error();
      if (*size <= 0) return eval_error("permute size parameter must be greater than zero");
      uint64_t seed = context.default_seed;
      if (args.size() > 2) {
        auto s = as_int(args[2], "permute()");
        if (!s) return s.error();
        seed = static_cast<uint64_t>(*s);
      }
      return Value::of_int(permute(*x, *size, seed));
    }
    case Op::random:
    case Op::random_exponential:
    case Op::random_gaussian:
    case Op::random_zipfian:
      return random_function(op, args, context);
    default:
      return eval_error("internal: unexpected operator");
  }
}

}  // namespace

std::string Value::to_string() const {
  std::string out;
  append_to(out);
  return out;
}

void Value::append_to(std::string& out) const {
  switch (type) {
    case Type::integer: {
      char digits[24];
      out.append(digits, std::to_chars(digits, digits + sizeof digits, integer).ptr);
      return;
    }
    case Type::real: {
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.15g", real);
      out += buffer;
      return;
    }
    case Type::boolean:
      out += boolean ? "true" : "false";
      return;
    default:
      out += "NULL";
  }
}

Expected<Value> parse_value_text(std::string_view text) {
  std::string trimmed(text);
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.pop_back();
  size_t start = 0;
  while (start < trimmed.size() && std::isspace(static_cast<unsigned char>(trimmed[start]))) ++start;
  trimmed.erase(0, start);
  if (trimmed.empty()) return make_error(ErrorKind::input, "empty value where a number was expected");
  const std::string lowered = util::to_lower(trimmed);
  if (lowered == "true") return Value::of_bool(true);
  if (lowered == "false") return Value::of_bool(false);
  if (lowered == "null") return Value::null_value();
  char* end = nullptr;
  errno = 0;
  const long long integer = std::strtoll(trimmed.c_str(), &end, 10);
  if (end && *end == '\0' && errno == 0) return Value::of_int(integer);
  errno = 0;
  const double real = std::strtod(trimmed.c_str(), &end);
  if (end && *end == '\0' && errno == 0) return Value::of_double(real);
  return make_error(ErrorKind::input, fmt::format("malformed number '{}'", trimmed));
}

bool truth(const Value& value) {
  switch (value.type) {
    case Value::Type::boolean:
      return value.boolean;
    case Value::Type::integer:
      return value.integer != 0;
    case Value::Type::real:
      return value.real != 0.0;
    default:
      return false;
  }
}

Expected<Value> evaluate(const Expr& expr, EvalContext& context) {
  switch (expr.op) {
    case Op::constant:
      return expr.constant;
    case Op::variable: {
      if (!context.lookup) return eval_error(fmt::format("undefined variable '{}'", expr.variable));
      return context.lookup(expr.variable);
    }
    case Op::logical_and:
    case Op::logical_or:
    case Op::case_when:
      return evaluate_lazy(expr, context);
    case Op::chain:
      return evaluate_chain(expr, context);
    case Op::is: {
      auto value = evaluate(expr.args[0], context);
      if (!value) return value;
      const Value& what = expr.args[1].constant;
      if (what.is_null()) return Value::of_bool(value->is_null());
      if (value->is_null()) return Value::of_bool(false);
      return Value::of_bool(truth(*value) == what.boolean);
    }
    default:
      break;
  }
  // \set runs once per transaction on the bench's hot path: the arguments of a call with few of
  // them (random(1, n) has two) live on the stack, not in an allocation per call.
  constexpr size_t kInlineArgs = 4;
  std::array<Value, kInlineArgs> inline_args;
  std::vector<Value> heap_args;
  if (expr.args.size() > kInlineArgs) heap_args.resize(expr.args.size());
  const std::span<Value> args =
      heap_args.empty() ? std::span<Value>(inline_args.data(), expr.args.size()) : std::span<Value>(heap_args);
  bool has_null = false;
  for (size_t i = 0; i < expr.args.size(); ++i) {
    auto value = evaluate(expr.args[i], context);
    if (!value) return value;
    has_null = has_null || value->is_null();
    args[i] = *value;
  }
  if (has_null && expr.op != Op::debug) return Value::null_value();  // NULL in, NULL out (as pgbench)
  if ((expr.op == Op::random || expr.op == Op::random_exponential || expr.op == Op::random_gaussian ||
       expr.op == Op::random_zipfian) &&
      context.random == nullptr) {
    return eval_error("random functions need a seeded session");
  }
  return apply(expr.op, args, context);
}

int64_t hash_fnv1a(int64_t value, uint64_t seed) {
  uint64_t result = 0xcbf29ce484222325ULL ^ seed;
  uint64_t v = static_cast<uint64_t>(value);
  for (int i = 0; i < 8; ++i) {
    result ^= v & 0xff;
    v >>= 8;
    result *= 0x100000001b3ULL;
  }
  return static_cast<int64_t>(result);
}

int64_t hash_murmur2(int64_t value, uint64_t seed) {
  constexpr uint64_t kMul = 0xc6a4a7935bd1e995ULL;
  constexpr uint64_t kMulTimes8 = 0x35253c9ade8f4ca8ULL;
  constexpr int kRot = 47;
  uint64_t result = seed ^ kMulTimes8;
  uint64_t k = static_cast<uint64_t>(value);
  k *= kMul;
  k ^= k >> kRot;
  k *= kMul;
  result ^= k;
  result *= kMul;
  result ^= result >> kRot;
  result *= kMul;
  result ^= result >> kRot;
  return static_cast<int64_t>(result);
}

// pgbench's permute(): rounds of keyed bijections on the lower and upper halves of [0, size), then a
// keyed rotation. The round keys come from this project's PRNG, so values differ from pgbench's but
// the result is still a permutation of [0, size).
int64_t permute(int64_t value, int64_t isize, uint64_t seed) {
  if (isize < 2) return 0;
  core::Random random(seed);
  const uint64_t size = static_cast<uint64_t>(isize);
  uint64_t v = static_cast<uint64_t>(value) % size;
  if (value < 0) v = (size - (static_cast<uint64_t>(-(value + 1)) % size) - 1) % size;
  const int masklen = 63 - __builtin_clzll(size);
  const uint64_t mask = (uint64_t{1} << masklen) - 1;
  for (int i = 0; i < 6; ++i) {
    uint64_t m = (random.next() & mask) | 1;
    uint64_t r = random.next() & mask;
    if (v <= mask) {
      v = ((v * m) ^ r) & mask;
      v = ((v << 1) & mask) | (v >> (masklen - 1));
    }
    m = (random.next() & mask) | 1;
    r = random.next() & mask;
    uint64_t t = size - 1 - v;
    if (t <= mask) {
      t = ((t * m) ^ r) & mask;
      t = ((t << 1) & mask) | (t >> (masklen - 1));
      v = size - 1 - t;
    }
    r = static_cast<uint64_t>(random.range(0, static_cast<int64_t>(size - 1)));
    v = (v + r) % size;
  }
  return static_cast<int64_t>(v);
}

}  // namespace dbvet::workload
