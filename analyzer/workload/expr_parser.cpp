// pgbench's expression grammar: tokens (expr_lexer.cpp) to an Expr tree, with pgbench's
// precedence and its function table.

#include <cmath>
#include <limits>
#include <map>

#include "analyzer/workload/expr.hpp"
#include "analyzer/workload/expr_lexer.hpp"
#include "fmt/format.h"

namespace dbvet::workload {
namespace {

using core::ErrorKind;
using core::Expected;
using core::make_error;
using detail::Tok;
using detail::Token;
using detail::tokenize;

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

}  // namespace

Expected<Expr> parse_expression(std::string_view text) {
  auto tokens = tokenize(text);
  if (!tokens) return tokens.error();
  Parser parser(std::move(*tokens));
  return parser.parse_all();
}

}  // namespace dbvet::workload
