// Drops a user can follow all at once: never a primary key, a unique constraint or the last index of a
// foreign key, and never both an index and the index that covers it.

#include <gtest/gtest.h>

#include "analyzer/pipeline/drop_safety.hpp"

namespace dbvet::pipeline {
namespace {

model::Index index(const std::string& name, std::vector<std::string> columns, bool unique = false,
                   bool primary = false) {
  model::Index i;
  i.name = name;
  i.table = "pets";
  i.columns = std::move(columns);
  i.unique = unique;
  i.primary = primary;
  i.method = "btree";
  return i;
}

model::Schema pets_schema() {
  model::Table pets;
  pets.name = "pets";
  pets.indexes = {index("PRIMARY", {"id"}, true, true),
                  index("uq_pets_tag", {"tag"}, true),
                  index("uq_pets_tag_copy", {"tag"}, true),
                  index("idx_pets_owner", {"owner_id"}),
                  index("idx_pets_owner_created", {"owner_id", "created_at"}),
                  index("idx_pets_species", {"species_id"}),
                  index("idx_pets_name", {"name"})};
  model::ForeignKey owner{"fk_pets_owner", "pets", {"owner_id"}, "users", {"id"}};
  model::ForeignKey species{"fk_pets_species", "pets", {"species_id"}, "species", {"id"}};
  pets.foreign_keys = {owner, species};
  model::Schema schema;
  schema.engine = "mysql";
  schema.tables = {pets};
  return schema;
}

model::Recommendation drop(const std::string& name, const std::string& covered_by = "") {
  model::Recommendation r;
  r.type = model::RecommendationType::drop_index;
  r.table = "pets";
  r.details["index"] = name;
  if (!covered_by.empty()) r.details["covered_by"] = covered_by;
  return r;
}

std::vector<std::string> names(const std::vector<model::Recommendation>& drops) {
  std::vector<std::string> out;
  for (const auto& d : drops) out.push_back(d.details.at("index"));
  return out;
}

TEST(DropSafety, PrimaryKeyAndUniqueConstraintsStay) {
  std::vector<std::string> notes;
  auto kept = withdraw_unsafe_drops({drop("PRIMARY"), drop("uq_pets_tag")}, pets_schema(), &notes);
  EXPECT_TRUE(kept.empty());
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_NE(notes[0].find("primary key"), std::string::npos);
  EXPECT_NE(notes[1].find("unique constraint"), std::string::npos);
}

TEST(DropSafety, OneOfTwoIdenticalUniqueIndexesMayGo) {
  auto kept = withdraw_unsafe_drops({drop("uq_pets_tag_copy", "uq_pets_tag")}, pets_schema(), nullptr);
  EXPECT_EQ(names(kept), std::vector<std::string>{"uq_pets_tag_copy"});
}

// MariaDB refuses (error 1553) to drop the index a foreign key needs.
TEST(DropSafety, LastIndexOfAForeignKeyStays) {
  std::vector<std::string> notes;
  auto kept = withdraw_unsafe_drops({drop("idx_pets_species"), drop("idx_pets_name")}, pets_schema(), &notes);
  EXPECT_EQ(names(kept), std::vector<std::string>{"idx_pets_name"});
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("fk_pets_species"), std::string::npos);
}

// Another index with the foreign key's columns leading keeps serving it: one of the two may go, not both.
TEST(DropSafety, ForeignKeyKeepsOneOfItsIndexes) {
  auto kept = withdraw_unsafe_drops({drop("idx_pets_owner_created"), drop("idx_pets_owner")}, pets_schema(), nullptr);
  EXPECT_EQ(names(kept), std::vector<std::string>{"idx_pets_owner_created"});
}

// health's contradiction: idx_pets_owner_created unused, idx_pets_owner redundant to it. The unused
// drop stays and the narrower index the queries use is kept, whatever order the findings came in.
TEST(DropSafety, NeverAnIndexAndTheIndexThatCoversIt) {
  auto schema = pets_schema();
  schema.tables[0].foreign_keys.clear();
  std::vector<std::string> notes;
  auto kept = withdraw_unsafe_drops({drop("idx_pets_owner", "idx_pets_owner_created"), drop("idx_pets_owner_created")},
                                    schema, &notes);
  EXPECT_EQ(names(kept), std::vector<std::string>{"idx_pets_owner_created"});
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("idx_pets_owner_created, which covers it"), std::string::npos);
}

TEST(DropSafety, OtherRecommendationsPassThrough) {
  model::Recommendation create;
  create.type = model::RecommendationType::index;
  create.table = "pets";
  auto kept = withdraw_unsafe_drops({create, drop("idx_pets_name")}, pets_schema(), nullptr);
  EXPECT_EQ(kept.size(), 2u);
}

}  // namespace
}  // namespace dbvet::pipeline
