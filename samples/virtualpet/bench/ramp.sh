#!/usr/bin/env bash
# The knee of the leaderboard read: the highest offered rate at which p95 stays under the SLA, for
# the baseline and with the recommended index, each in its own sandbox.
#   samples/virtualpet/bench/ramp.sh TARGET [OUT_DIR]
# TARGET: sqlite:pets.db (loaded with `dbvet gen --sample virtualpet`). Knobs: FROM, TO, STEP,
# DURATION (per step), CLIENTS, SLA.
set -euo pipefail
target=${1:?usage: ramp.sh TARGET [OUT_DIR]}
out=${2:-bench-ramp}
dbvet=${DBVET:-dbvet}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
"$dbvet" bench "$target" -w "$here/../workloads/sqlite/leaderboard.sql" --sandbox --variant baseline \
  --variant 'idx=index:CREATE INDEX ls_season_score ON leaderboard_scores (season, score DESC)' \
  --ramp "${FROM:-500}:${TO:-10000}:${STEP:-500}" --duration "${DURATION:-1s}" --clients "${CLIENTS:-2}" \
  --sla "${SLA:-p95<2ms}" --no-progress --format md -o "$out/ramp.md"
cat "$out/ramp.md"
