#include "analyzer/pipeline/dry_run.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "analyzer/pipeline/live/workload_capture.hpp"
#include "analyzer/sql/fingerprint.hpp"
#include "analyzer/sql/lexer.hpp"
#include "analyzer/workload/runner.hpp"
#include "fmt/format.h"

namespace dbvet::pipeline {
namespace {

bool is_transaction_control(const std::string& sql) {
  size_t i = 0;
  while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
  std::string word;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]))) {
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++])));
  }
  return word == "BEGIN" || word == "COMMIT" || word == "ROLLBACK" || word == "END" || word == "START" ||
         word == "SAVEPOINT" || word == "RELEASE";
}

// SELECT ... FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE takes row locks, which a read-only
// session refuses: like a write, it is recorded and planned but not run.
bool is_locking_read(const std::string& sql) {
  sql::Lexer lexer(sql);
  std::string_view previous;
  for (auto token = lexer.next_significant(); token.kind != sql::TokenKind::end; token = lexer.next_significant()) {
    if (token.kind != sql::TokenKind::identifier) {
      previous = {};
      continue;
    }
    if (sql::iequals(previous, "for") && (sql::iequals(token.text, "update") || sql::iequals(token.text, "share") ||
                                          sql::iequals(token.text, "no") || sql::iequals(token.text, "key"))) {
      return true;
    }
    if (sql::iequals(previous, "in") && sql::iequals(token.text, "share")) return true;  // LOCK IN SHARE MODE
    previous = token.text;
  }
  return false;
}

class RecordingExecutor final : public workload::Executor {
 public:
  RecordingExecutor(engines::Connection& connection, DryRun& out) : connection_(connection), out_(out) {}

  core::Expected<std::vector<workload::ResultRow>> run(const std::string& sql, bool want_rows) override {
    std::vector<workload::ResultRow> rows;
    if (is_transaction_control(sql)) return rows;
    model::QueryEvent event;
    event.sql = sql;
    if (!engines::is_writing_statement(sql) && !is_locking_read(sql)) {
      engines::ExecuteOptions options;
      options.keep_rows = want_rows ? 1 : 0;
      // A class's first run in the session also loads the catalog caches and plans cold: it runs
      // once untimed, so that the class's slowest example is the one whose data is slowest.
      auto id = sql::fingerprint(sql, out_.digest.mode()).id;
      if (warmed_.insert(id).second) {
        auto warm_start = std::chrono::steady_clock::now();
        auto warm = connection_.execute(sql, options);
        out_.server_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - warm_start).count();
        if (!warm) return warm.error();
      }
      auto start = std::chrono::steady_clock::now();
      auto result = connection_.execute(sql, options);
      if (!result) return result.error();
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      out_.elapsed_s += seconds;
      out_.server_s += seconds;
      event.query_time_s = seconds;
      event.rows_sent = static_cast<double>(result->row_count);
      if (want_rows) {
        for (const auto& row : result->rows) rows.push_back({result->columns, row});
      }
    } else {
      event.rows_affected = 0;  // not executed: a read-only audit never writes
    }
    const auto class_id = sql::fingerprint(sql, out_.digest.mode()).id;
    out_.first_statement.emplace(class_id, at_);
    auto& samples = out_.samples[class_id];
    bool seen = std::any_of(samples.begin(), samples.end(), [&](const auto& s) { return s.second == sql; });
    if (!seen && samples.size() < DryRun::kMaxSamples) samples.emplace_back(event.query_time_s, sql);
    out_.digest.add(event);
    ++in_transaction_[sql::fingerprint(sql, out_.digest.mode()).id];
    return rows;
  }
  void sleep(std::chrono::microseconds) override {}
  void at(const std::string& script, int line) override { at_ = {script, line}; }

  void end_transaction() {
    for (const auto& [id, count] : in_transaction_) {
      auto& best = out_.max_repeats_per_transaction[id];
      best = std::max(best, count);
    }
    in_transaction_.clear();
  }

 private:
  engines::Connection& connection_;
  DryRun& out_;
  std::map<std::string, int> in_transaction_;
  std::set<std::string> warmed_;    // class ids run once untimed
  std::pair<std::string, int> at_;  // the statement being run: script and line
};

}  // namespace

core::Expected<DryRun> dry_run_workloads(engines::Connection& connection, const std::vector<std::string>& specs,
                                         const DryRunOptions& options) {
  std::vector<workload::Script> scripts;
  for (const auto& spec : specs) {
    auto script = workload::load_script(spec);
    if (!script) return script.error();
    scripts.push_back(std::move(*script));
  }
  if (auto weights = workload::check_total_weight(scripts); !weights) return weights.error();
  // Writes are recorded and not run (below); what a read-only session would still let through,
  // and text that is not SQL, stop the run before its first statement.
  if (auto status = pipeline::live::check_workload_statements(scripts, connection.engine(), true); !status) {
    return status.error();
  }
  DryRun out;
  if (scripts.empty()) return out;
  RecordingExecutor executor(connection, out);
  workload::Session session(options.seed, 0, workload::Value::of_double(options.scale));
  // Every script at least once, then the rest by weight.
  int total = std::max<int>(options.transactions, static_cast<int>(scripts.size()));
  for (int i = 0; i < total; ++i) {
    if (options.cancelled && options.cancelled->load()) {
      return core::make_error(core::ErrorKind::query, "interrupted");
    }
    size_t which = i < static_cast<int>(scripts.size()) ? static_cast<size_t>(i)
                                                        : workload::choose_script(scripts, session.random());
    if (auto status = session.run(scripts[which], executor); !status) return status.error();
    executor.end_transaction();
    ++out.transactions;
  }
  return out;
}

}  // namespace dbvet::pipeline
