// dbvet report --history FILE.db | RESULT.json...: one self-contained HTML page.
#include <fstream>
#include <sstream>

#include "CLI/CLI.hpp"
#include "analyzer/history/history.hpp"
#include "analyzer/history/postgres_history.hpp"
#include "cli/cli_context.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::cli {
namespace {

struct ReportArgs {
  std::vector<std::string> files;
  std::string history;
  std::string kind;
  size_t last = 0;
  std::string title = "dbvet report";
};

core::Status add_file(const std::string& path, std::vector<nlohmann::json>& documents) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::make_error(core::ErrorKind::input, fmt::format("cannot read {}", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto doc = nlohmann::json::parse(buffer.str(), nullptr, false);
  if (doc.is_discarded()) {
    // Say where: parse again with exceptions for the byte offset.
    try {
      auto ignored = nlohmann::json::parse(buffer.str());
      (void)ignored;
    } catch (const nlohmann::json::parse_error& error) {
      return core::make_error(
          core::ErrorKind::input,
          fmt::format("{}: byte {}: not valid JSON (a dbvet --format json result was expected)", path, error.byte));
    }
  }
  if (doc.is_array()) {
    for (auto& item : doc) {
      if (item.is_object()) documents.push_back(std::move(item));
    }
  } else if (doc.is_object()) {
    if (!doc.contains("kind")) {
      return core::make_error(core::ErrorKind::input,
                              fmt::format("{}: no \"kind\" field: not a dbvet result (dbvet ... --format json)", path));
    }
    documents.push_back(std::move(doc));
  } else {
    return core::make_error(core::ErrorKind::input, fmt::format("{}: expected a JSON object or array", path));
  }
  return core::ok();
}

int run_report(CommandContext& context, const ReportArgs& args) {
  if (auto status = context.require_format_of("report"); !status) return context.fail(status.error());
  if (args.files.empty() && args.history.empty()) {
    return context.fail(core::make_error(core::ErrorKind::usage, "report needs --history FILE.db or RESULT.json..."));
  }
  std::vector<nlohmann::json> documents;
  if (!args.history.empty()) {
    history::Query query;
    if (!args.kind.empty()) query.kind = args.kind;
    query.limit = args.last;
    auto runs = history::load(args.history, query);
    if (!runs) return context.fail(runs.error());
    for (const auto& run : *runs) {
      auto doc = nlohmann::json::parse(run.result, nullptr, false);
      if (doc.is_discarded() || !doc.is_object()) continue;  // a damaged row does not hide the others
      if (!doc.contains("started_at")) doc["started_at"] = run.started_at;
      documents.push_back(std::move(doc));
    }
  }
  for (const auto& file : args.files) {
    if (auto status = add_file(file, documents); !status) return context.fail(status.error());
  }
  nlohmann::json doc{{"kind", "report"}, {"documents", std::move(documents)}};
  if (auto written = context.write_result(doc, args.title); !written) return context.fail(written.error());
  return kExitOk;
}

}  // namespace

CommandRun setup_report(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  app.add_option("results", args->files, "dbvet JSON results (health, audit, digest, bench, compare)");
  // A file must exist (reading never creates one); a postgresql:// URL is checked when connecting,
  // and never echoed by CLI11 (it may hold a password).
  app.add_option("--history", args->history, "History written by --history: an SQLite file or a postgresql:// URL")
      ->check(CLI::Validator(
          [](const std::string& value) {
            if (history::postgres::is_url(value)) return std::string();
            return CLI::ExistingFile(value);
          },
          "FILE|URL"));
  app.add_option("--kind", args->kind, "Only runs of this kind from the history");
  app.add_option("--last", args->last, "Only the most recent N runs from the history");
  app.add_option("--title", args->title, "Page title")->default_val("dbvet report");
  return [args](CommandContext& context) { return run_report(context, *args); };
}

}  // namespace dbvet::cli
