#!/usr/bin/env bash
# Faults under load: gunicorn on loopback with PostgreSQL and Redis started here, while
# bench/faults.py requests every public page in turn and records each answer.
#
#   1. PostgreSQL restarted (full-page cache off, so every request needs the database):
#      errors only while it is down, then the site recovers by itself (persistent connections
#      are checked before reuse: CONN_HEALTH_CHECKS).
#   2. Redis stopped, then started again (full-page cache on, Redis as the cache): pages
#      render from the database meanwhile, no 500s.
#
#   bench/faults.sh [small|large]      default small
#
# Environment: DOWN (seconds each server stays down, default 6), APP_PORT (default 18391),
# BENCH_PG_PORT / BENCH_REDIS_PORT / BENCH_PGDATA (bench/services.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

DATASET=${1:-small}
case "$DATASET" in
    large) SCALE=1 ;;
    small) SCALE=0.02 ;;
    *) echo "usage: bench/faults.sh [small|large]" >&2; exit 2 ;;
esac
DOWN=${DOWN:-6}
APP_PORT=${APP_PORT:-18391}
if [ -z "${BENCH_PY:-}" ]; then
    BENCH_PY=.venv/bin/python
    [ -x "$BENCH_PY" ] || BENCH_PY=$(command -v python3)
fi

# shellcheck source=bench/services.sh
source bench/services.sh

WORK=$(mktemp -d /tmp/newsroom-faults.XXXXXX)
cleanup() { stop_app; bench_stop_all; rm -rf "$WORK"; }
trap cleanup EXIT

pg_start
redis_start
bench_dataset "newsroom_$DATASET" "$SCALE"
PGBIN_DIR=$(bench_pgbin)

export REDIS_URL="redis://127.0.0.1:$BENCH_REDIS_PORT/0"
bench_app_env "newsroom_$DATASET" "$WORK"
read -r -a PATHS <<< "$("$BENCH_PY" bench/pages.py --urls | "$BENCH_PY" -c '
import json, sys
print(" ".join(json.load(sys.stdin).values()))')"

event() { echo "$(date +%s.%N) $1" >> "$EVENTS"; echo "  $(date +%T) $1" >&2; }
pg_ctl_as() { as_pg "$PGBIN_DIR/pg_ctl" -D "$BENCH_PGDATA" "$@"; }

status=0
SECONDS_TOTAL=$((DOWN + 20))

echo "== 1. PostgreSQL restarted under load (page cache off)"
EVENTS=$WORK/events-pg; : > "$EVENTS"
start_app 0 "$APP_PORT" "$WORK/gunicorn-0.log"
"$BENCH_PY" bench/faults.py --base "http://127.0.0.1:$APP_PORT" --paths "${PATHS[@]}" \
    --seconds "$SECONDS_TOTAL" --events "$EVENTS" --expect postgres > "$WORK/pg.txt" &
LOAD_PID=$!
sleep 7
event postgres-stopping
pg_ctl_as -m fast -w stop >/dev/null
event postgres-down
sleep "$DOWN"
event postgres-starting
pg_ctl_start "$PGBIN_DIR"
event postgres-up
wait "$LOAD_PID" || status=1
cat "$WORK/pg.txt"
stop_app

echo
echo "== 2. Redis stopped under load (page cache on, in Redis)"
EVENTS=$WORK/events-redis; : > "$EVENTS"
start_app 1 "$APP_PORT" "$WORK/gunicorn-1.log"
"$BENCH_PY" bench/faults.py --base "http://127.0.0.1:$APP_PORT" --paths "${PATHS[@]}" \
    --seconds "$SECONDS_TOTAL" --events "$EVENTS" --expect redis > "$WORK/redis.txt" &
LOAD_PID=$!
sleep 7
event redis-stopping
redis_stop
event redis-down
sleep "$DOWN"
event redis-starting
redis_start
event redis-up
wait "$LOAD_PID" || status=1
cat "$WORK/redis.txt"
stop_app
echo
echo "gunicorn's log for the Redis run (warnings only):"
grep -c "cache unavailable" "$WORK/gunicorn-1.log" | sed 's/^/  "cache unavailable" warnings: /'
exit $status
