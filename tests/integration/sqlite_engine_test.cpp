// SQLite engine against real database files built in a scratch directory: plans through the dbvet
// binary (text and JSON), introspection, read-only safety, errors, bulk load and timeouts.

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "analyzer/engines/connection.hpp"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::engines {
namespace {

namespace fs = std::filesystem;

class VectorRows : public RowSource {
 public:
  explicit VectorRows(int64_t count) : count_(count) {}
  bool next_batch(std::vector<std::vector<std::optional<std::string>>>& batch, size_t max_rows) override {
    while (next_ < count_ && batch.size() < max_rows) {
      int64_t i = next_++;
      batch.push_back({std::to_string(i + 1), std::to_string(i % 50 + 1),
                       i % 7 == 0 ? std::nullopt : std::optional<std::string>("pet" + std::to_string(i)),
                       i % 3 == 0 ? "cat" : "dog", std::to_string(i % 100)});
    }
    return next_ < count_;
  }

 private:
  int64_t count_;
  int64_t next_ = 0;
};

std::unique_ptr<Connection> open(const fs::path& path, bool writes,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  auto url = core::parse_target_url("sqlite:" + path.string());
  EXPECT_TRUE(url);
  ConnectOptions options;
  options.allow_writes = writes;
  options.statement_timeout = timeout;
  auto connection = connect(*url, options);
  EXPECT_TRUE(connection) << connection.error().message;
  return connection ? std::move(*connection) : nullptr;
}

// owners(1..50) and pets(2000 rows, no index on owner_id yet), feedings referencing pets.
fs::path build_database(const std::string& test) {
  auto path = testing::scratch_dir("sqlite-" + test) / "pets.db";
  auto db = open(path, true);
  auto status = db->execute_script(R"(
    CREATE TABLE owners(id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT);
    CREATE TABLE pets(id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES owners(id), name TEXT,
                      species TEXT, happiness INTEGER DEFAULT 50);
    CREATE TABLE feedings(pet_id INTEGER REFERENCES pets, fed_at INTEGER, food TEXT);
    CREATE TABLE tags(pet_id INTEGER, tag TEXT, PRIMARY KEY(pet_id, tag)) WITHOUT ROWID;
    CREATE INDEX pets_lower_name ON pets(lower(name), happiness DESC) WHERE name IS NOT NULL;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
      INSERT INTO owners SELECT i, 'owner' || i || '@example.com', 'Owner ' || i FROM n;
  )");
  EXPECT_TRUE(status) << status.error().message;
  VectorRows rows(2000);
  auto loaded = db->load_rows("pets", {"id", "owner_id", "name", "species", "happiness"}, rows);
  EXPECT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded ? *loaded : 0, 2000);
  return path;
}

nlohmann::json explain_json(const fs::path& path, const std::string& sql, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--format", "json", "explain", "sqlite:" + path.string(), sql};
  args.insert(args.end(), extra.begin(), extra.end());
  auto result = testing::run_dbvet(args);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  auto doc = nlohmann::json::parse(result.out, nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << result.out;
  return doc.is_discarded() ? nlohmann::json{} : doc["statements"][0]["plan"];
}

std::string explain_text(const fs::path& path, const std::string& sql) {
  auto result = testing::run_dbvet({"explain", "sqlite:" + path.string(), sql});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

TEST(SqliteEngine, PlanShapesInTextAndJson) {
  auto path = build_database("PlanShapes");
  const std::string by_owner = "SELECT name FROM pets WHERE owner_id = 7";
  auto scan = explain_json(path, by_owner);
  EXPECT_EQ(scan["engine"], "sqlite");
  EXPECT_EQ(scan["root"]["children"][0]["operation"], "SCAN");
  EXPECT_EQ(scan["root"]["children"][0]["access"], "full_scan");
  EXPECT_EQ(scan["root"]["children"][0]["relation"], "pets");
  EXPECT_NE(explain_text(path, by_owner).find("SCAN on pets"), std::string::npos);

  auto db = open(path, true);
  ASSERT_TRUE(db->execute_script("CREATE INDEX pets_owner ON pets(owner_id)"));
  db.reset();
  auto search = explain_json(path, by_owner);
  EXPECT_EQ(search["root"]["children"][0]["operation"], "SEARCH");
  EXPECT_EQ(search["root"]["children"][0]["access"], "index_scan");
  EXPECT_EQ(search["root"]["children"][0]["index"], "pets_owner");
  EXPECT_EQ(search["root"]["children"][0]["index_condition"], "owner_id=?");
  auto text = explain_text(path, by_owner);
  EXPECT_NE(text.find("SEARCH using pets_owner on pets"), std::string::npos) << text;
  EXPECT_NE(text.find("Index Cond: owner_id=?"), std::string::npos) << text;

  auto sort = explain_json(path, "SELECT * FROM pets ORDER BY happiness");
  ASSERT_EQ(sort["root"]["children"].size(), 2u);
  EXPECT_EQ(sort["root"]["children"][1]["temp_btree"], true);
  EXPECT_NE(explain_text(path, "SELECT * FROM pets ORDER BY happiness").find("USE TEMP B-TREE FOR ORDER BY"),
            std::string::npos);

  auto join = explain_json(
      path, "SELECT o.email, p.name FROM owners o JOIN pets p ON p.owner_id = o.id WHERE o.name = 'Owner 3'");
  ASSERT_EQ(join["root"]["children"].size(), 2u);
  EXPECT_EQ(join["root"]["join_type"], "Nested Loop");
  // SQLite names the table by its alias alone ("SCAN o"); dbvet reads the table from the statement.
  EXPECT_EQ(join["root"]["children"][0]["relation"], "owners");
  EXPECT_EQ(join["root"]["children"][0]["alias"], "o");
  EXPECT_EQ(join["root"]["children"][1]["index"], "pets_owner");
  fs::remove_all(path.parent_path());
}

TEST(SqliteEngine, AnalyzeRecordsStatementCounters) {
  auto path = build_database("AnalyzeCounters");
  auto plan = explain_json(path, "SELECT count(*) FROM pets WHERE species = 'cat' ORDER BY 1", {"--analyze"});
  EXPECT_EQ(plan["analyzed"], true);
  EXPECT_GE(plan["counters"]["FULLSCAN_STEP"].get<double>(), 1999);
  EXPECT_GT(plan["counters"]["VM_STEP"].get<double>(), 2000);
  EXPECT_EQ(plan["counters"]["rows"], 1);
  EXPECT_TRUE(plan.contains("execution_ms"));
  auto join = explain_json(path, "SELECT * FROM pets p JOIN feedings f ON f.food = p.name", {"--analyze"});
  EXPECT_TRUE(join["counters"].contains("AUTOINDEX"));
  fs::remove_all(path.parent_path());
}

TEST(SqliteEngine, ReadOnlySessionNeverChangesTheFile) {
  auto path = build_database("ReadOnly");
  auto before = testing::read_file(path);
  auto result =
      testing::run_dbvet({"explain", "--analyze", "sqlite:" + path.string(), "DELETE FROM pets WHERE species = 'cat'"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("rolled back"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("changes: 667"), std::string::npos) << result.out;
  result = testing::run_dbvet({"explain", "--analyze", "sqlite:" + path.string(), "UPDATE owners SET name = 'x'"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(testing::read_file(path), before);
  EXPECT_FALSE(fs::exists(path.string() + "-journal"));

  auto db = open(path, false);
  auto insert = db->execute("INSERT INTO owners(email) VALUES ('x@y')");
  ASSERT_FALSE(insert);
  EXPECT_NE(insert.error().message.find("read-only"), std::string::npos) << insert.error().message;
  EXPECT_FALSE(db->execute_script("DELETE FROM pets"));
  VectorRows rows(1);
  EXPECT_FALSE(db->load_rows("pets", {"id", "owner_id", "name", "species", "happiness"}, rows));
  auto count = db->execute("SELECT count(*) FROM pets");
  ASSERT_TRUE(count) << count.error().message;
  EXPECT_EQ(count->rows.at(0).at(0).value_or(""), "2000");
  db.reset();
  EXPECT_EQ(testing::read_file(path), before);
  fs::remove_all(path.parent_path());
}

TEST(SqliteEngine, MissingFileAndBadSql) {
  auto dir = testing::scratch_dir("sqlite-MissingFile");
  auto missing = dir / "absent.db";
  auto result = testing::run_dbvet({"explain", "sqlite:" + missing.string(), "SELECT 1"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.err, "dbvet: cannot open sqlite:" + missing.string() +
                            ": no such file (a read-only session never creates one)\n");
  EXPECT_FALSE(fs::exists(missing));

  auto path = build_database("BadSql");
  result = testing::run_dbvet({"explain", "sqlite:" + path.string(), "SELEC name FROM pets"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("syntax error"), std::string::npos) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  result = testing::run_dbvet({"explain", "sqlite:" + path.string(), "SELECT nope FROM pets"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("no such column: nope"), std::string::npos) << result.err;

  auto not_db = dir / "text.db";
  { std::ofstream(not_db) << "this is not a database, just some text that is long enough to have a header\n"; }
  result = testing::run_dbvet({"explain", "sqlite:" + not_db.string(), "SELECT 1"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("not a database"), std::string::npos) << result.err;
  fs::remove_all(dir);
  fs::remove_all(path.parent_path());
}

TEST(SqliteEngine, Introspection) {
  auto path = build_database("Introspection");
  auto db = open(path, true);
  ASSERT_TRUE(db->execute_script("CREATE INDEX pets_owner ON pets(owner_id); ANALYZE pets;"));
  db = open(path, false);
  auto schema = db->introspect();
  ASSERT_TRUE(schema) << schema.error().message;
  EXPECT_EQ(schema->engine, "sqlite");
  ASSERT_EQ(schema->tables.size(), 4u);
  const auto* pets = schema->find_table("pets");
  ASSERT_NE(pets, nullptr);
  EXPECT_EQ(pets->schema, "main");
  EXPECT_EQ(pets->estimated_rows.value_or(0), 2000);  // from sqlite_stat1
  EXPECT_GT(pets->size_bytes.value_or(0), 4096);
  EXPECT_TRUE(pets->has_primary_key());
  ASSERT_EQ(pets->columns.size(), 5u);
  EXPECT_FALSE(pets->find_column("owner_id")->nullable);
  EXPECT_TRUE(pets->find_column("name")->nullable);
  EXPECT_EQ(pets->find_column("happiness")->default_value.value_or(""), "50");
  EXPECT_EQ(pets->find_column("owner_id")->distinct_values.value_or(0), 50);
  const model::Index* expr = nullptr;
  const model::Index* owner = nullptr;
  for (const auto& index : pets->indexes) {
    if (index.name == "pets_lower_name") expr = &index;
    if (index.name == "pets_owner") owner = &index;
  }
  ASSERT_NE(expr, nullptr);
  EXPECT_EQ(expr->columns, (std::vector<std::string>{"lower(name)", "happiness"}));
  EXPECT_EQ(expr->descending, (std::vector<bool>{false, true}));
  EXPECT_EQ(expr->predicate, "name IS NOT NULL");
  ASSERT_NE(owner, nullptr);
  EXPECT_GT(owner->size_bytes.value_or(0), 0);
  ASSERT_EQ(pets->foreign_keys.size(), 1u);
  EXPECT_EQ(pets->foreign_keys[0].referenced_table, "owners");
  EXPECT_EQ(pets->foreign_keys[0].columns, std::vector<std::string>{"owner_id"});

  const auto* owners = schema->find_table("owners");
  ASSERT_NE(owners, nullptr);
  EXPECT_EQ(owners->estimated_rows.value_or(0), 50);  // counted: no statistics for it
  bool unique_email = false;
  for (const auto& index : owners->indexes)
    unique_email |= index.unique && index.columns == std::vector<std::string>{"email"};
  EXPECT_TRUE(unique_email);
  const auto* feedings = schema->find_table("feedings");
  ASSERT_NE(feedings, nullptr);
  ASSERT_EQ(feedings->foreign_keys.size(), 1u);
  EXPECT_EQ(feedings->foreign_keys[0].referenced_columns, std::vector<std::string>{"id"});  // implied primary key
  EXPECT_FALSE(feedings->has_primary_key());
  const auto* tags = schema->find_table("tags");
  ASSERT_NE(tags, nullptr);
  ASSERT_TRUE(tags->has_primary_key());
  fs::remove_all(path.parent_path());
}

TEST(SqliteEngine, ExecuteHashesEveryRowAndKeepsSome) {
  auto path = build_database("ExecuteHash");
  auto db = open(path, false);
  ExecuteOptions keep;
  keep.keep_rows = 10;
  auto a = db->execute("SELECT id, name FROM pets ORDER BY id", keep);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->row_count, 2000);
  EXPECT_EQ(a->rows.size(), 10u);
  EXPECT_EQ(a->columns, (std::vector<std::string>{"id", "name"}));
  EXPECT_FALSE(a->rows[0][1]);  // pet 1 has a NULL name
  auto b = db->execute("SELECT id, name FROM pets ORDER BY id");
  auto c = db->execute("SELECT id, name FROM pets ORDER BY id DESC");
  ASSERT_TRUE(b && c);
  EXPECT_EQ(a->result_hash, b->result_hash);
  EXPECT_NE(a->result_hash, c->result_hash);
  auto nulls = db->execute("SELECT NULL");
  auto empty = db->execute("SELECT ''");
  ASSERT_TRUE(nulls && empty);
  EXPECT_NE(nulls->result_hash, empty->result_hash);
  fs::remove_all(path.parent_path());
}

TEST(SqliteEngine, StatementTimeoutInterrupts) {
  auto path = build_database("Timeout");
  auto db = open(path, false, std::chrono::milliseconds(200));
  auto start = std::chrono::steady_clock::now();
  auto result = db->execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("statement timeout"), std::string::npos) << result.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  auto after = db->execute("SELECT 1");  // the session is still usable
  EXPECT_TRUE(after);
  fs::remove_all(path.parent_path());
}

TEST(SqliteEngine, MemoryDatabase) {
  auto url = core::parse_target_url(":memory:");
  ASSERT_TRUE(url);
  auto db = connect(*url, ConnectOptions{});
  ASSERT_TRUE(db) << db.error().message;
  auto plan = (*db)->explain("SELECT 1", ExplainOptions{});
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->engine, "sqlite");
}

}  // namespace
}  // namespace dbvet::engines
