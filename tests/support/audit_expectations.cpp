#include "tests/support/audit_expectations.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

using nlohmann::json;

json expected_json() { return json::parse(read_file(source_dir() / "samples/virtualpet/expected.json")); }

bool lists_engine(const json& entry, const std::string& engine) {
  for (const auto& e : entry.value("engines", json::array())) {
    if (e == engine) return true;
  }
  return false;
}

// The recommended keys start with the expected ones (a longer key that also removes a sort serves too).
bool same_columns(const json& got, const json& want) {
  if (got.size() < want.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (got[i].get<std::string>() != want[i].get<std::string>()) return false;
  }
  return true;
}

bool is_plan_or_query_rule(const std::string& rule) { return rule.rfind("schema-", 0) != 0; }

std::string text(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

}  // namespace

std::vector<std::string> sample_config_args() {
  return {"--config", (source_dir() / "samples/virtualpet/dbvet.toml").string()};
}

std::vector<std::string> sample_workload_args(const std::vector<std::string>& services) {
  std::vector<std::string> args;
  for (const auto& service : services) {
    auto dir = source_dir() / "samples/virtualpet/workloads" / service;
    std::ifstream in(dir / "weights.txt");
    EXPECT_TRUE(in.good()) << dir;
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      args.push_back("--workload");
      args.push_back((dir / line).string());
    }
  }
  return args;
}

void expect_audit_contract(const json& report, const std::string& engine) {
  EXPECT_EQ(report["kind"], "audit");
  EXPECT_EQ(report["target"]["engine"], engine);
  EXPECT_TRUE(report.contains("dbvet_version"));
  for (const auto& f : report["findings"]) {
    for (const char* key : {"rule", "severity", "query_id", "table", "message", "evidence"}) {
      EXPECT_TRUE(f.contains(key)) << key;
    }
  }
  for (const auto& r : report["recommendations"]) {
    for (const char* key : {"type", "table", "columns", "include", "where", "method", "ddl", "queries", "cost_before",
                            "cost_after", "improvement", "verified"}) {
      EXPECT_TRUE(r.contains(key)) << key;
    }
  }
}

void expect_planted_problems_found(const json& report, const std::string& engine, const std::string& verified) {
  int checked = 0;
  const auto expected = expected_json();
  for (const auto& problem : expected["problems"]) {
    if (!lists_engine(problem, engine)) continue;
    ++checked;
    std::string table = problem["table"];
    std::set<std::string> rules;
    for (const auto& r : problem["rules"]) rules.insert(r.get<std::string>());
    bool rule_found = false;
    for (const auto& f : report["findings"]) {
      if (f["table"] == table && rules.count(f["rule"].get<std::string>())) rule_found = true;
    }
    EXPECT_TRUE(rule_found) << problem["id"] << ": none of its rules fired on " << table;
    const auto& want = problem["recommendation"];
    bool recommended = false;
    for (const auto& r : report["recommendations"]) {
      if (r["type"] != want["type"] || r["table"] != want["table"]) continue;
      if (want["type"] == "index") {
        if (!same_columns(r["columns"], want["columns"])) continue;
        if (want.contains("where") && r["where"] != want["where"]) continue;
        EXPECT_EQ(r["verified"], verified) << problem["id"];
        EXPECT_GT(r["improvement"].get<double>(), 0.2) << problem["id"];
        EXPECT_LT(r["cost_after"].get<double>(), r["cost_before"].get<double>()) << problem["id"];
      }
      if (want["type"] == "drop_index" && r["details"]["index"] != want["index"]) continue;
      recommended = true;
    }
    EXPECT_TRUE(recommended) << problem["id"] << ": no " << want["type"] << " recommendation on " << want["table"]
                             << " " << want["columns"].dump();
  }
  EXPECT_GT(checked, 0) << "expected.json lists no problem for " << engine;
  // Every index recommendation, planted or not, is verified the engine's way and pays.
  for (const auto& r : report["recommendations"]) {
    if (r["type"] != "index") continue;
    EXPECT_EQ(r["verified"], verified) << r.dump();
    EXPECT_LT(r["cost_after"].get<double>(), r["cost_before"].get<double>()) << r.dump();
  }
}

void expect_nothing_fine_flagged(const json& report, const std::string& engine) {
  const auto& findings = report["findings"];
  const auto& recommendations = report["recommendations"];
  auto no_index_advice_on = [&](const std::string& table, const std::string& id) {
    for (const auto& r : recommendations) {
      EXPECT_FALSE(r["type"] == "index" && r["table"] == table) << id << ": " << r.dump();
    }
  };
  auto no_query_finding_on = [&](const std::string& table, const std::string& id) {
    for (const auto& f : findings) {
      EXPECT_FALSE(f["table"] == table && is_plan_or_query_rule(f["rule"])) << id << ": " << f.dump();
    }
  };
  auto no_finding_about = [&](const std::string& query_part, const std::string& id) {
    for (const auto& f : findings) {
      EXPECT_EQ(text(f["evidence"].value("query", "")).find(query_part), std::string::npos) << id << ": " << f.dump();
    }
  };
  const auto expected = expected_json();
  int checked = 0;
  for (const auto& fine : expected["fine"]) {
    if (!lists_engine(fine, engine)) continue;
    ++checked;
    std::string id = fine["id"];
    std::string prefix = id.substr(0, id.find('-'));
    if (prefix == "F1") {  // pet_profile's primary-key lookups
      no_finding_about("JOIN species sp", id);
    } else if (prefix == "F2") {  // the session token lookup
      no_finding_about("WHERE token", id);
      no_index_advice_on("sessions", id);
    } else if (prefix == "F3" || prefix == "F4" || prefix == "F8") {  // served by existing keys
      no_query_finding_on(fine["table"], id);
      no_index_advice_on(fine["table"], id);
    } else if (prefix == "F5") {  // Keycloak's login steps
      for (const char* table : {"user_entity", "credential", "user_role_mapping"}) {
        no_query_finding_on(table, id);
        no_index_advice_on(table, id);
      }
    } else if (prefix == "F6") {  // a filtered count is no unfiltered count
      for (const auto& f : findings) {
        if (f["rule"] != "query-unfiltered-count") continue;
        EXPECT_EQ(text(f["evidence"]["query"]).find("WHERE"), std::string::npos) << id << ": " << f.dump();
      }
    } else if (prefix == "F7") {  // refunds is small
      for (const auto& f : findings) {
        EXPECT_FALSE(f["table"] == "refunds" && f["rule"] == "plan-full-scan-large-table") << id << ": " << f.dump();
      }
    } else if (prefix == "F9") {  // idx_pets_owner_created is used
      for (const auto& f : findings) {
        if (f["rule"] == "schema-redundant-index" || f["rule"] == "schema-unused-index") {
          EXPECT_NE(f["evidence"].value("index", ""), "idx_pets_owner_created") << id << ": " << f.dump();
        }
      }
    } else if (prefix == "F10") {  // feeding_events.pet_id has its index
      for (const auto& f : findings) {
        EXPECT_FALSE(f["rule"] == "schema-unindexed-foreign-key" && f["table"] == "feeding_events" &&
                     f["evidence"].value("columns", "") == "pet_id")
            << id << ": " << f.dump();
      }
    } else if (prefix == "F11") {  // tiny lookup tables
      for (const auto& table : fine["tables"]) {
        for (const auto& f : findings) EXPECT_NE(f["table"], table) << id << ": " << f.dump();
        no_index_advice_on(table, id);
      }
    } else {
      ADD_FAILURE() << id << " in expected.json has no check in tests/support/audit_expectations.cpp";
    }
  }
  EXPECT_GT(checked, 0) << "expected.json lists nothing fine for " << engine;
}

void expect_unverified_estimate(const json& report, const std::string& note_part) {
  EXPECT_EQ(report["verification"], "estimate");
  bool explained = false;
  for (const auto& note : report["notes"]) {
    if (note.get<std::string>().find(note_part) != std::string::npos) explained = true;
  }
  EXPECT_TRUE(explained) << "no note says " << note_part << ": " << report["notes"].dump();
  for (const auto& r : report["recommendations"]) EXPECT_EQ(r["verified"], "estimate") << r.dump();
}

void expect_index_ddl_contains(const json& report, const std::string& part) {
  for (const auto& r : report["recommendations"]) {
    if (r["type"] != "index") continue;
    EXPECT_NE(r["ddl"].get<std::string>().find(part), std::string::npos) << r.dump();
  }
}

std::string database_fingerprint(const std::string& url) {
  auto parsed = core::parse_target_url(url);
  EXPECT_TRUE(parsed) << url;
  if (!parsed) return "";
  auto connection = engines::connect(*parsed, {});
  EXPECT_TRUE(connection) << connection.error().message;
  if (!connection) return "";
  auto query = [&](const std::string& sql) {
    auto result = (*connection)->execute(sql, {1000000});
    EXPECT_TRUE(result) << sql << ": " << result.error().message;
    std::string out;
    if (!result) return out;
    for (const auto& row : result->rows) {
      for (const auto& cell : row) out += cell.value_or("NULL") + "\t";
      out += "\n";
    }
    return out;
  };
  bool postgres = parsed->engine == core::Engine::postgres;
  std::string tables_sql =
      postgres ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = "
                 "'BASE TABLE' ORDER BY 1"
               : "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = "
                 "'BASE TABLE' ORDER BY 1";
  std::string out = query(postgres ? "SELECT table_name, column_name, data_type, is_nullable FROM "
                                     "information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2"
                                   : "SELECT table_name, column_name, column_type, is_nullable FROM "
                                     "information_schema.columns WHERE table_schema = DATABASE() ORDER BY 1, 2");
  out += query(postgres ? "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"
                        : "SELECT table_name, index_name, seq_in_index, column_name FROM information_schema.statistics "
                          "WHERE table_schema = DATABASE() ORDER BY 1, 2, 3");
  auto tables = (*connection)->execute(tables_sql, {100000});
  EXPECT_TRUE(tables);
  if (!tables) return out;
  for (const auto& row : tables->rows) {
    std::string table = row.at(0).value_or("");
    // The hash of every row's text, whatever order the rows come in.
    out += table + ": " +
           query(postgres ? "SELECT count(*), coalesce(sum(hashtext(t::text)::numeric), 0) FROM \"" + table + "\" t"
                          : "CHECKSUM TABLE `" + table + "`");
  }
  return out;
}

}  // namespace dbvet::testing
