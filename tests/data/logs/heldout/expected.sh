#!/bin/sh
# Writes <log>.expected beside each held-out log from the peers' own reading of it (pgBadger 12.0,
# pt-query-digest 3.2.1): "statements" is pgBadger's count (normalyzed_info) or pt's query_count,
# "classes" the number of pt classes (PostgreSQL: pgBadger's normalised queries).
set -eu
cd "$(dirname "$0")"
out=$(mktemp -d)
pg() {  # log format
  pgbadger -q -f "$2" -o "$out/$1.json" "$1"
  python3 - "$out/$1.json" "$1" "pgbadger -q -f $2 -o out.json $1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
q = [v for db in d['normalyzed_info'].values() for v in db.values()]
with open(sys.argv[2] + '.expected', 'w') as f:
    f.write(f"command: {sys.argv[3]}\nstatements: {sum(v['count'] for v in q)}\nclasses: {len(q)}\n")
PY
}
pg rds.log rds
pg rds_cloudwatch.log rds
pg cloudsql.json jsonlog
pg cloudsql_gcloud.json jsonlog
# pgBadger reads a Cloud Logging entry only when it is on one line: none of gcloud's indented
# array. dbvet puts each entry together from its lines (see docs/commands/digest.md).
printf 'dbvet_statements: 8\ndbvet_classes: 6\n' >> cloudsql_gcloud.json.expected
pg heroku.log logplex
# pgBadger's logplex continuation pattern wants a timestamp without fractions of a second, which
# 'heroku logs' prints: it glues those lines, header and all, to the statement before, setting
# its classes apart from those of the same statements on one line (see docs/digest.md).
echo "dbvet_classes: 6" >> heroku.log.expected
pg csvlog_no_duration.csv csv
pg csvlog_with_header.csv csv
pg named_timezones.log stderr
pg pgbouncer.log pgbouncer
pt-query-digest --output json mysql_mid_session.log > "$out/pt.json"
python3 - "$out/pt.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
with open('mysql_mid_session.log.expected', 'w') as f:
    f.write("command: pt-query-digest --output json mysql_mid_session.log\n"
            f"statements: {d['global']['query_count']}\nclasses: {len(d['classes'])}\n")
    for c in sorted(d['classes'], key=lambda c: c['fingerprint']):
        f.write(f"class: {c['query_count']} {c['fingerprint']}\n")
PY
rm -rf "$out"
