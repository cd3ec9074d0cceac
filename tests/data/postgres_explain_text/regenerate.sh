#!/bin/sh
# Regenerates the text/JSON pairs of this folder from a PostgreSQL server (scripts/testenv's):
#   scripts/testenv up DIR; . DIR/env; tests/data/postgres_explain_text/regenerate.sh [CASE...]
# With CASE names, only those pairs are written, over the tables as they are (not created again).
# Each case runs EXPLAIN (ANALYZE, BUFFERS) and EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) of the same
# statement under the same settings, one after the other (times and buffer counts differ between
# the two runs; everything else is the same plan).
set -eu
cd "$(dirname "$0")"
: "${DBVET_TEST_PG_URL:?source a testenv env file first}"

[ $# -gt 0 ] || psql "$DBVET_TEST_PG_URL" -X -q -v ON_ERROR_STOP=1 <<'SQL'
DROP TABLE IF EXISTS d9_orders, d9_customers;
CREATE TABLE d9_customers(id int PRIMARY KEY, name text, region text);
INSERT INTO d9_customers SELECT g, 'customer ' || g, (ARRAY['north','south','east','west'])[1 + g % 4]
  FROM generate_series(1, 20000) g;
CREATE TABLE d9_orders(id int PRIMARY KEY, customer_id int, amount numeric, status text, note text);
INSERT INTO d9_orders SELECT g, 1 + (g * 7919) % 20000, (g * 37) % 1000,
  (ARRAY['new','paid','shipped','cancelled'])[1 + g % 4], repeat('x', 40) FROM generate_series(1, 200000) g;
CREATE INDEX d9_orders_customer ON d9_orders(customer_id);
VACUUM ANALYZE d9_customers;
VACUUM ANALYZE d9_orders;
SQL

ONLY="$*"
# case NAME SETTINGS STATEMENT
case_() {
  name=$1 settings=$2 statement=$3
  if [ $# -gt 0 ] && [ -n "$ONLY" ] && ! echo " $ONLY " | grep -q " $name "; then return; fi
  for format in text json; do
    options="ANALYZE, BUFFERS"
    [ "$format" = json ] && options="$options, FORMAT JSON"
    psql "$DBVET_TEST_PG_URL" -X -q -At -v ON_ERROR_STOP=1 \
      -c "SET max_parallel_workers_per_gather = 0; SET jit = off; $settings" \
      -c "EXPLAIN ($options) $statement" > "$name.$format"
  done
}

case_ seq_scan_filter "" "SELECT * FROM d9_orders WHERE amount > 990"
case_ index_scan "" "SELECT * FROM d9_orders WHERE id = 42"
case_ index_only_scan "" "SELECT id FROM d9_orders WHERE id < 500"
case_ bitmap_scan "" "SELECT * FROM d9_orders WHERE customer_id IN (5, 6, 7, 8)"
case_ sort_spill "SET work_mem = '64kB';" "SELECT * FROM d9_orders ORDER BY amount, note"
case_ sort_top_n "" "SELECT * FROM d9_orders ORDER BY amount DESC LIMIT 10"
case_ hash_join_batches "SET work_mem = '64kB';" \
  "SELECT o.id, c.name FROM d9_orders o JOIN d9_customers c ON c.id = o.customer_id WHERE c.region = 'north'"
case_ hash_left_join "" \
  "SELECT c.id, o.id FROM d9_customers c LEFT JOIN d9_orders o ON o.customer_id = c.id AND o.amount > 995"
case_ parallel_seq_scan \
  "SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;" \
  "SELECT count(*) FROM d9_orders WHERE status = 'paid' AND amount < 10"
case_ nested_loop "SET enable_hashjoin = off; SET enable_mergejoin = off;" \
  "SELECT o.id, c.name FROM d9_orders o JOIN d9_customers c ON c.id = o.customer_id WHERE o.id < 200"
case_ never_executed "SET enable_hashjoin = off; SET enable_mergejoin = off;" \
  "SELECT o.id, c.name FROM d9_customers c JOIN d9_orders o ON o.customer_id = c.id WHERE c.id = -1"
case_ hash_aggregate "" "SELECT status, count(*), avg(amount) FROM d9_orders GROUP BY status"
case_ hash_aggregate_spill "SET work_mem = '64kB'; SET enable_sort = off; SET enable_indexscan = off; SET enable_indexonlyscan = off; SET enable_bitmapscan = off;" "SELECT customer_id, count(*) FROM d9_orders GROUP BY customer_id"
case_ group_aggregate "SET enable_hashagg = off;" "SELECT customer_id, max(amount) FROM d9_orders WHERE customer_id < 50 GROUP BY customer_id"
case_ cte "" \
  "WITH big AS MATERIALIZED (SELECT customer_id, sum(amount) AS total FROM d9_orders GROUP BY customer_id) SELECT c.name, b.total FROM big b JOIN d9_customers c ON c.id = b.customer_id WHERE b.total > 9500"
case_ init_plan "" "SELECT id FROM d9_orders WHERE amount > (SELECT avg(amount) + 450 FROM d9_orders)"
case_ sub_plan "" \
  "SELECT c.id, (SELECT max(o.amount) FROM d9_orders o WHERE o.customer_id = c.id) FROM d9_customers c WHERE c.id < 20"
case_ jit "SET jit = on; SET jit_above_cost = 0; SET jit_inline_above_cost = 0; SET jit_optimize_above_cost = 0;" \
  "SELECT status, sum(amount) FROM d9_orders GROUP BY status"
case_ append_union "" \
  "SELECT id FROM d9_orders WHERE id < 5 UNION ALL SELECT id FROM d9_customers WHERE id < 5"
case_ function_scan "" "SELECT g, o.status FROM generate_series(1, 5) g JOIN d9_orders o ON o.id = g"
case_ incremental_sort "" "SELECT * FROM d9_orders WHERE id < 5000 ORDER BY id, amount LIMIT 100"
case_ memoize "SET enable_hashjoin = off; SET enable_mergejoin = off;" \
  "SELECT o.id, c.name FROM d9_orders o JOIN d9_customers c ON c.id = o.customer_id WHERE o.customer_id < 20"
case_ merge_join "SET enable_hashjoin = off; SET enable_nestloop = off;" \
  "SELECT o.id, c.name FROM d9_orders o JOIN d9_customers c ON c.id = o.customer_id WHERE o.id < 1000"
case_ index_scan_backward "" "SELECT * FROM d9_orders ORDER BY id DESC LIMIT 5"
case_ bitmap_or "" "SELECT * FROM d9_orders WHERE customer_id = 5 OR customer_id = 9"
case_ window_agg "" \
  "SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY amount) FROM d9_orders WHERE customer_id < 5"
case_ hash_set_op "" "SELECT id FROM d9_orders WHERE id < 100 EXCEPT SELECT id FROM d9_customers WHERE id < 50"
case_ gather_merge_sort \
  "SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET work_mem = '64kB';" \
  "SELECT * FROM d9_orders ORDER BY amount, note"
case_ values_join "" "SELECT v.x, o.status FROM (VALUES (1), (2), (3)) v(x) JOIN d9_orders o ON o.id = v.x"
case_ anti_join "" \
  "SELECT c.id FROM d9_customers c WHERE NOT EXISTS (SELECT 1 FROM d9_orders o WHERE o.customer_id = c.id AND o.amount > 998)"
case_ join_filter "SET enable_hashjoin = off; SET enable_mergejoin = off;" \
  "SELECT o.id FROM d9_orders o JOIN d9_customers c ON c.id < o.customer_id AND c.id > o.customer_id - 2 WHERE o.id < 50 AND c.id < 100"
case_ update_nothing "" "UPDATE d9_orders SET amount = amount WHERE id < 0"
case_ subquery_scan "" \
  "SELECT * FROM (SELECT customer_id, count(*) AS n FROM d9_orders GROUP BY customer_id LIMIT 10) s WHERE s.n > 1"
