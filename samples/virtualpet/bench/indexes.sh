#!/usr/bin/env bash
# Proves the audit's index recommendations on the Virtual Pet sample: every workload before and
# after its recommended index, side by side in sandboxes, then `dbvet compare` per recommendation.
#   samples/virtualpet/bench/indexes.sh TARGET [OUT_DIR]
# TARGET: sqlite:pets.db or postgresql://.../virtualpet (loaded with `dbvet gen --sample virtualpet`).
set -euo pipefail
target=${1:?usage: indexes.sh TARGET [OUT_DIR]}
out=${2:-bench-indexes}
dbvet=${DBVET:-dbvet}
here=$(cd "$(dirname "$0")" && pwd)
case "$target" in
  sqlite:* | *.db) engine=sqlite; workloads=$here/../workloads/sqlite ;;
  postgres*) engine=postgres; workloads=$here/../workloads/pet-service ;;
  *) echo "indexes.sh: TARGET must be sqlite: or postgresql://" >&2; exit 2 ;;
esac
mkdir -p "$out"
reps=${REPETITIONS:-8}
tx=${TRANSACTIONS:-100}

# recommendation id | workload | DDL (EXPECTED.md)
while IFS='|' read -r id workload ddl; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  [[ -f "$workloads/$workload" ]] || workloads_dir=$here/../workloads/user-service
  file=$workloads/$workload
  [[ -f "$file" ]] || file=$here/../workloads/user-service/$workload
  [[ -f "$file" ]] || file=$here/../workloads/events/$workload
  echo "== $id: $workload"
  "$dbvet" bench "$target" -w "$file" --sandbox --variant baseline --variant "index=index:$ddl" \
    --transactions "$tx" --repetitions "$reps" --no-progress --format json -o "$out/$id.json"
  # Split the interleaved run into before/after for compare (the Google Benchmark-shaped entries).
  python3 - "$out/$id.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for variant in ("baseline", "index"):
    part = dict(doc, benchmarks=[b for b in doc["benchmarks"] if b.get("dbvet_variant") == variant])
    json.dump(part, open(sys.argv[1].replace(".json", f".{variant}.json"), "w"))
PY
  "$dbvet" compare "$out/$id.baseline.json" "$out/$id.index.json" --format md | tee "$out/$id.md" || true
done <<EOF_LIST
P1-pet-history-composite-index|pet_history.sql|CREATE INDEX bench_fe_pet_fed ON feeding_events (pet_id, fed_at DESC)
P2-leaderboard-sort|leaderboard.sql|CREATE INDEX bench_ls_season_score ON leaderboard_scores (season, score DESC)
P4-case-insensitive-email|login.sql|CREATE INDEX bench_users_lower_email ON users (lower(email))
P9-outbox-poll-partial-index|outbox_poll.sql|CREATE INDEX bench_outbox_unpublished ON outbox (created_at) WHERE published_at IS NULL
P10a-play-events-unindexed-fk|pet_playtime.sql|CREATE INDEX bench_play_events_pet ON play_events (pet_id)
P10b-friendships-unindexed-fk|followers.sql|CREATE INDEX bench_friendships_friend ON friendships (friend_id)
EOF_LIST
echo "reports in $out/"
