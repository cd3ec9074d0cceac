#include "analyzer/workload/runner.hpp"

#include <cctype>
#include <string_view>

#include "fmt/format.h"

namespace dbvet::workload {

using core::ErrorKind;
using core::Expected;
using core::make_error;

Session::Session(uint64_t seed, int client_id, Value scale) : random_(seed, fmt::format("client-{}", client_id)) {
  default_seed_ = random_.next();
  set("scale", scale);
  set("client_id", Value::of_int(client_id));
  set("random_seed", Value::of_int(static_cast<int64_t>(seed)));
  set("default_seed", Value::of_int(static_cast<int64_t>(default_seed_)));
}

void Session::set(const std::string& name, Value value) { variables_[name] = Variable{value, std::nullopt}; }

void Session::set_text(const std::string& name, std::string text) {
  variables_[name] = Variable{Value::null_value(), std::move(text)};
}

bool Session::has(const std::string& name) const { return variables_.count(name) != 0; }

Expected<Value> Session::get(const std::string& name) const {
  auto found = variables_.find(name);
  if (found == variables_.end()) return make_error(ErrorKind::input, fmt::format("undefined variable '{}'", name));
  if (!found->second.text) return found->second.value;
  auto value = parse_value_text(*found->second.text);
  if (!value) return make_error(ErrorKind::input, fmt::format("variable '{}': {}", name, value.error().message));
  return value;
}

std::string Session::substitute(const std::string& sql) const {
  std::string out;
  substitute_into(sql, out);
  return out;
}

void Session::substitute_into(const std::string& sql, std::string& out) const {
  out.clear();
  out.reserve(sql.size() + 16);
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {  // a cast, never a variable
      out += "::";
      i += 2;
      continue;
    }
    if (c == ':') {
      size_t end = i + 1;
      while (end < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[end])) || sql[end] == '_')) ++end;
      auto found = end > i + 1 ? variables_.find(std::string_view(sql).substr(i + 1, end - i - 1)) : variables_.end();
      if (found != variables_.end()) {
        if (found->second.text) {
          out += *found->second.text;
        } else {
          found->second.value.append_to(out);
        }
        i = end;
        continue;
      }
    }
    out += c;
    ++i;
  }
}

Expected<Value> Session::evaluate(const Expr& expr) {
  EvalContext context;
  context.lookup = [this](const std::string& name) { return get(name); };
  context.random = &random_;
  context.default_seed = default_seed_;
  return workload::evaluate(expr, context);
}

core::Status Session::run(const Script& script, Executor& executor) {
  auto fail = [&](const Command& command, const std::string& message) -> core::Status {
    return make_error(ErrorKind::input, fmt::format("{}:{}: {}", script.name, command.line, message));
  };
  size_t pc = 0;
  bool jumped = false;  // arrived at an \elif or \else by a false condition, not from a taken branch
  while (pc < script.commands.size()) {
    const Command& command = script.commands[pc];
    const bool arrived_by_jump = jumped;
    jumped = false;
    switch (command.type) {
      case Command::Type::set: {
        auto value = evaluate(command.expr);
        if (!value) return fail(command, fmt::format("\\set {}: {}", command.variable, value.error().message));
        set(command.variable, *value);
        break;
      }
      case Command::Type::sleep: {
        int64_t amount = command.sleep_amount;
        if (!command.sleep_variable.empty()) {
          auto value = get(command.sleep_variable);
          if (!value) return fail(command, "\\sleep: " + value.error().message);
          if (value->type != Value::Type::integer) return fail(command, "\\sleep: the duration must be an integer");
          amount = value->integer;
        }
        executor.sleep(std::chrono::microseconds(amount * command.sleep_unit_us));
        break;
      }
      case Command::Type::sql: {
        const bool want_rows = command.gset_prefix.has_value();
        executor.at(script.path.empty() ? script.name : script.path, command.line);
        substitute_into(command.sql, statement_);
        auto rows = executor.run(statement_, want_rows);
        if (!rows) return fail(command, rows.error().message);
        if (want_rows) {
          if (!command.aset && rows->size() != 1) {
            return fail(command, fmt::format("\\gset expects one row, the query returned {}", rows->size()));
          }
          for (const auto& row : *rows) {
            for (size_t i = 0; i < row.columns.size() && i < row.values.size(); ++i) {
              const std::string name = *command.gset_prefix + row.columns[i];
              if (row.values[i]) {
                set_text(name, *row.values[i]);
              } else {
                set(name, Value::null_value());
              }
            }
          }
        }
        break;
      }
      case Command::Type::if_:
      case Command::Type::elif: {
        if (command.type == Command::Type::elif && !arrived_by_jump) {  // the previous branch ran
          pc = command.endif;
          continue;
        }
        auto value = evaluate(command.expr);
        if (!value) return fail(command, value.error().message);
        if (!truth(*value)) {
          pc = command.next_branch;
          jumped = true;
          continue;
        }
        break;
      }
      case Command::Type::else_:
        if (!arrived_by_jump) {
          pc = command.endif;
          continue;
        }
        break;
      case Command::Type::endif:
        break;
    }
    ++pc;
  }
  return core::ok();
}

size_t choose_script(const std::vector<Script>& scripts, core::Random& random) {
  int64_t total = 0;
  for (const auto& script : scripts) total += script.weight;
  if (scripts.size() <= 1 || total <= 0) return 0;
  int64_t pick = random.range(0, total - 1);
  for (size_t i = 0; i < scripts.size(); ++i) {
    if (pick < scripts[i].weight) return i;
    pick -= scripts[i].weight;
  }
  return scripts.size() - 1;
}

}  // namespace dbvet::workload
