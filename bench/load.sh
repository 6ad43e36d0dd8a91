#!/usr/bin/env bash
# Load test: gunicorn (gunicorn.conf.py) on loopback, with PostgreSQL and Redis started here,
# and wrk for a fixed time per page, first with the full-page cache off, then on; each run
# also measures /_bench/ceiling/ (a constant tiny view through the whole middleware stack),
# the most any Django page can do on this machine, and finishes with a soak: every page in
# turn for SOAK seconds at CONNECTIONS connections.
#
#   bench/load.sh [large|small]      default large (100k stories, 1M people, 3M credits)
#
# Environment: DURATION (seconds per page, default 10), CONNECTIONS (default 64), THREADS
# (wrk threads, default 2), SOAK (default 60; 0 to skip), APP_PORT (default 18391), and
# BENCH_PG_PORT / BENCH_REDIS_PORT / BENCH_PGDATA (bench/services.sh). Datasets are built on
# first use (bench/dataset.py) and kept in BENCH_PGDATA.
#
# Prints a table per mode (req/s, p50, p99, errors, largest worker's memory, fraction of the
# ceiling) and writes everything to var/bench/load-<dataset>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

DATASET=${1:-large}
case "$DATASET" in
    large) SCALE=1 ;;
    small) SCALE=0.02 ;;
    *) echo "usage: bench/load.sh [large|small]" >&2; exit 2 ;;
esac
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
SOAK=${SOAK:-60}
APP_PORT=${APP_PORT:-18391}
if [ -z "${BENCH_PY:-}" ]; then
    BENCH_PY=.venv/bin/python
    [ -x "$BENCH_PY" ] || BENCH_PY=$(command -v python3)
fi
for tool in wrk curl; do
    command -v "$tool" >/dev/null || { echo "$tool not found (apt-get install $tool)" >&2; exit 1; }
done
[ -x "$(dirname "$BENCH_PY")/gunicorn" ] || { echo "gunicorn not found next to $BENCH_PY" >&2; exit 1; }

# shellcheck source=bench/services.sh
source bench/services.sh

OUT=$ROOT/var/bench
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/newsroom-load.XXXXXX)
cleanup() { stop_app; bench_stop_all; rm -rf "$WORK"; }
trap cleanup EXIT

pg_start
redis_start
bench_dataset "newsroom_$DATASET" "$SCALE"

export REDIS_URL="redis://127.0.0.1:$BENCH_REDIS_PORT/0"
bench_app_env "newsroom_$DATASET" "$WORK"

# name<TAB>path for every public page this version of the site has.
"$BENCH_PY" bench/pages.py --urls | "$BENCH_PY" -c '
import json, sys
for name, path in json.load(sys.stdin).items():
    print(f"{name}\t{path}")' > "$WORK/pages.tsv"
printf 'ceiling\t/_bench/ceiling/\n' >> "$WORK/pages.tsv"


worker_mb() {  # the largest worker's resident memory, in MB
    local pids
    pids=$(pgrep -P "$APP_PID" | tr '\n' ',' | sed 's/,$//')
    [ -n "$pids" ] || { echo 0; return; }
    ps -o rss= -p "$pids" | sort -n | tail -n 1 | awk '{printf "%.0f", $1 / 1024}'
}

# Every request says it accepts gzip, as browsers, crawlers and CDNs do: the page cache
# sends its stored pages compressed (rendered pages are sent as they are, in both modes).
run_wrk() {  # run_wrk SECONDS PATH [WRK_PATHS]
    WRK_PATHS=${3:-} wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1s" --timeout 10s \
        -H "Accept-Encoding: gzip" \
        -s bench/wrk-report.lua "http://127.0.0.1:$APP_PORT$2" | tail -n 1
}

RESULTS=$WORK/results.jsonl
: > "$RESULTS"
WORKERS=$("$BENCH_PY" -c 'import multiprocessing, os; print(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))')
for cache in 0 1; do
    mode=$([ "$cache" = 1 ] && echo cached || echo uncached)
    start_app "$cache" "$APP_PORT" "$WORK/gunicorn-$cache.log"
    while IFS=$'\t' read -r name path; do
        status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$APP_PORT$path")
        if [ "$status" != 200 ]; then
            echo "skip $name ($path): HTTP $status" >&2
            continue
        fi
        curl -s -o /dev/null "http://127.0.0.1:$APP_PORT$path"  # warm (and fill the cache)
        echo "[$mode] $name: $DURATION s at $CONNECTIONS connections" >&2
        line=$(run_wrk "$DURATION" "$path")
        echo "{\"mode\": \"$mode\", \"page\": \"$name\", \"path\": \"$path\", \"worker_mb\": $(worker_mb), \"wrk\": $line}" >> "$RESULTS"
    done < "$WORK/pages.tsv"
    if [ "$cache" = 0 ] && [ "$SOAK" -gt 0 ]; then
        paths=$(grep -v '^ceiling' "$WORK/pages.tsv" | cut -f2 | tr '\n' ' ')
        echo "[$mode] soak: every page in turn, $SOAK s at $CONNECTIONS connections" >&2
        line=$(run_wrk "$SOAK" / "$paths")
        echo "{\"mode\": \"soak ($mode)\", \"page\": \"all pages in turn\", \"path\": \"\", \"worker_mb\": $(worker_mb), \"wrk\": $line}" >> "$RESULTS"
    fi
    stop_app
done

"$BENCH_PY" - "$RESULTS" "$OUT/load-$DATASET.json" "$DATASET" "$DURATION" "$CONNECTIONS" "$WORKERS" <<'PY'
import json, os, sys

results_path, out_path, dataset, duration, connections, workers = sys.argv[1:]
rows = [json.loads(line) for line in open(results_path)]
ceilings = {}
for row in rows:
    w = row["wrk"]
    row["rps"] = w["requests"] / (w["duration_us"] / 1e6)
    row["errors"] = w["connect"] + w["read"] + w["write"] + w["status"] + w["timeout"]
    if row["page"] == "ceiling":
        ceilings[row["mode"]] = row["rps"]
print(f"\n{dataset} dataset; {duration} s per page at {connections} connections; "
      f"{workers} gunicorn workers on {os.cpu_count()} cores\n")
print("| mode | page | req/s | p50 ms | p99 ms | errors | worker MB | of ceiling |")
print("|---|---|--:|--:|--:|--:|--:|--:|")
for row in rows:
    w = row["wrk"]
    ceiling = ceilings.get(row["mode"]) or ceilings.get("uncached")
    share = f"{row['rps'] / ceiling:.0%}" if ceiling else "-"
    print(f"| {row['mode']} | {row['page']} | {row['rps']:.0f} | {w['p50_us'] / 1000:.1f} | "
          f"{w['p99_us'] / 1000:.1f} | {row['errors']} | {row['worker_mb']} | {share} |")
json.dump({"dataset": dataset, "duration": int(duration), "connections": int(connections),
           "workers": int(workers), "rows": rows}, open(out_path, "w"), indent=1)
print(f"\nwritten to {out_path}")
PY
