#!/usr/bin/env bash
# Proves what `dbvet advise` recommends on the Virtual Pet sample in one run: the advice's JSON goes
# straight into `dbvet bench --from-advice` (each recommended index alone, then all together, each in
# its own sandbox, interleaved with the baseline), and `dbvet compare` gives the verdict per index.
#   samples/virtualpet/bench/advice.sh TARGET [OUT_DIR]
# TARGET: sqlite:pets.db (loaded with `dbvet gen --sample virtualpet --scale S`; SCALE=S, 0.1 by
# default, gives the workloads the same :scale). The workload is the game's mix of weights.txt.
set -euo pipefail
target=${1:?usage: advice.sh TARGET [OUT_DIR]}
out=${2:-bench-advice}
dbvet=${DBVET:-dbvet}
here=$(cd "$(dirname "$0")" && pwd)
workloads=$here/../workloads/sqlite
mkdir -p "$out"
args=(--scale "${SCALE:-0.1}")
while read -r spec; do
  [[ -z "$spec" || "$spec" == \#* ]] && continue
  args+=(-w "$workloads/$spec")
done <"$workloads/weights.txt"
"$dbvet" advise "$target" "${args[@]}" --format json -o "$out/advice.json"
"$dbvet" bench "$target" "${args[@]}" --from-advice "$out/advice.json" --sandbox \
  --transactions "${TRANSACTIONS:-50}" --repetitions "${REPETITIONS:-10}" --no-progress --format json -o "$out/run.json"
"$dbvet" compare "$out/run.json" --format md -o "$out/compare.md" || status=$?
cat "$out/compare.md"
exit "${status:-0}"
