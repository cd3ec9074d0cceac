#!/usr/bin/env bash
# Breaks and mends the private servers of one fault test (started by scripts/testenv up DIR with
# DBVET_TESTENV_ONLY): never the shared servers other tests use. Processes are addressed by the pid
# files of DIR only.
#   fault_servers.sh pg-stop|pg-kill|pg-start|pg-freeze|pg-thaw|mysql-kill|redis-kill DIR
set -Eeuo pipefail
cmd=$1
dir=$2
pg_bin=/usr/lib/postgresql/15/bin

postmaster() { head -1 "$dir/pg/postmaster.pid"; }
# The postmaster and its children (backends, background workers).
pg_pids() {
  local pm
  pm=$(postmaster)
  echo "$pm"
  pgrep -P "$pm" || true
}

case "$cmd" in
  pg-stop) runuser -u postgres -- "$pg_bin/pg_ctl" -D "$dir/pg" -m immediate -w -t 30 stop >/dev/null ;;
  pg-kill)
    pids=$(pg_pids)
    kill -9 $pids 2>/dev/null || true
    for _ in $(seq 1 100); do
      alive=0
      for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
      [[ $alive == 0 ]] && break
      sleep 0.1
    done
    ;;
  pg-start) runuser -u postgres -- "$pg_bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -t 60 start >/dev/null ;;
  pg-freeze) kill -STOP $(pg_pids) ;;
  pg-thaw) kill -CONT $(pg_pids) ;;
  mysql-kill) kill -9 "$(cat "$dir/mysql.pid")" ;;
  redis-kill) kill -9 "$(cat "$dir/redis.pid")" ;;
  *) echo "usage: fault_servers.sh pg-stop|pg-kill|pg-start|pg-freeze|pg-thaw|mysql-kill|redis-kill DIR" >&2; exit 2 ;;
esac
