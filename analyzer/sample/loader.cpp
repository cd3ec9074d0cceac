#include "analyzer/sample/loader.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>

#include "analyzer/sample/generator.hpp"
#include "fmt/format.h"

namespace dbvet::sample {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

core::Expected<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::make_error(core::ErrorKind::input, fmt::format("cannot read {}", path.string()));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

core::Status run_file(engines::Connection& connection, const std::filesystem::path& path) {
  auto text = read_text(path);
  if (!text) return text.error();
  auto status = connection.execute_script(*text);
  if (!status) {
    return core::make_error(status.error().kind,
                            fmt::format("{}: {}", path.filename().string(), status.error().message));
  }
  return core::ok();
}

std::string join(const std::vector<std::string>& names, const std::string& separator) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : separator) + name;
  return out;
}

}  // namespace

int64_t GenResult::rows() const {
  int64_t total = 0;
  for (const auto& table : tables) total += table.rows;
  return total;
}

int64_t GenResult::bytes() const {
  int64_t total = 0;
  for (const auto& table : tables) total += table.bytes;
  return total;
}

core::Expected<std::vector<std::string>> existing_tables(engines::Connection& connection) {
  std::string sql;
  switch (connection.engine()) {
    case core::Engine::postgres:
      sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()";
      break;
    case core::Engine::mysql:
      sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = database()";
      break;
    case core::Engine::sqlite:
      sql = "SELECT name FROM sqlite_master WHERE type = 'table'";
      break;
    default:
      return core::make_error(core::ErrorKind::unsupported, "the sample cannot be loaded into this engine");
  }
  engines::ExecuteOptions options;
  options.keep_rows = 100000;
  auto result = connection.execute(sql, options);
  if (!result) return result.error();
  std::vector<std::string> names;
  for (const auto& row : result->rows) {
    if (!row.empty() && row[0]) names.push_back(*row[0]);
  }
  return names;
}

core::Expected<GenResult> generate_sample(engines::Connection& connection, const GenOptions& options) {
  const auto started = Clock::now();
  const core::Engine engine = connection.engine();
  auto plan = plan_load(engine, options.service, options.sample_dir);
  if (!plan) return plan.error();
  if (!(options.scale > 0) || options.scale > 100000) {
    return core::make_error(core::ErrorKind::usage, fmt::format("--scale must be above 0 (got {})", options.scale));
  }

  // Refuse or replace.
  auto existing = existing_tables(connection);
  if (!existing) return existing.error();
  std::set<std::string> present;
  for (const auto& name : *existing) present.insert(name);
  std::vector<std::string> clashing;
  for (const TableSpec* table : plan->tables) {
    if (present.count(table->name)) clashing.push_back(table->name);
  }
  if (!clashing.empty()) {
    if (!options.replace) {
      return core::make_error(
          core::ErrorKind::usage,
          fmt::format("{} already holds the sample's tables ({}); pass --replace to drop and reload them "
                      "(only the sample's own tables are dropped)",
                      connection.describe(), join(clashing, ", ")));
    }
    std::string drops;
    if (engine == core::Engine::mysql) drops += "SET FOREIGN_KEY_CHECKS = 0;\n";
    for (auto it = plan->tables.rbegin(); it != plan->tables.rend(); ++it) {
      if (present.count((*it)->name)) drops += fmt::format("DROP TABLE {};\n", (*it)->name);
    }
    if (engine == core::Engine::mysql) drops += "SET FOREIGN_KEY_CHECKS = 1;\n";
    if (auto status = connection.execute_script(drops); !status) {
      return core::make_error(status.error().kind,
                              fmt::format("dropping the sample's tables failed: {}", status.error().message));
    }
  }

  GenResult result;
  result.services = plan->services;
  auto phase = Clock::now();
  for (const auto& file : plan->schema_files) {
    if (auto status = run_file(connection, file); !status) return status.error();
  }
  result.schema_seconds = seconds_since(phase);

  const SampleSize size = SampleSize::for_scale(options.scale);
  GenProgress progress;
  for (const TableSpec* table : plan->tables) progress.total_rows += table->row_count(size);
  phase = Clock::now();
  std::vector<uint64_t> checksums;
  for (const TableSpec* table : plan->tables) {
    TableRows rows(*table, size, options.seed, engine);
    const auto table_started = Clock::now();
    const int64_t done_before = progress.done_rows;
    progress.table = table->name;
    progress.table_total = rows.total_rows();
    progress.table_rows = 0;
    if (options.progress) {
      rows.on_batch = [&](int64_t produced) {
        progress.table_rows = produced;
        progress.done_rows = done_before + produced;
        options.progress(progress);
      };
      options.progress(progress);
    }
    auto loaded = connection.load_rows(table->name, rows.column_names(), rows);
    if (!loaded) {
      return core::make_error(loaded.error().kind,
                              fmt::format("loading {} failed: {}", table->name, loaded.error().message));
    }
    if (*loaded != rows.total_rows()) {
      return core::make_error(core::ErrorKind::internal, fmt::format("loading {}: {} rows written, {} expected",
                                                                     table->name, *loaded, rows.total_rows()));
    }
    progress.done_rows = done_before + rows.total_rows();
    result.tables.push_back({table->name, table->service, rows.rows_produced(), rows.bytes(), rows.checksum(),
                             seconds_since(table_started)});
    checksums.push_back(rows.checksum());
  }
  result.load_seconds = seconds_since(phase);
  result.checksum = combine_checksums(checksums);

  phase = Clock::now();
  for (const auto& file : plan->index_files) {
    if (!std::filesystem::exists(file)) continue;
    if (auto status = run_file(connection, file); !status) return status.error();
  }
  // Identity columns were loaded with explicit values: move their sequences past them.
  if (engine == core::Engine::postgres) {
    std::string sequences;
    for (const TableSpec* table : plan->tables) {
      if (table->identity_column.empty()) continue;
      sequences += fmt::format("SELECT setval(pg_get_serial_sequence('{0}', '{1}'), (SELECT max({1}) FROM {0}));\n",
                               table->name, table->identity_column);
    }
    if (!sequences.empty()) {
      if (auto status = connection.execute_script(sequences); !status) return status.error();
    }
  }
  result.index_seconds = seconds_since(phase);

  phase = Clock::now();
  std::vector<std::string> names;
  for (const TableSpec* table : plan->tables) names.push_back(table->name);
  core::Status analyzed = core::ok();
  switch (engine) {
    case core::Engine::postgres:
      analyzed = connection.execute_script("ANALYZE " + join(names, ", "));
      break;
    case core::Engine::mysql: {
      auto done = connection.execute("ANALYZE TABLE " + join(names, ", "));
      if (!done) analyzed = done.error();
      break;
    }
    default:
      analyzed = connection.execute_script("ANALYZE");
      break;
  }
  if (!analyzed) return core::make_error(analyzed.error().kind, "ANALYZE failed: " + analyzed.error().message);
  result.analyze_seconds = seconds_since(phase);
  result.total_seconds = seconds_since(started);
  return result;
}

}  // namespace dbvet::sample
