#pragma once
// Schema and statistics of a live PostgreSQL database, read from the catalogs and the statistics
// views. Throws pqxx exceptions; the connection turns them into errors.

#include <pqxx/transaction_base>

#include "analyzer/model/schema.hpp"

namespace dbvet::engines::postgres {

// Tables (and partitioned tables, materialized views) of every user schema, i.e. not pg_catalog,
// information_schema, TOAST or temporary schemas, and not objects an extension owns.
model::Schema introspect_schema(pqxx::transaction_base& tx);

}  // namespace dbvet::engines::postgres
