# Shared by bench/load.sh, bench/faults.sh and bench/cpu_per_request.sh (sourced, not run):
# start and stop the PostgreSQL and Redis servers the benchmarks use, on loopback, on their
# own ports, and the gunicorn app server they measure.
#
#   BENCH_PG_PORT     PostgreSQL port (default 54331)
#   BENCH_REDIS_PORT  Redis port (default 6391)
#   BENCH_PGDATA      the cluster's folder, kept between runs so the large dataset is built
#                     once (default: ${TMPDIR:-/tmp}/newsroom-bench-pg-$BENCH_PG_PORT)
#   BENCH_PG_SHARED_BUFFERS  PostgreSQL's own cache (default: a quarter of the memory, the
#                     usual production setting; the large dataset is about 2.2 GB, so on a
#                     machine with 16 GB or more it stays in PostgreSQL's cache and timings
#                     do not depend on what the operating system keeps in its page cache)
#
# The cluster runs with fsync off: it holds generated data only, and the benchmarks measure
# reads. Servers are stopped by the caller's `trap bench_stop_all EXIT`.

BENCH_PG_PORT=${BENCH_PG_PORT:-54331}
BENCH_REDIS_PORT=${BENCH_REDIS_PORT:-6391}
BENCH_PGDATA=${BENCH_PGDATA:-${TMPDIR:-/tmp}/newsroom-bench-pg-$BENCH_PG_PORT}
BENCH_PY=${BENCH_PY:-.venv/bin/python}
BENCH_PG_SHARED_BUFFERS=${BENCH_PG_SHARED_BUFFERS:-$(awk '/^MemTotal:/ {printf "%dMB", $2 / 4096}' /proc/meminfo)}
REDIS_PID=""
PG_STARTED=""

bench_pgbin() {
    if [ -n "${PGBIN:-}" ] && [ -x "$PGBIN/initdb" ]; then echo "$PGBIN"; return; fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$found" ]; then
        echo "PostgreSQL server binaries not found (apt-get install postgresql, or set PGBIN)" >&2
        return 1
    fi
    echo "$found"
}

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_url() {  # pg_url DBNAME
    echo "postgres://postgres@127.0.0.1:$BENCH_PG_PORT/$1"
}

pg_start() {
    local bin
    bin=$(bench_pgbin) || return 1
    if [ ! -f "$BENCH_PGDATA/PG_VERSION" ]; then
        mkdir -p "$BENCH_PGDATA"
        if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$BENCH_PGDATA"; fi
        chmod 700 "$BENCH_PGDATA"
        as_pg "$bin/initdb" -D "$BENCH_PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
            --no-sync >/dev/null
    fi
    if as_pg "$bin/pg_ctl" -D "$BENCH_PGDATA" status >/dev/null 2>&1; then
        echo "PostgreSQL already running in $BENCH_PGDATA: using it (and leaving it running)" >&2
        return 0
    fi
    PG_STARTED=1
    pg_ctl_start "$bin"
}

pg_ctl_start() {  # pg_ctl_start PGBIN: start the cluster with the benchmark's settings
    as_pg "$1/pg_ctl" -D "$BENCH_PGDATA" -l "$BENCH_PGDATA/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $BENCH_PG_PORT -k $BENCH_PGDATA -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=$BENCH_PG_SHARED_BUFFERS \
            -c max_connections=200 -c work_mem=16MB -c maintenance_work_mem=512MB \
            -c max_wal_size=4GB -c random_page_cost=1.1 -c effective_cache_size=8GB" start >/dev/null
}

pg_stop() {  # pg_stop [MODE]: only a server this script started
    [ -n "$PG_STARTED" ] || return 0
    local bin
    bin=$(bench_pgbin) || return 0
    if [ -f "$BENCH_PGDATA/postmaster.pid" ]; then
        as_pg "$bin/pg_ctl" -D "$BENCH_PGDATA" -m "${1:-fast}" -w stop >/dev/null 2>&1 || true
    fi
}

pg_createdb() {  # pg_createdb NAME: create it unless it exists; 0 when created
    local bin
    bin=$(bench_pgbin) || return 1
    if "$bin/psql" -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; then
        return 1
    fi
    "$bin/createdb" -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres "$1"
}

redis_start() {
    if ! command -v redis-server >/dev/null 2>&1; then
        echo "redis-server not found (apt-get install redis-server)" >&2
        return 1
    fi
    redis-server --bind 127.0.0.1 --port "$BENCH_REDIS_PORT" --save '' --appendonly no \
        --maxmemory 512mb --maxmemory-policy allkeys-lru >/dev/null &
    REDIS_PID=$!
    for _ in $(seq 50); do
        if redis-cli -p "$BENCH_REDIS_PORT" ping >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    echo "redis-server did not start on port $BENCH_REDIS_PORT" >&2
    return 1
}

redis_stop() {
    if [ -n "$REDIS_PID" ]; then
        kill "$REDIS_PID" 2>/dev/null || true
        wait "$REDIS_PID" 2>/dev/null || true
        REDIS_PID=""
    fi
}

# bench_dataset NAME SCALE: a database holding the migrated schema and the generated dataset
# at SCALE (built once; kept in the cluster for the next run).
bench_dataset() {
    local name=$1 scale=$2
    if pg_createdb "$name"; then
        echo "building dataset $name (--scale $scale) ..." >&2
        DATABASE_URL=$(pg_url "$name") "$BENCH_PY" bench/dataset.py --scale "$scale" >&2
        "$(bench_pgbin)/psql" -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -d "$name" \
            -qc "VACUUM ANALYZE" >&2
    fi
    pg_prewarm_db "$name"
}

# pg_prewarm_db NAME: read every table and index of the database into shared_buffers, so that
# figures are those of a warmed-up server, not of a disk the virtual machine's page cache
# happened to have given back (a cold read of the large dataset makes pages 2-3x slower).
pg_prewarm_db() {
    "$(bench_pgbin)/psql" -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -d "$1" -qAt -c \
        "CREATE EXTENSION IF NOT EXISTS pg_prewarm" -c \
        "SELECT pg_size_pretty(sum(pg_prewarm(c.oid)) * current_setting('block_size')::bigint)
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'i', 'm', 't') AND n.nspname NOT IN ('pg_catalog', 'information_schema')" \
        | sed "s/^/prewarmed $1: /" >&2
}

# bench_app_env NAME WORKDIR: the environment the app server runs with (production settings
# on loopback against database NAME, static files collected under WORKDIR), migrated.
bench_app_env() {
    export DATABASE_URL; DATABASE_URL=$(pg_url "$1")
    export DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 NEWSROOM_BENCH_CEILING=1
    export DJANGO_SECRET_KEY="bench-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
    export STATIC_ROOT=$2/static
    "$BENCH_PY" manage.py migrate --noinput -v 0
    "$BENCH_PY" manage.py collectstatic --noinput -v 0
}

# start_app CACHE(0|1) PORT LOG: gunicorn (gunicorn.conf.py) on 127.0.0.1:PORT with the
# full-page cache off or on, its pid in APP_PID, once it answers.
APP_PID=""
start_app() {
    NEWSROOM_PAGE_CACHE=$1 GUNICORN_BIND=127.0.0.1:$2 "$(dirname "$BENCH_PY")/gunicorn" \
        newsroom.wsgi -c gunicorn.conf.py >"$3" 2>&1 &
    APP_PID=$!
    for _ in $(seq 100); do
        if curl -fs -o /dev/null "http://127.0.0.1:$2/_bench/ceiling/"; then return 0; fi
        sleep 0.2
    done
    echo "gunicorn did not start:" >&2; cat "$3" >&2; return 1
}

# The app server a script started, stopped and forgotten.
stop_app() {
    if [ -n "$APP_PID" ]; then
        kill "$APP_PID" 2>/dev/null || true
        wait "$APP_PID" 2>/dev/null || true
        APP_PID=""
    fi
}

bench_stop_all() {
    redis_stop
    pg_stop
}
