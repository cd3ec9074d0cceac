#!/usr/bin/env bash
# Event processing on PostgreSQL: claiming outbox rows in batches with FOR UPDATE SKIP LOCKED against
# the naive one-row poll, with several consumers, measured as events per second (rows_per_second in
# the JSON summary, "rows/s" in the text table: every returned row is one claimed event).
#   samples/virtualpet/bench/outbox.sh postgresql://.../virtualpet [CONSUMERS] [OUT_DIR]
# Each strategy runs in its own sandbox (CREATE DATABASE ... TEMPLATE; the target must have no other
# session while it is copied) whose outbox is first marked unpublished, so both start from the same
# backlog; the sample's partial index of P9 is added so that only the claim strategy differs.
set -euo pipefail
target=${1:?usage: outbox.sh postgresql://... [CONSUMERS] [OUT_DIR]}
consumers=${2:-4}
out=${3:-bench-outbox}
dbvet=${DBVET:-dbvet}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
setup="UPDATE outbox SET published_at = NULL; CREATE INDEX bench_outbox_unpublished ON outbox (created_at) WHERE published_at IS NULL; ANALYZE outbox"
for strategy in outbox_claim outbox_claim_batch; do
  "$dbvet" bench "$target" --sandbox -w "$here/$strategy.sql" --variant "backlog=index:$setup" \
    --clients "$consumers" --duration "${DURATION:-3s}" --no-progress --format json -o "$out/$strategy.json"
done
python3 - "$out" <<'PY'
import json, sys
for strategy in ("outbox_claim", "outbox_claim_batch"):
    s = json.load(open(f"{sys.argv[1]}/{strategy}.json"))["dbvet"]["summary"][0]
    print(f'{strategy:>20}: {s["rows_per_second"]:10.1f} events/s  {s["throughput"]:8.1f} polls/s  '
          f'p95 {s["latency"]["p95_ms"]:.2f} ms  errors {s["errors"]}')
PY
