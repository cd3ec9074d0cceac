#pragma once
// The SQLite table the bench, interrupt and redaction tests run against.

#include <filesystem>

namespace dbvet::testing {

// Table t(id, k, v) of `rows` rows where k takes 2000 values: a filter on k scans the table unless
// `with_index` adds t_k(k). Fails the calling test (gtest ASSERT) when SQLite refuses.
void make_sqlite_items(const std::filesystem::path& path, int rows, bool with_index = false);

}  // namespace dbvet::testing
