#!/usr/bin/env bash
# Event processing on PostgreSQL: claiming outbox rows in batches with FOR UPDATE SKIP LOCKED against
# the naive one-row poll, with several consumers, measured as events per second (rows_per_second in
# the JSON summary, "rows/s" in the text table: every returned row is one claimed event).
#   samples/virtualpet/bench/outbox.sh postgresql://.../virtualpet [CONSUMERS] [OUT_DIR]
# Each variant runs in its own sandbox (CREATE DATABASE ... TEMPLATE), so both start from the same
# outbox; the target must have no other session while the sandboxes are copied.
set -euo pipefail
target=${1:?usage: outbox.sh postgresql://... [CONSUMERS] [OUT_DIR]}
consumers=${2:-4}
out=${3:-bench-outbox}
dbvet=${DBVET:-dbvet}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
"$dbvet" bench "$target" --sandbox -w "$here/outbox_claim.sql" \
  --variant naive=baseline --variant "batch=rewrite:$here/outbox_claim_batch.sql" \
  --clients "$consumers" --duration "${DURATION:-5s}" --repetitions "${REPETITIONS:-3}" \
  --no-progress --format json -o "$out/outbox.json"
python3 - "$out/outbox.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for s in doc["dbvet"]["summary"]:
    print(f'{s["variant"]:>6}: {s["rows_per_second"]:10.1f} events/s  p95 {s["latency"]["p95_ms"]:.2f} ms  errors {s["errors"]}')
PY
