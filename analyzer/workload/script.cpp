#include "analyzer/workload/script.hpp"

#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "fmt/format.h"

namespace dbvet::workload {
namespace {

using core::ErrorKind;
using core::Expected;
using core::make_error;

std::string trim(std::string_view text) {
  size_t start = 0;
  size_t end = text.size();
  while (start < end && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  while (end > start && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(start, end - start));
}

bool is_identifier(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

class ScriptParser {
 public:
  ScriptParser(std::string_view text, const std::string& name) : text_(text) { script_.name = name; }

  Expected<Script> parse() {
    while (pos_ < text_.size()) {
      if (auto status = step(); !status) return status.error();
    }
    if (auto status = finish_sql(); !status) return status.error();
    if (!if_stack_.empty()) {
      return error_at(script_.commands[if_stack_.back().front()].line, "\\if without a matching \\endif");
    }
    if (script_.sql_count() == 0 && script_.commands.empty()) return error_at(line_, "the script has no command");
    return std::move(script_);
  }

 private:
  core::Error error_at(int line, const std::string& message) const {
    return make_error(ErrorKind::input, fmt::format("{}:{}: {}", script_.name, line, message));
  }

  char at(size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

  void advance() {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }

  bool sql_empty() const { return trim(sql_).empty(); }

  core::Status step() {
    const char c = text_[pos_];
    if (sql_empty()) {
      if (std::isspace(static_cast<unsigned char>(c))) {
        advance();
        return core::ok();
      }
      if (c == '\\') return meta_command();
      sql_line_ = line_;
    }
    if (c == '-' && at(pos_ + 1) == '-') {
      while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      return core::ok();
    }
    if (c == '/' && at(pos_ + 1) == '*') return block_comment();
    // MySQL's backquoted names may hold `;` too (`v); DROP TABLE t; #`): one name, not two statements.
    if (c == '\'' || c == '"' || c == '`') return quoted(c);
    if (c == '$') return maybe_dollar_quote();
    if (c == ';') {
      ++pos_;
      return finish_sql();
    }
    if (c == '\\') {
      if (at(pos_ + 1) == ';') {  // pgbench's compound statement separator
        sql_ += ';';
        pos_ += 2;
        return core::ok();
      }
      if (auto status = finish_sql(); !status) return status;
      return meta_command();
    }
    sql_ += c;
    advance();
    return core::ok();
  }

  core::Status block_comment() {
    const int start_line = line_;
    int depth = 0;
    while (pos_ < text_.size()) {
      if (text_[pos_] == '/' && at(pos_ + 1) == '*') {
        ++depth;
        pos_ += 2;
      } else if (text_[pos_] == '*' && at(pos_ + 1) == '/') {
        pos_ += 2;
        if (--depth == 0) {
          sql_ += ' ';
          return core::ok();
        }
      } else {
        advance();
      }
    }
    return error_at(start_line, "unterminated /* comment");
  }

  core::Status quoted(char quote) {
    const int start_line = line_;
    sql_ += quote;
    advance();
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      sql_ += c;
      advance();
      if (c == quote) {
        if (at(pos_) == quote) {  // doubled quote
          sql_ += quote;
          advance();
          continue;
        }
        return core::ok();
      }
    }
    return error_at(start_line, quote == '\'' ? "unterminated quoted string" : "unterminated quoted identifier");
  }

  core::Status maybe_dollar_quote() {
    size_t end = pos_ + 1;
    while (end < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '_')) ++end;
    if (at(end) != '$' || (end > pos_ + 1 && std::isdigit(static_cast<unsigned char>(text_[pos_ + 1])))) {
      sql_ += '$';
      advance();
      return core::ok();
    }
    const std::string tag(text_.substr(pos_, end - pos_ + 1));
    const int start_line = line_;
    const size_t close = text_.find(tag, end + 1);
    if (close == std::string_view::npos) return error_at(start_line, fmt::format("unterminated {} quote", tag));
    while (pos_ < close + tag.size()) {
      sql_ += text_[pos_];
      advance();
    }
    return core::ok();
  }

  core::Status finish_sql() {
    std::string statement = trim(sql_);
    sql_.clear();
    if (statement.empty()) return core::ok();
    Command command;
    command.type = Command::Type::sql;
    command.line = sql_line_;
    command.sql = std::move(statement);
    script_.commands.push_back(std::move(command));
    return core::ok();
  }

  // Reads a meta-command from the backslash to the end of the line (a trailing backslash continues
  // it on the next line).
  core::Status meta_command() {
    const int line = line_;
    std::string body;
    ++pos_;  // the backslash
    while (pos_ < text_.size()) {
      const size_t eol = text_.find('\n', pos_);
      std::string_view part = text_.substr(pos_, eol == std::string_view::npos ? std::string_view::npos : eol - pos_);
      std::string piece = trim(part);
      pos_ = eol == std::string_view::npos ? text_.size() : eol;
      if (!piece.empty() && piece.back() == '\\') {
        piece.pop_back();
        body += piece + ' ';
        if (pos_ < text_.size()) advance();
        continue;
      }
      body += piece;
      break;
    }
    return interpret_meta(trim(body), line);
  }

  core::Status interpret_meta(const std::string& body, int line) {
    size_t name_end = 0;
    while (name_end < body.size() && !std::isspace(static_cast<unsigned char>(body[name_end]))) ++name_end;
    const std::string name = body.substr(0, name_end);
    const std::string rest = trim(std::string_view(body).substr(name_end));
    std::vector<std::string> words;
    {
      std::istringstream in(rest);
      std::string word;
      while (in >> word) words.push_back(word);
    }
    Command command;
    command.line = line;
    if (name == "set") {
      size_t var_end = 0;
      while (var_end < rest.size() && !std::isspace(static_cast<unsigned char>(rest[var_end]))) ++var_end;
      command.type = Command::Type::set;
      command.variable = rest.substr(0, var_end);
      if (!is_identifier(command.variable)) return error_at(line, "\\set needs a variable name and an expression");
      const std::string expression = trim(std::string_view(rest).substr(var_end));
      if (expression.empty()) return error_at(line, fmt::format("\\set {}: missing expression", command.variable));
      auto expr = parse_expression(expression);
      if (!expr) return error_at(line, fmt::format("\\set {}: {}", command.variable, expr.error().message));
      command.expr = std::move(*expr);
    } else if (name == "sleep") {
      command.type = Command::Type::sleep;
      if (words.empty() || words.size() > 2)
        return error_at(line, "\\sleep needs a duration and an optional unit (us, ms, s)");
      if (words[0][0] == ':') {
        command.sleep_variable = words[0].substr(1);
        if (!is_identifier(command.sleep_variable))
          return error_at(line, fmt::format("\\sleep: bad variable {}", words[0]));
      } else {
        char* end = nullptr;
        command.sleep_amount = std::strtoll(words[0].c_str(), &end, 10);
        if (*end != '\0' || command.sleep_amount < 0) {
          return error_at(line, fmt::format("\\sleep: '{}' is not a duration (an integer or :variable)", words[0]));
        }
      }
      if (words.size() == 2) {
        if (words[1] == "us") {
          command.sleep_unit_us = 1;
        } else if (words[1] == "ms") {
          command.sleep_unit_us = 1000;
        } else if (words[1] == "s") {
          command.sleep_unit_us = 1000000;
        } else {
          return error_at(line, fmt::format("\\sleep: unknown time unit '{}' (us, ms or s)", words[1]));
        }
      }
    } else if (name == "gset" || name == "aset") {
      if (words.size() > 1) return error_at(line, fmt::format("\\{} takes at most one prefix", name));
      if (script_.commands.empty() || script_.commands.back().type != Command::Type::sql ||
          script_.commands.back().gset_prefix) {
        return error_at(line, fmt::format("\\{} must follow an SQL command", name));
      }
      script_.commands.back().gset_prefix = words.empty() ? "" : words[0];
      script_.commands.back().aset = name == "aset";
      return core::ok();
    } else if (name == "if" || name == "elif") {
      if (rest.empty()) return error_at(line, fmt::format("\\{} needs a condition", name));
      auto expr = parse_expression(rest);
      if (!expr) return error_at(line, fmt::format("\\{}: {}", name, expr.error().message));
      command.expr = std::move(*expr);
      command.type = name == "if" ? Command::Type::if_ : Command::Type::elif;
    } else if (name == "else" || name == "endif") {
      if (!words.empty()) return error_at(line, fmt::format("\\{} takes no argument", name));
      command.type = name == "else" ? Command::Type::else_ : Command::Type::endif;
    } else if (name == "shell" || name == "setshell") {
      return error_at(line,
                      fmt::format("\\{} is not supported: dbvet never runs shell commands from a workload", name));
    } else if (name == "startpipeline" || name == "endpipeline" || name == "syncpipeline") {
      return error_at(line, fmt::format("\\{} is not supported: dbvet sends a script's statements one by one", name));
    } else {
      return error_at(line, fmt::format("unknown meta-command \\{}", name));
    }
    return add_command(std::move(command));
  }

  core::Status add_command(Command command) {
    const size_t index = script_.commands.size();
    switch (command.type) {
      case Command::Type::if_:
        if_stack_.push_back({index});
        break;
      case Command::Type::elif:
      case Command::Type::else_: {
        if (if_stack_.empty())
          return error_at(command.line,
                          fmt::format("\\{} without \\if", command.type == Command::Type::elif ? "elif" : "else"));
        auto& chain = if_stack_.back();
        const Command& previous = script_.commands[chain.back()];
        if (previous.type == Command::Type::else_) return error_at(command.line, "\\elif or \\else after \\else");
        script_.commands[chain.back()].next_branch = index;
        chain.push_back(index);
        break;
      }
      case Command::Type::endif: {
        if (if_stack_.empty()) return error_at(command.line, "\\endif without \\if");
        for (size_t member : if_stack_.back()) {
          Command& branch = script_.commands[member];
          if (branch.type != Command::Type::else_ && branch.next_branch == 0) branch.next_branch = index;
          branch.endif = index;
        }
        if_stack_.pop_back();
        break;
      }
      default:
        break;
    }
    script_.commands.push_back(std::move(command));
    return core::ok();
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  std::string sql_;
  int sql_line_ = 1;
  std::vector<std::vector<size_t>> if_stack_;  // per open \if: the indexes of its \if, \elif, \else
  Script script_;
};

}  // namespace

size_t Script::sql_count() const {
  size_t count = 0;
  for (const auto& command : commands) count += command.type == Command::Type::sql ? 1 : 0;
  return count;
}

Expected<Script> parse_script(std::string_view text, const std::string& name) {
  ScriptParser parser(text, name);
  return parser.parse();
}

Expected<Script> load_script(const std::string& spec) {
  std::string path = spec;
  int weight = 1;
  struct stat whole {};
  const size_t at = spec.rfind('@');
  // A file whose own name holds '@' is read as it is; otherwise what follows the last '@' is the
  // weight, and anything but a whole number there is the user's typo, not a missing file.
  if (at != std::string::npos && ::stat(spec.c_str(), &whole) != 0) {
    path = spec.substr(0, at);
    const std::string weight_text = spec.substr(at + 1);
    bool digits = !weight_text.empty();
    for (char c : weight_text) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (!digits) {
      return make_error(ErrorKind::usage, fmt::format("{}: bad weight '{}' (expected a whole number >= 0, as in {}@5)",
                                                      spec, weight_text, path));
    }
    if (weight_text.size() > 9)
      return make_error(ErrorKind::usage, fmt::format("{}: weight {} is too large", path, weight_text));
    weight = std::stoi(weight_text);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorKind::input, fmt::format("cannot read workload script {}", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string name = path;
  if (const size_t slash = name.rfind('/'); slash != std::string::npos) name = name.substr(slash + 1);
  auto script = parse_script(buffer.str(), name);
  if (!script) return script;
  script->weight = weight;
  script->path = path;
  return script;
}

core::Status check_total_weight(const std::vector<Script>& scripts) {
  int64_t total = 0;
  for (const auto& script : scripts) total += script.weight;
  if (scripts.empty() || total > 0) return core::ok();
  return make_error(ErrorKind::usage,
                    scripts.size() == 1
                        ? fmt::format("{}: weight 0: the only workload script would never run", scripts.front().name)
                        : std::string("every workload script has weight 0 (FILE@0): at least one "
                                      "needs a weight above 0, as in pgbench"));
}

std::string builtin_script_text(const std::string& name) {
  if (name == "tpcb-like") {
    return "\\set aid random(1, 100000 * :scale)\n"
           "\\set bid random(1, 1 * :scale)\n"
           "\\set tid random(1, 10 * :scale)\n"
           "\\set delta random(-5000, 5000)\n"
           "BEGIN;\n"
           "UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;\n"
           "SELECT abalance FROM pgbench_accounts WHERE aid = :aid;\n"
           "UPDATE pgbench_tellers SET tbalance = tbalance + :delta WHERE tid = :tid;\n"
           "UPDATE pgbench_branches SET bbalance = bbalance + :delta WHERE bid = :bid;\n"
           "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (:tid, :bid, :aid, :delta, "
           "CURRENT_TIMESTAMP);\n"
           "END;\n";
  }
  if (name == "simple-update") {
    return "\\set aid random(1, 100000 * :scale)\n"
           "\\set bid random(1, 1 * :scale)\n"
           "\\set tid random(1, 10 * :scale)\n"
           "\\set delta random(-5000, 5000)\n"
           "BEGIN;\n"
           "UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;\n"
           "SELECT abalance FROM pgbench_accounts WHERE aid = :aid;\n"
           "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (:tid, :bid, :aid, :delta, "
           "CURRENT_TIMESTAMP);\n"
           "END;\n";
  }
  if (name == "select-only") {
    return "\\set aid random(1, 100000 * :scale)\n"
           "SELECT abalance FROM pgbench_accounts WHERE aid = :aid;\n";
  }
  return {};
}

Expected<Script> builtin_script(const std::string& name) {
  const std::string text = builtin_script_text(name);
  if (text.empty()) {
    return make_error(ErrorKind::usage,
                      fmt::format("no built-in script '{}' (tpcb-like, simple-update, select-only)", name));
  }
  return parse_script(text, name);
}

}  // namespace dbvet::workload
