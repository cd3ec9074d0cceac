#include "analyzer/workload/expr.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "fmt/format.h"

namespace dbvet::workload {
namespace {

using core::ErrorKind;
using core::Expected;
using core::make_error;

// ---- lexer -------------------------------------------------------------------------------------

enum class Tok { end, integer, real, ident, variable, op, lparen, rparen, comma };

struct Token {
  Tok kind = Tok::end;
  std::string text;  // identifiers lower-cased, operators as written
  int64_t integer = 0;
  double real = 0;
  size_t offset = 0;
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Expected<std::vector<Token>> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  auto is_ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    Token token;
    token.offset = i;
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
      size_t j = i;
      bool is_real = false;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      if (j < text.size() && text[j] == '.') {
        is_real = true;
        ++j;
        while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      }
      if (j < text.size() && (text[j] == 'e' || text[j] == 'E')) {
        size_t k = j + 1;
        if (k < text.size() && (text[k] == '+' || text[k] == '-')) ++k;
        if (k < text.size() && std::isdigit(static_cast<unsigned char>(text[k]))) {
          is_real = true;
          j = k;
          while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
        }
      }
      token.text = std::string(text.substr(i, j - i));
      if (is_real) {
        token.kind = Tok::real;
        token.real = std::strtod(token.text.c_str(), nullptr);
      } else {
        token.kind = Tok::integer;
        uint64_t value = 0;
        for (char d : token.text) {
          if (value > (std::numeric_limits<uint64_t>::max() - 9) / 10) {
            return make_error(ErrorKind::input, fmt::format("integer {} out of range at offset {}", token.text, i));
          }
          value = value * 10 + static_cast<uint64_t>(d - '0');
        }
        // 9223372036854775808 is allowed only right after a unary minus; checked by the parser.
        if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) {
          return make_error(ErrorKind::input, fmt::format("integer {} out of range at offset {}", token.text, i));
        }
        token.integer = static_cast<int64_t>(value);  // wraps to INT64_MIN for 2^63
        token.real = static_cast<double>(value);
      }
      i = j;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t j = i;
      while (j < text.size() && is_ident(text[j])) ++j;
      token.kind = Tok::ident;
      token.text = lower(text.substr(i, j - i));
      i = j;
    } else if (c == ':') {
      size_t j = i + 1;
      while (j < text.size() && is_ident(text[j])) ++j;
      if (j == i + 1)
        return make_error(ErrorKind::input, fmt::format("expected a variable name after ':' at offset {}", i));
      token.kind = Tok::variable;
      token.text = std::string(text.substr(i + 1, j - i - 1));
      i = j;
    } else if (c == '(' || c == ')' || c == ',') {
      token.kind = c == '(' ? Tok::lparen : c == ')' ? Tok::rparen : Tok::comma;
      token.text = std::string(1, c);
      ++i;
    } else {
      static const char* const two[] = {"<=", ">=", "<>", "!=", "<<", ">>"};
      token.kind = Tok::op;
      for (const char* op : two) {
        if (text.substr(i, 2) == op) token.text = op;
      }
      if (token.text.empty()) {
        if (std::string_view("+-*/%<>=&|#~").find(c) == std::string_view::npos) {
          return make_error(ErrorKind::input, fmt::format("unexpected character '{}' at offset {}", c, i));
        }
        token.text = std::string(1, c);
      }
      i += token.text.size();
    }
    tokens.push_back(std::move(token));
  }
  Token end;
  end.offset = text.size();
  tokens.push_back(end);
  return tokens;
}

// ---- parser ------------------------------------------------------------------------------------

struct FunctionInfo {
  Op op;
  int min_args;
  int max_args;  // -1: unbounded
};

const std::map<std::string, FunctionInfo>& functions() {
  static const std::map<std::string, FunctionInfo> table = {
      {"abs", {Op::abs, 1, 1}},
      {"debug", {Op::debug, 1, 1}},
      {"double", {Op::to_double, 1, 1}},
      {"exp", {Op::exp, 1, 1}},
      {"greatest", {Op::greatest, 1, -1}},
      {"hash", {Op::hash_murmur2, 1, 2}},
      {"hash_fnv1a", {Op::hash_fnv1a, 1, 2}},
      {"hash_murmur2", {Op::hash_murmur2, 1, 2}},
      {"int", {Op::to_int, 1, 1}},
      {"least", {Op::least, 1, -1}},
      {"ln", {Op::ln, 1, 1}},
      {"mod", {Op::modulo, 2, 2}},
      {"permute", {Op::permute, 2, 3}},
      {"pi", {Op::pi, 0, 0}},
      {"pow", {Op::pow, 2, 2}},
      {"power", {Op::pow, 2, 2}},
      {"random", {Op::random, 2, 2}},
      {"random_exponential", {Op::random_exponential, 3, 3}},
      {"random_gaussian", {Op::random_gaussian, 3, 3}},
      {"random_zipfian", {Op::random_zipfian, 3, 3}},
      {"sqrt", {Op::sqrt, 1, 1}},
  };
  return table;
}

Expr make_op(Op op, std::vector<Expr> args) {
  Expr expr;
  expr.op = op;
  expr.args = std::move(args);
  return expr;
}

// Moves its operands in: building from an initializer list copied the whole left subtree at every
// operator, which made a long sum quadratic.
template <typename... Operands>
Expr make_node(Op op, Operands&&... operands) {
  Expr expr;
  expr.op = op;
  expr.args.reserve(sizeof...(operands));
  (expr.args.push_back(std::forward<Operands>(operands)), ...);
  return expr;
}

Expr make_constant(Value value) {
  Expr expr;
  expr.constant = value;
  return expr;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Expected<Expr> parse_all() {
    auto expr = parse_or();
    if (!expr) return expr;
    if (peek().kind != Tok::end) return unexpected("an operator or the end of the expression");
    return expr;
  }

 private:
  const Token& peek() const { return tokens_[pos_]; }
  const Token& take() { return tokens_[pos_++]; }
  bool is_keyword(const char* word) const { return peek().kind == Tok::ident && peek().text == word; }
  bool is_op(const char* op) const { return peek().kind == Tok::op && peek().text == op; }

  core::Error unexpected(const char* expected) const {
    const Token& token = peek();
    std::string found = token.kind == Tok::end ? "the end" : fmt::format("'{}'", token.text);
    return make_error(ErrorKind::input,
                      fmt::format("expected {} at offset {}, found {}", expected, token.offset, found));
  }

  // OR and AND runs become one node each, evaluated left to right with short circuits.
  Expected<Expr> parse_or() { return parse_logical(Op::logical_or, "or", &Parser::parse_and); }
  Expected<Expr> parse_and() { return parse_logical(Op::logical_and, "and", &Parser::parse_not); }

  Expected<Expr> parse_logical(Op op, const char* keyword, Expected<Expr> (Parser::*next)()) {
    auto left = (this->*next)();
    if (!left) return left;
    if (!is_keyword(keyword)) return left;
    Expr node = make_node(op, std::move(*left));
    while (is_keyword(keyword)) {
      take();
      auto right = (this->*next)();
      if (!right) return right;
      node.args.push_back(std::move(*right));
    }
    return node;
  }

  // One nesting level (a parenthesis, a function call, CASE, a prefix operator) for as long as it
  // lives; the parser recurses once per level, so bounding levels bounds its stack.
  class Level {
   public:
    explicit Level(int& depth) : depth_(depth) { ++depth_; }
    ~Level() { --depth_; }
    Level(const Level&) = delete;
    Level& operator=(const Level&) = delete;

   private:
    int& depth_;
  };

  std::optional<core::Error> too_deep() const {
    if (depth_ <= kMaxExpressionNesting) return std::nullopt;
    return make_error(ErrorKind::input,
                      fmt::format("expression nests deeper than {} levels (parentheses, function calls, CASE, "
                                  "prefix operators) at offset {}",
                                  kMaxExpressionNesting, peek().offset));
  }

  Expected<Expr> parse_not() {
    if (is_keyword("not")) {
      Level level(depth_);
      if (auto error = too_deep()) return *error;
      take();
      auto operand = parse_not();
      if (!operand) return operand;
      return make_node(Op::logical_not, std::move(*operand));
    }
    return parse_is();
  }

  Expected<Expr> parse_is() {
    auto left = parse_comparison();
    if (!left) return left;
    if (is_keyword("isnull") || is_keyword("notnull")) {
      const bool negate = take().text == "notnull";
      Expr is = make_node(Op::is, std::move(*left), make_constant(Value::null_value()));
      return negate ? make_node(Op::logical_not, std::move(is)) : is;
    }
    if (!is_keyword("is")) return left;
    take();
    bool negate = false;
    if (is_keyword("not")) {
      take();
      negate = true;
    }
    Value what;
    if (is_keyword("null")) {
      what = Value::null_value();
    } else if (is_keyword("true")) {
      what = Value::of_bool(true);
    } else if (is_keyword("false")) {
      what = Value::of_bool(false);
    } else {
      return unexpected("NULL, TRUE or FALSE after IS");
    }
    take();
    Expr is = make_node(Op::is, std::move(*left), make_constant(what));
    return negate ? make_node(Op::logical_not, std::move(is)) : is;
  }

  Expected<Expr> parse_comparison() {
    auto left = parse_bits();
    if (!left) return left;
    static const std::map<std::string, Op> ops = {{"=", Op::eq},  {"<>", Op::ne}, {"!=", Op::ne}, {"<", Op::lt},
                                                  {"<=", Op::le}, {">", Op::gt},  {">=", Op::ge}};
    if (peek().kind == Tok::op) {
      auto found = ops.find(peek().text);
      if (found != ops.end()) {
        take();
        auto right = parse_bits();
        if (!right) return right;
        return make_node(found->second, std::move(*left), std::move(*right));
      }
    }
    return left;
  }

  Expected<Expr> parse_bits() {
    return parse_chain(&Parser::parse_additive, [this]() -> std::optional<Op> {
      if (peek().kind != Tok::op) return std::nullopt;
      const std::string& text = peek().text;
      if (text == "&") return Op::bit_and;
      if (text == "|") return Op::bit_or;
      if (text == "#") return Op::bit_xor;
      if (text == "<<") return Op::shift_left;
      if (text == ">>") return Op::shift_right;
      return std::nullopt;
    });
  }

  Expected<Expr> parse_additive() {
    return parse_chain(&Parser::parse_multiplicative, [this]() -> std::optional<Op> {
      if (is_op("+")) return Op::add;
      if (is_op("-")) return Op::sub;
      return std::nullopt;
    });
  }

  Expected<Expr> parse_multiplicative() {
    return parse_chain(&Parser::parse_unary, [this]() -> std::optional<Op> {
      if (is_op("*")) return Op::mul;
      if (is_op("/")) return Op::div;
      if (is_op("%")) return Op::mod;
      return std::nullopt;
    });
  }

  // A run of left-associative operators of one precedence becomes one chain node: as a binary tree,
  // a sum of 20,000 terms was 20,000 levels deep for the evaluator and the destructor.
  template <typename Match>
  Expected<Expr> parse_chain(Expected<Expr> (Parser::*next)(), Match match) {
    auto first = (this->*next)();
    if (!first) return first;
    std::optional<Op> op = match();
    if (!op) return first;
    Expr chain = make_node(Op::chain, std::move(*first));
    while (op) {
      take();
      auto right = (this->*next)();
      if (!right) return right;
      chain.chain_ops.push_back(*op);
      chain.args.push_back(std::move(*right));
      op = match();
    }
    if (chain.chain_ops.size() == 1) {
      return make_node(chain.chain_ops[0], std::move(chain.args[0]), std::move(chain.args[1]));
    }
    return chain;
  }

  Expected<Expr> parse_unary() {
    if (!is_op("-") && !is_op("+") && !is_op("~")) return parse_primary();
    Level level(depth_);
    if (auto error = too_deep()) return *error;
    if (is_op("-")) {
      take();
      // The most negative integer is only writable as a negated literal.
      if (peek().kind == Tok::integer && peek().integer == std::numeric_limits<int64_t>::min()) {
        take();
        return make_constant(Value::of_int(std::numeric_limits<int64_t>::min()));
      }
      auto operand = parse_unary();
      if (!operand) return operand;
      return make_node(Op::sub, make_constant(Value::of_int(0)), std::move(*operand));
    }
    if (is_op("+")) {
      take();
      return parse_unary();
    }
    take();
    auto operand = parse_unary();
    if (!operand) return operand;
    return make_node(Op::bit_xor, make_constant(Value::of_int(-1)), std::move(*operand));
  }

  Expected<Expr> parse_primary() {
    const Token& token = peek();
    switch (token.kind) {
      case Tok::integer:
        if (token.integer == std::numeric_limits<int64_t>::min()) {
          return make_error(ErrorKind::input,
                            fmt::format("integer {} out of range at offset {}", token.text, token.offset));
        }
        take();
        return make_constant(Value::of_int(token.integer));
      case Tok::real:
        take();
        return make_constant(Value::of_double(token.real));
      case Tok::variable: {
        Expr expr;
        expr.op = Op::variable;
        expr.variable = take().text;
        return expr;
      }
      case Tok::lparen: {
        Level level(depth_);
        if (auto error = too_deep()) return *error;
        take();
        auto inner = parse_or();
        if (!inner) return inner;
        if (peek().kind != Tok::rparen) return unexpected("')'");
        take();
        return inner;
      }
      case Tok::ident:
        return parse_identifier();
      default:
        return unexpected("a number, a :variable, a function or '('");
    }
  }

  Expected<Expr> parse_identifier() {
    const Token token = take();
    if (token.text == "true") return make_constant(Value::of_bool(true));
    if (token.text == "false") return make_constant(Value::of_bool(false));
    if (token.text == "null") return make_constant(Value::null_value());
    Level level(depth_);
    if (auto error = too_deep()) return *error;
    if (token.text == "case") return parse_case();
    auto found = functions().find(token.text);
    if (found == functions().end()) {
      return make_error(ErrorKind::input, fmt::format("unknown function '{}' at offset {}", token.text, token.offset));
    }
    if (peek().kind != Tok::lparen) return unexpected("'(' after the function name");
    take();
    std::vector<Expr> args;
    if (peek().kind != Tok::rparen) {
      for (;;) {
        auto arg = parse_or();
        if (!arg) return arg;
        args.push_back(std::move(*arg));
        if (peek().kind == Tok::comma) {
          take();
          continue;
        }
        break;
      }
    }
    if (peek().kind != Tok::rparen) return unexpected("',' or ')'");
    take();
    const FunctionInfo& info = found->second;
    const int count = static_cast<int>(args.size());
    if (count < info.min_args || (info.max_args >= 0 && count > info.max_args)) {
      std::string wanted = info.min_args == info.max_args ? fmt::format("{}", info.min_args)
                           : info.max_args < 0            ? fmt::format("at least {}", info.min_args)
                                                          : fmt::format("{} to {}", info.min_args, info.max_args);
      return make_error(ErrorKind::input, fmt::format("function {}() takes {} argument(s), got {} (offset {})",
                                                      token.text, wanted, count, token.offset));
    }
    return make_op(info.op, std::move(args));
  }

  Expected<Expr> parse_case() {
    std::vector<Expr> args;
    if (!is_keyword("when")) return unexpected("WHEN after CASE");
    while (is_keyword("when")) {
      take();
      auto condition = parse_or();
      if (!condition) return condition;
      if (!is_keyword("then")) return unexpected("THEN");
      take();
      auto value = parse_or();
      if (!value) return value;
      args.push_back(std::move(*condition));
      args.push_back(std::move(*value));
    }
    if (is_keyword("else")) {
      take();
      auto value = parse_or();
      if (!value) return value;
      args.push_back(std::move(*value));
    } else {
      args.push_back(make_constant(Value::null_value()));
    }
    if (!is_keyword("end")) return unexpected("END to close CASE");
    take();
    return make_op(Op::case_when, std::move(args));
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
};

// ---- evaluation --------------------------------------------------------------------------------

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

Expected<Value> random_function(Op op, const std::vector<Value>& args, EvalContext& context) {
  auto lo = as_int(args[0], op_name(op));
  if (!lo) return lo.error();
  auto hi = as_int(args[1], op_name(op));
  if (!hi) return hi.error();
  if (*lo > *hi) return eval_error(fmt::format("empty range given to {}: {} > {}", op_name(op), *lo, *hi));
  // pgbench limits the range size to fit in a bigint.
  if (static_cast<__int128>(*hi) - *lo + 1 > std::numeric_limits<int64_t>::max()) {
    return eval_error(fmt::format("random range is too large in {}", op_name(op)));
  }
  sample::Random& random = *context.random;
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

Expected<Value> greatest_least(Op op, const std::vector<Value>& args) {
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

Expected<Value> apply(Op op, const std::vector<Value>& args, EvalContext& context);

// ((a op1 b) op2 c) ...: every operand is evaluated in order, and a step's error stops the rest, as
// the nested binary operators did.
Expected<Value> evaluate_chain(const Expr& expr, EvalContext& context) {
  auto first = evaluate(expr.args[0], context);
  if (!first) return first;
  std::vector<Value> pair{*first, Value::null_value()};
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

Expected<Value> apply(Op op, const std::vector<Value>& args, EvalContext& context) {
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
  switch (type) {
    case Type::integer:
      return std::to_string(integer);
    case Type::real: {
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.15g", real);
      return buffer;
    }
    case Type::boolean:
      return boolean ? "true" : "false";
    default:
      return "NULL";
  }
}

Expected<Value> parse_value_text(std::string_view text) {
  std::string trimmed(text);
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.pop_back();
  size_t start = 0;
  while (start < trimmed.size() && std::isspace(static_cast<unsigned char>(trimmed[start]))) ++start;
  trimmed.erase(0, start);
  if (trimmed.empty()) return make_error(ErrorKind::input, "empty value where a number was expected");
  const std::string lowered = lower(trimmed);
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

Expected<Expr> parse_expression(std::string_view text) {
  auto tokens = tokenize(text);
  if (!tokens) return tokens.error();
  Parser parser(std::move(*tokens));
  return parser.parse_all();
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
  std::vector<Value> args;
  args.reserve(expr.args.size());
  bool has_null = false;
  for (const auto& arg : expr.args) {
    auto value = evaluate(arg, context);
    if (!value) return value;
    has_null = has_null || value->is_null();
    args.push_back(*value);
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
  sample::Random random(seed);
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
