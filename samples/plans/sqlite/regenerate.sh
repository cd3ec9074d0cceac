#!/bin/sh
# Regenerates the 3.24+ fixtures from queries/*.sql with the installed sqlite3 CLI (3.40.1 when
# they were saved): NAME.eqp.txt is the shell's tree, NAME.rows.txt the raw id|parent|notused|detail
# rows (through Python's sqlite3 module, which links the same library). The old-*.txt fixtures are
# written by hand from SQLite's documentation of the pre-3.24 format and are not regenerated.
set -eu
cd "$(dirname "$0")"
db=$(mktemp -d)/fixtures.db
sqlite3 "$db" < schema.sql
for q in queries/*.sql; do
  name=$(basename "$q" .sql)
  sqlite3 "$db" "EXPLAIN QUERY PLAN $(cat "$q")" > "$name.eqp.txt"
  python3 - "$db" "$q" > "$name.rows.txt" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
for row in con.execute("EXPLAIN QUERY PLAN " + open(sys.argv[2]).read()):
    print("|".join(str(v) for v in row))
PY
done
rm -rf "$(dirname "$db")"
