#include <algorithm>

#include "analyzer/engines/connection.hpp"
#include "tests/integration/postgres_test_database.hpp"

namespace dbvet {
namespace {

const model::Index* index_named(const model::Table& table, const std::string& name) {
  for (const auto& index : table.indexes) {
    if (index.name == name) return &index;
  }
  return nullptr;
}

TEST(PostgresIntrospect, TablesColumnsIndexesForeignKeysAndStatistics) {
  testing::PostgresTestDatabase db;
  db.run(R"(
    CREATE SCHEMA game;
    CREATE TABLE game.species (id int PRIMARY KEY, name text NOT NULL UNIQUE);
    CREATE TABLE game.pets (
      id bigserial PRIMARY KEY,
      species_id int NOT NULL REFERENCES game.species (id),
      owner_id int NOT NULL,
      name text,
      hunger int NOT NULL DEFAULT 50,
      adopted_at timestamptz,
      deleted_at timestamptz);
    CREATE TABLE game.pet_links (
      pet_a bigint, pet_b bigint, kind text,
      PRIMARY KEY (pet_a, pet_b),
      CONSTRAINT pet_links_pair_fk FOREIGN KEY (pet_b, pet_a) REFERENCES game.pet_links (pet_a, pet_b));
    CREATE INDEX pets_owner_adopted_idx ON game.pets (owner_id, adopted_at DESC) INCLUDE (name);
    CREATE INDEX pets_alive_idx ON game.pets (species_id) WHERE deleted_at IS NULL;
    CREATE INDEX pets_lower_name_idx ON game.pets (lower(name));
    CREATE INDEX pets_name_hash_idx ON game.pets USING hash (name);
    INSERT INTO game.species SELECT g, 'species ' || g FROM generate_series(1, 20) g;
    INSERT INTO game.pets (species_id, owner_id, name, adopted_at, deleted_at)
      SELECT 1 + g % 20, g % 1000, CASE WHEN g % 4 = 0 THEN NULL ELSE 'pet ' || g END, now(), NULL
      FROM generate_series(1, 5000) g;
    ANALYZE game.species; ANALYZE game.pets;
    SELECT count(*) FROM game.pets;)");

  auto url = core::parse_target_url(db.url());
  auto connection = engines::connect(*url, engines::ConnectOptions{});
  ASSERT_TRUE(connection.has_value()) << connection.error().message;
  auto schema = (*connection)->introspect();
  ASSERT_TRUE(schema.has_value()) << schema.error().message;
  EXPECT_EQ(schema->engine, "postgres");
  EXPECT_EQ(schema->database.rfind("dbvet_it_postgresintrospect_", 0), 0u) << schema->database;
  EXPECT_FALSE(schema->engine_version.empty());
  // The test server started minutes ago: statistics that young cannot call an index unused.
  ASSERT_TRUE(schema->statistics_age_seconds.has_value());
  EXPECT_GE(*schema->statistics_age_seconds, 0);
  EXPECT_LT(*schema->statistics_age_seconds, 86400);
  ASSERT_EQ(schema->tables.size(), 3u) << "only user tables, none of pg_catalog or the extensions";

  const auto* pets = schema->find_table("game.pets");
  ASSERT_NE(pets, nullptr);
  EXPECT_EQ(pets->schema, "game");
  EXPECT_DOUBLE_EQ(*pets->estimated_rows, 5000.0);
  EXPECT_GT(*pets->size_bytes, 8192);
  EXPECT_GE(*pets->seq_scans, 1);
  EXPECT_EQ(*pets->inserts, 5000);
  EXPECT_TRUE(pets->has_primary_key());

  const auto* id = pets->find_column("id");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->type, "bigint");
  EXPECT_FALSE(id->nullable);
  ASSERT_TRUE(id->default_value.has_value());
  EXPECT_NE(id->default_value->find("nextval"), std::string::npos);
  EXPECT_NEAR(*id->distinct_values, 5000.0, 1.0) << "n_distinct -1 made absolute";
  const auto* species_id = pets->find_column("species_id");
  EXPECT_DOUBLE_EQ(*species_id->distinct_values, 20.0);
  const auto* name = pets->find_column("name");
  EXPECT_TRUE(name->nullable);
  EXPECT_NEAR(*name->null_fraction, 0.25, 0.01);
  EXPECT_EQ(*pets->find_column("hunger")->default_value, "50");
  EXPECT_EQ(pets->find_column("adopted_at")->type, "timestamp with time zone");

  const auto* composite = index_named(*pets, "pets_owner_adopted_idx");
  ASSERT_NE(composite, nullptr);
  EXPECT_EQ(composite->table, "pets");
  EXPECT_EQ(composite->columns, (std::vector<std::string>{"owner_id", "adopted_at"}));
  EXPECT_EQ(composite->descending, (std::vector<bool>{false, true}));
  EXPECT_EQ(composite->include, std::vector<std::string>{"name"});
  EXPECT_EQ(composite->method, "btree");
  EXPECT_FALSE(composite->unique);
  EXPECT_TRUE(composite->valid);
  EXPECT_EQ(*composite->scans, 0);
  EXPECT_GT(*composite->size_bytes, 0);
  EXPECT_NE(composite->definition.find("CREATE INDEX pets_owner_adopted_idx"), std::string::npos);

  const auto* partial = index_named(*pets, "pets_alive_idx");
  ASSERT_NE(partial, nullptr);
  EXPECT_EQ(partial->predicate, "(deleted_at IS NULL)");
  const auto* expression = index_named(*pets, "pets_lower_name_idx");
  ASSERT_NE(expression, nullptr);
  EXPECT_EQ(expression->columns, std::vector<std::string>{"lower(name)"});
  EXPECT_EQ(index_named(*pets, "pets_name_hash_idx")->method, "hash");
  const auto* primary = index_named(*pets, "pets_pkey");
  ASSERT_NE(primary, nullptr);
  EXPECT_TRUE(primary->primary);
  EXPECT_TRUE(primary->unique);

  const auto* species = schema->find_table("species");
  ASSERT_NE(species, nullptr);
  EXPECT_TRUE(index_named(*species, "species_name_key")->unique);

  ASSERT_EQ(pets->foreign_keys.size(), 1u);
  const auto& fk = pets->foreign_keys[0];
  EXPECT_EQ(fk.table, "pets");
  EXPECT_EQ(fk.columns, std::vector<std::string>{"species_id"});
  EXPECT_EQ(fk.referenced_table, "species");
  EXPECT_EQ(fk.referenced_columns, std::vector<std::string>{"id"});

  const auto* links = schema->find_table("pet_links");
  ASSERT_EQ(links->foreign_keys.size(), 1u);
  EXPECT_EQ(links->foreign_keys[0].columns, (std::vector<std::string>{"pet_b", "pet_a"}));
  EXPECT_EQ(links->foreign_keys[0].referenced_columns, (std::vector<std::string>{"pet_a", "pet_b"}));
  EXPECT_FALSE(links->estimated_rows.has_value()) << "never analyzed: unknown, not zero";
}

}  // namespace
}  // namespace dbvet
