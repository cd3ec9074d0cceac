// libFuzzer target for pgbench script syntax: the expression parser and evaluator (any text after
// `\set x`), and the whole script parser (meta-commands, SQL splitting, \if nesting). Nothing may
// crash, recurse without bound, run for long or trip a sanitizer, whatever the bytes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "analyzer/core/random.hpp"
#include "analyzer/workload/expr.hpp"
#include "analyzer/workload/script.hpp"

namespace {

using namespace dbvet;

void evaluate_once(const workload::Expr& expr) {
  core::Random random(7);
  workload::EvalContext context;
  context.random = &random;
  context.default_seed = 11;
  context.lookup = [](const std::string& name) -> core::Expected<workload::Value> {
    if (name.empty()) return core::make_error(core::ErrorKind::input, "undefined variable");
    switch (name[0] % 4) {
      case 0:
        return workload::Value::of_int(static_cast<int64_t>(name.size()) - 3);
      case 1:
        return workload::Value::of_double(0.5 * static_cast<double>(name.size()));
      case 2:
        return workload::Value::null_value();
      default:
        return core::make_error(core::ErrorKind::input, "undefined variable '" + name + "'");
    }
  };
  auto value = workload::evaluate(expr, context);
  if (value) (void)value->to_string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto expr = workload::parse_expression(text)) evaluate_once(*expr);
  (void)workload::parse_value_text(text);
  (void)workload::truth(workload::Value::of_int(static_cast<int64_t>(size)));
  if (auto script = workload::parse_script(text, "fuzz.sql")) {
    for (const auto& command : script->commands) {
      if (command.type == workload::Command::Type::set || command.type == workload::Command::Type::if_ ||
          command.type == workload::Command::Type::elif) {
        evaluate_once(command.expr);
      }
    }
  }
  return 0;
}
