#include "rules/schema/index_judge.hpp"

#include <gtest/gtest.h>

#include <set>

#include "analyzer/health/index_logic.hpp"
#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using rules::index_judge::Cover;
using rules::index_judge::covered_by;
using rules::index_judge::serves_foreign_key;

health::IndexDef as_def(const model::Index& index) {
  health::IndexDef def;
  def.table = index.table;
  def.name = index.name;
  def.method = index.method;
  def.columns = index.columns;
  def.predicate = index.predicate;
  def.unique = index.unique;
  def.primary = index.primary;
  def.valid = index.valid;
  return def;
}

// The cases on which health and the schema rules used to disagree (issue 16): names in another case,
// methods that cannot serve a lookup by prefix, MySQL's upper-case method names.
model::Table awkward_table() {
  auto table = table_of("pets", 100000);
  auto pkey = index_of("pets_pkey", "pets", {"id"}, true, true);
  auto owner_upper = index_of("pets_owner", "pets", {"Owner_ID"});
  owner_upper.method = "BTREE";
  auto owner_created = index_of("pets_owner_created", "pets", {"owner_id", "created_at"});
  auto species_hash = index_of("pets_species_hash", "pets", {"species"});
  species_hash.method = "hash";
  auto species_name_hash = index_of("pets_species_name_hash", "pets", {"species", "name"});
  species_name_hash.method = "hash";
  auto twin_b = index_of("pets_name_b", "pets", {"name"});
  auto twin_a = index_of("pets_name_a", "pets", {"NAME"});
  auto unique_email = index_of("pets_tag", "pets", {"tag"}, true);
  auto tag_kind = index_of("pets_tag_kind", "pets", {"tag", "kind"});
  table.indexes = {pkey,   owner_upper, owner_created, species_hash, species_name_hash,
                   twin_b, twin_a,      unique_email,  tag_kind};
  return table;
}

TEST(IndexJudge, ForeignKeysAreServedByBTreesWhateverTheCaseOfTheirNames) {
  auto table = awkward_table();
  EXPECT_TRUE(serves_foreign_key(table.indexes[1], {"owner_id"}));  // BTREE, Owner_ID
  EXPECT_FALSE(serves_foreign_key(table.indexes[3], {"species"}));  // hash
  EXPECT_TRUE(serves_foreign_key(table.indexes[2], {"CREATED_AT", "owner_id"}));
  EXPECT_FALSE(serves_foreign_key(table.indexes[2], {"created_at"}));
  auto partial = table.indexes[2];
  partial.predicate = "deleted_at IS NULL";
  EXPECT_FALSE(serves_foreign_key(partial, {"owner_id"}));
}

TEST(IndexJudge, CoversByPrefixOnlyBTreesAndNeverAUniquenessTheOtherDoesNotEnforce) {
  auto table = awkward_table();
  EXPECT_EQ(covered_by(table.indexes[1], table.indexes[2]), Cover::prefix);  // BTREE vs btree, case apart
  EXPECT_EQ(covered_by(table.indexes[3], table.indexes[4]), Cover::none);    // hash (species) vs hash (species, name)
  EXPECT_EQ(covered_by(table.indexes[7], table.indexes[8]), Cover::none);    // unique tag vs plain (tag, kind)
  EXPECT_EQ(covered_by(table.indexes[5], table.indexes[6]), Cover::duplicate);
  EXPECT_EQ(rules::index_judge::drop_of_duplicates(table.indexes[5], table.indexes[6]), &table.indexes[5]);
  EXPECT_EQ(covered_by(table.indexes[0], table.indexes[0]), Cover::none);
}

// One judge: what health reports and what the schema rules of audit and advise report on the same
// indexes are the same set of (index, covering index) and foreign-key answers.
TEST(IndexJudge, HealthAndTheSchemaRulesAgreeOnTheSameIndexes) {
  model::Schema schema;
  schema.tables.push_back(awkward_table());
  model::ForeignKey fk_upper{"pets_owner_fk", "pets", {"OWNER_ID"}, "owners", {"id"}};
  model::ForeignKey fk_hash{"pets_species_fk", "pets", {"species"}, "species", {"name"}};
  schema.tables[0].foreign_keys = {fk_upper, fk_hash};
  rules::RuleContext context;
  context.schema = &schema;

  std::set<std::pair<std::string, std::string>> from_rules;
  for (const auto& f : run_rule("schema-redundant-index", context)) {
    from_rules.insert({f.evidence.at("index"), f.evidence.at("covered_by")});
  }
  for (const auto& f : run_rule("schema-duplicate-index", context)) {
    from_rules.insert({f.evidence.at("index"), f.evidence.at("duplicate_of")});
  }
  std::vector<health::IndexDef> defs;
  for (const auto& index : schema.tables[0].indexes) defs.push_back(as_def(index));
  std::set<std::pair<std::string, std::string>> from_health;
  for (const auto& r : health::find_redundant_indexes(defs)) from_health.insert({r.redundant.name, r.covering.name});
  EXPECT_EQ(from_rules, from_health);
  EXPECT_EQ(from_health, (std::set<std::pair<std::string, std::string>>{{"pets_owner", "pets_owner_created"},
                                                                        {"pets_name_b", "pets_name_a"}}));

  std::set<std::string> unindexed_by_rules;
  for (const auto& f : run_rule("schema-unindexed-foreign-key", context)) {
    unindexed_by_rules.insert(f.evidence.at("foreign_key"));
  }
  std::set<std::string> unindexed_by_health;
  for (const auto& fk : schema.tables[0].foreign_keys) {
    if (!health::fk_has_index(fk.columns, defs)) unindexed_by_health.insert(fk.name);
  }
  EXPECT_EQ(unindexed_by_rules, unindexed_by_health);
  EXPECT_EQ(unindexed_by_health, std::set<std::string>{"pets_species_fk"});
}

}  // namespace
}  // namespace dbvet::testing
