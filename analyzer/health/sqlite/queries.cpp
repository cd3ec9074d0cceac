// The read-only PRAGMAs and queries behind the SQLite checks, paired with their evaluations.
#include "analyzer/health/sql_check.hpp"
#include "analyzer/health/sqlite/checks.hpp"

namespace dbvet::health {
namespace {

const std::string kQuickCheckSql = "PRAGMA quick_check(20)";
const std::string kFreePagesSql =
    "SELECT (SELECT freelist_count FROM pragma_freelist_count()) AS free_pages, "
    "(SELECT page_count FROM pragma_page_count()) AS pages, (SELECT page_size FROM pragma_page_size()) AS page_size";
const std::string kAnalyzeSql =
    "SELECT (SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1') AS has_stat1, "
    "(SELECT count(*) FROM sqlite_master WHERE type = 'index') AS indexes";
// The PRAGMA form counts as writing for sqlite3_stmt_readonly(); the table-valued form does not.
const std::string kJournalModeSql = "SELECT journal_mode FROM pragma_journal_mode()";
const std::string kForeignKeysEnforcedSql =
    "SELECT (SELECT foreign_keys FROM pragma_foreign_keys()) AS enforced, "
    "(SELECT count(*) FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND f.seq = 0) "
    "AS foreign_keys";
const std::string kForeignKeysSql =
    "SELECT \"table\", id, referenced, group_concat(col, char(31)) AS columns FROM ("
    " SELECT m.name AS \"table\", f.id AS id, f.\"table\" AS referenced, f.\"from\" AS col "
    " FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq) "
    "GROUP BY \"table\", id ORDER BY \"table\", id";
const std::string kIndexesSql =
    "SELECT m.name AS \"table\", il.name AS \"index\", il.\"unique\" AS is_unique, il.partial AS partial, "
    "(SELECT group_concat(coalesce(name, '<expression>'), char(31)) FROM "
    " (SELECT name FROM pragma_index_info(il.name) ORDER BY seqno)) AS columns "
    "FROM sqlite_master m, pragma_index_list(m.name) il WHERE m.type = 'table' ORDER BY 1, 2";
// dbstat is compiled into the sqlite3 shell's library on Debian but not everywhere; sizes are optional.
const std::string kTableSizesSql =
    "SELECT name AS \"table\", sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 20";

}  // namespace

std::vector<SqlCheck> sqlite_checks() {
  namespace sq = sqlite;
  std::vector<SqlCheck> checks = {
      single_query_check("sqlite-quick-check", "PRAGMA quick_check", kQuickCheckSql, sq::evaluate_quick_check),
      single_query_check("sqlite-free-pages", "Free pages worth a VACUUM", kFreePagesSql, sq::evaluate_free_pages),
      single_query_check("sqlite-missing-analyze", "ANALYZE statistics present", kAnalyzeSql, sq::evaluate_analyze),
      single_query_check("sqlite-journal-mode", "Journal mode", kJournalModeSql, sq::evaluate_journal_mode),
      single_query_check("sqlite-foreign-keys-off", "Foreign keys enforcement", kForeignKeysEnforcedSql,
                         sq::evaluate_foreign_keys_enforced),
  };
  checks.push_back(two_query_check("sqlite-unindexed-foreign-key", "Foreign keys without an index", kForeignKeysSql,
                                   kIndexesSql, sq::evaluate_unindexed_foreign_keys));
  SqlCheck sizes;
  sizes.id = "sqlite-table-sizes";
  sizes.description = "Largest tables (for trends, when dbstat is available)";
  sizes.run = [](SqlSource& source, const Thresholds& thresholds) -> core::Expected<CheckResult> {
    auto rows = source.query(kTableSizesSql);
    if (!rows) return core::make_error(core::ErrorKind::unsupported, "the dbstat virtual table is not available");
    return evaluate_table_sizes(*rows, thresholds);
  };
  checks.push_back(std::move(sizes));
  return checks;
}

}  // namespace dbvet::health
