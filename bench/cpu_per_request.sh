#!/usr/bin/env bash
# CPU time per request of the story, show and person pages (or PAGES), uncached: the user +
# system time that gunicorn's workers and the PostgreSQL backends spent during a wrk run,
# divided by the requests served. Unlike req/s, this barely moves when another job shares
# the machine, and it says what a page costs: on C cores a page that takes T ms of CPU
# cannot go past C * 1000 / T req/s.
#
#   bench/cpu_per_request.sh [large|small]      default large; the database load.sh builds
#
# Environment: PAGES (page names as bench/pages.py --urls gives them, and "ceiling" for the
# constant view, whose cost says how fast the machine is running; default
# "ceiling story show person"), DURATION (seconds of wrk per page, default 5), CONNECTIONS
# (default 64), APP_PORT (default 18392), BENCH_PG_PORT / BENCH_PGDATA (bench/services.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

DATASET=${1:-large}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-64}
APP_PORT=${APP_PORT:-18392}
PAGES=${PAGES:-ceiling story show person}
BENCH_PY=${BENCH_PY:-.venv/bin/python}
TICKS=$(getconf CLK_TCK)

# shellcheck source=bench/services.sh
source bench/services.sh
WORK=$(mktemp -d /tmp/newsroom-cpu.XXXXXX)
cleanup() { stop_app; bench_stop_all; rm -rf "$WORK"; }
trap cleanup EXIT

pg_start
case "$DATASET" in large) SCALE=1 ;; small) SCALE=0.02 ;; *) echo "usage: $0 [large|small]" >&2; exit 2 ;; esac
bench_dataset "newsroom_$DATASET" "$SCALE"

bench_app_env "newsroom_$DATASET" "$WORK"
URLS=$("$BENCH_PY" bench/pages.py --urls)
start_app 0 "$APP_PORT" "$WORK/gunicorn.log"

ticks() {  # ticks PIDS...: their user + system CPU time, in clock ticks
    local total=0 pid
    for pid in "$@"; do
        [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
    done
    echo "$total"
}

app_ticks() {  # the workers' CPU time, those gunicorn replaced during the run included
    # (a worker is recycled after GUNICORN_MAX_REQUESTS: its time moves to the master's
    # children's time, fields 16 and 17, when the master reaps it)
    local master
    master=$(awk '{print $16 + $17}' "/proc/$APP_PID/stat")
    # shellcheck disable=SC2046
    echo $((master + $(ticks $(pgrep -P "$APP_PID"))))
}

printf '%-8s %9s %7s %14s %12s %12s\n' page requests req/s "CPU ms/req" "app ms/req" "db ms/req"
for page in $PAGES; do
    if [ "$page" = ceiling ]; then
        path=/_bench/ceiling/  # the constant view: what any page costs before its own work
    else
        path=$(echo "$URLS" | "$BENCH_PY" -c "import json, sys; print(json.load(sys.stdin)['$page'])")
    fi
    url="http://127.0.0.1:$APP_PORT$path"
    wrk -t2 -c"$CONNECTIONS" -d2s "$url" >/dev/null  # warm: connections, prepared statements
    backends=$(pgrep -f "postgres: .*newsroom_$DATASET" | tr '\n' ' ' || true)
    # shellcheck disable=SC2086
    app0=$(app_ticks); db0=$(ticks $backends)
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "$url")
    # shellcheck disable=SC2086
    app1=$(app_ticks); db1=$(ticks $backends)
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    "$BENCH_PY" -c "
app, db, n, hz = ($app1 - $app0), ($db1 - $db0), $requests, $TICKS
ms = lambda t: t * 1000 / hz / n
print(f'{\"$page\":8} {n:9d} {float(\"$rps\"):7.0f} {ms(app + db):14.2f} {ms(app):12.2f} {ms(db):12.2f}')"
done
