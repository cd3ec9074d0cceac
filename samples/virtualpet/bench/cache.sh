#!/usr/bin/env bash
# Redis cache-aside in front of the leaderboard and the pet profile reads, against the database alone.
#   samples/virtualpet/bench/cache.sh TARGET redis://HOST:PORT [OUT_DIR]
# The profile ids are Zipf-distributed (random_zipfian(1, npets, 1.1)): most reads hit a few hot pets,
# so the hit ratio climbs fast; the leaderboard is one key per season, a hit after the first miss.
# feed_pet.sql writes pets and pet_stats: each feeding invalidates the cached profiles (per-table sets).
set -euo pipefail
target=${1:?usage: cache.sh TARGET redis://HOST:PORT [OUT_DIR]}
redis=${2:?usage: cache.sh TARGET redis://HOST:PORT [OUT_DIR]}
out=${3:-bench-cache}
dbvet=${DBVET:-dbvet}
here=$(cd "$(dirname "$0")" && pwd)
case "$target" in
  sqlite:* | *.db) workloads=$here/../workloads/sqlite ;;
  *) workloads=$here/../workloads/pet-service ;;
esac
mkdir -p "$out"
"$dbvet" bench "$target" --sandbox \
  -w "$workloads/leaderboard.sql@2" -w "$workloads/pet_profile.sql@8" -w "$workloads/feed_pet.sql@1" \
  --variant baseline --variant "cache=cache:$redis?ttl=${TTL:-60}" \
  --clients "${CLIENTS:-4}" --duration "${DURATION:-10s}" --warmup 2s --repetitions "${REPETITIONS:-3}" \
  --sla 'pet_profile:p95<5ms' --sla 'leaderboard:p95<10ms' --sla 'errors<0.1%' \
  --no-progress --format json -o "$out/cache.json" || status=$?
"$dbvet" bench "$target" --sandbox -w "$workloads/pet_profile.sql" --variant baseline \
  --variant "cache=cache:$redis" --transactions 2000 --no-progress | tee "$out/profile.txt"
exit "${status:-0}"
