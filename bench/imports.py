"""Benchmark: import_imdb on generated IMDb-format files, beside the database's own bulk load.

For each database (SQLite, and PostgreSQL 15 when its binaries are installed) it
  1. migrates a fresh database,
  2. measures the ceiling: the same files read and split the same way, then loaded into an
     empty table per file with nothing else (executemany on SQLite, COPY on PostgreSQL),
  3. runs ``manage.py import_imdb`` on the files (first run: everything is new),
  4. runs it again (nothing changed),
and reports rows per second and the peak memory (maximum resident set) of each run, each
measured in a process of its own. Rows per second are always the rows of the files divided by
the time taken. A second ceiling loads the very rows the import wrote (shows, people, credits,
genre tags) into empty copies of the catalog tables, indexes and constraints included: what the
database needs to store them, before any reading, checking or matching.

    python bench/imports.py [--scale 1.0] [--only sqlite|postgres] [--data DIR] [--keep]

Scale 1.0 is 300k titles, 1M names, 3M principals (+300k crew rows); files are generated once
into var/bench/imdb-<scale>/ and reused. PostgreSQL runs as a throwaway server on loopback
port ``--pg-port`` (default 54332; initdb in a temporary folder, started as the ``postgres``
user when run as root), stopped at the end.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from imdb_data import generate  # noqa: E402

FILES = ("title.basics", "name.basics", "title.principals", "title.crew")

CEILING = textwrap.dedent(
    """
    import gzip, sys, time
    from pathlib import Path

    backend, url, data = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    files = [p for name in {files!r} for p in [data / (name + ".tsv.gz"), data / (name + ".tsv")] if p.exists()]

    def rows(path):
        stream = gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")
        with stream:
            next(stream)
            for line in stream:
                yield line.decode("utf-8").rstrip("\\r\\n").split("\\t")

    total, started = 0, time.monotonic()
    if backend == "sqlite":
        import sqlite3
        db = sqlite3.connect(url)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        for number, path in enumerate(files):
            width = len(next(rows(path)))
            db.execute(f"CREATE TABLE ceiling_{{number}} ({{', '.join(f'c{{i}} TEXT' for i in range(width))}})")
            sql = f"INSERT INTO ceiling_{{number}} VALUES ({{', '.join('?' * width)}})"
            batch = []
            with db:
                for row in rows(path):
                    batch.append(row)
                    if len(batch) >= 5000:
                        db.executemany(sql, batch)
                        total += len(batch)
                        batch = []
                db.executemany(sql, batch)
                total += len(batch)
    else:
        import psycopg
        with psycopg.connect(url) as db, db.cursor() as cursor:
            for number, path in enumerate(files):
                width = len(next(rows(path)))
                cursor.execute(f"CREATE TABLE ceiling_{{number}} ({{', '.join(f'c{{i}} text' for i in range(width))}})")
                with cursor.copy(f"COPY ceiling_{{number}} FROM STDIN") as copy:
                    for row in rows(path):
                        copy.write_row([None if v == "\\\\N" else v for v in row])
                        total += 1
            db.commit()
    print(total, time.monotonic() - started)
    """
).format(files=FILES)


SAME_SCHEMA = textwrap.dedent(
    """
    import sys, time

    backend, source, target = sys.argv[1], sys.argv[2], sys.argv[3]
    tables = ["catalog_show", "catalog_taggedshow", "catalog_person", "catalog_credit"]
    total, seconds, cpu = 0, 0.0, 0.0

    def timed(load, rows):
        global total, seconds, cpu
        started, cpu_started = time.perf_counter(), time.process_time()
        load(rows)
        seconds += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
        total += len(rows)

    if backend == "sqlite":
        import sqlite3
        src, db = sqlite3.connect(source), sqlite3.connect(target)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA cache_size=-131072")
        for table in tables:
            for (sql,) in src.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL "
                "ORDER BY type = 'index'", [table]
            ):
                db.execute(sql)
        db.commit()
        db.execute("PRAGMA foreign_keys = OFF")
        for table in tables:
            columns = [row[1] for row in src.execute(f'PRAGMA table_info("{table}")') if row[1] != "id"]
            names = ", ".join(f'"{c}"' for c in columns)
            insert = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
            cursor = src.execute(f'SELECT {names} FROM "{table}" ORDER BY id')
            with db:
                while rows := cursor.fetchmany(5000):
                    timed(lambda r: db.executemany(insert, r), rows)
    else:
        import psycopg
        # LIKE needs the tables in the same database: the copies go beside them.
        with psycopg.connect(source) as src, psycopg.connect(source) as db:
            for table in tables:
                db.execute(f'CREATE TABLE "ceiling_{table}" (LIKE "{table}" INCLUDING ALL)')
                columns = [
                    row[0] for row in src.execute(
                        "SELECT column_name FROM information_schema.columns "
                        "WHERE table_name = %s AND column_name <> 'id' ORDER BY ordinal_position",
                        [table],
                    )
                ]
                names = ", ".join(f'"{c}"' for c in columns)
                as_text = ", ".join(f'"{c}"::text' for c in columns)  # COPY's own text format
                with src.cursor(name="rows") as cursor:
                    cursor.execute(f'SELECT {as_text} FROM "{table}" ORDER BY id')
                    while rows := cursor.fetchmany(20000):
                        def load(rows):
                            with db.cursor().copy(f'COPY "ceiling_{table}" ({names}) FROM STDIN') as copy:
                                for row in rows:
                                    copy.write_row(row)
                        timed(load, rows)
                started = time.perf_counter()
                db.commit()
                seconds += time.perf_counter() - started
    print(total, seconds, cpu)
    """
)


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Run ``command``; return wall seconds, CPU seconds (user + system, of that process
    only: a PostgreSQL server's work is not in it), peak resident memory in MB, and output."""
    started = time.monotonic()
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{output}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, output


def count_rows(data: Path) -> int:
    total = 0
    for name in FILES:
        for path in (data / f"{name}.tsv.gz", data / f"{name}.tsv"):
            if path.exists():
                opener = gzip.open if path.suffix == ".gz" else open
                with opener(path, "rb") as stream:
                    total += sum(1 for _ in stream) - 1
    return total


class Postgres:
    """A throwaway PostgreSQL server on loopback, as CI starts it."""

    def __init__(self, port: int) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not bins:
            raise FileNotFoundError("PostgreSQL binaries not found under /usr/lib/postgresql")
        self.bin, self.port = bins[-1].parent, port
        self.tmp = Path(tempfile.mkdtemp(prefix="pgbench."))
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.tmp, "postgres", "postgres")
        self.tmp.chmod(0o700)

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        subprocess.run([*prefix, *args], check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        data = str(self.tmp / "data")
        self._run(str(self.bin / "initdb"), "-D", data, "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        self._run(
            str(self.bin / "pg_ctl"), "-D", data, "-l", str(self.tmp / "server.log"), "-w",
            "-t", "30", "-o",
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.tmp} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB "
            "-c max_wal_size=4GB",
            "start",
        )  # fmt: skip

    def cpu_seconds(self) -> float:
        """CPU used so far by the server: the postmaster, its live processes, and the
        backends that have exited (reaped by the postmaster, so counted in its children's
        time). Read from /proc; the difference around a run is the server's share of it."""
        pid = int((self.tmp / "data" / "postmaster.pid").read_text().split()[0])
        ticks = os.sysconf("SC_CLK_TCK")

        def fields(process: int | str) -> list[str]:
            return Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()

        own = fields(pid)
        total = sum(int(v) for v in own[11:15])
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    child = fields(entry.name)
                except (FileNotFoundError, ProcessLookupError):
                    continue
                if int(child[1]) == pid:
                    total += int(child[11]) + int(child[12])
        return total / ticks

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create(self, database: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{database}"')
            db.execute(f'CREATE DATABASE "{database}"')

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.tmp / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.tmp, ignore_errors=True)


def bench_backend(backend: str, data: Path, rows: int, work: Path, pg: Postgres | None) -> dict:
    python = sys.executable
    env = dict(os.environ, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="bench-" + "x" * 50)
    if backend == "sqlite":
        app_url = f"sqlite:///{work / 'bench.sqlite3'}"
        source = str(work / "bench.sqlite3")
        ceiling_target, same_schema_target = str(work / "ceiling.sqlite3"), str(work / "same.sqlite3")
    else:
        pg.create("bench")
        pg.create("ceiling")
        app_url = source = pg.url("bench")
        ceiling_target, same_schema_target = pg.url("ceiling"), pg.url("bench")
    env["DATABASE_URL"] = app_url
    subprocess.run([python, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    result: dict = {"backend": backend, "rows": rows}

    def measured(command: list[str]) -> tuple[float, float, float, int, str]:
        """Wall seconds, client CPU, server CPU (PostgreSQL), peak client memory, output."""
        server = pg.cpu_seconds() if pg else 0.0
        seconds, cpu, memory, output = run_measured(command, env)
        server = (pg.cpu_seconds() - server) if pg else 0.0
        return seconds, cpu, server, memory, output

    seconds, cpu, server, memory, output = measured(
        [python, "-c", CEILING, backend, ceiling_target, str(data)]
    )
    _rows, ceiling_seconds = output.split()
    result["ceiling"] = (float(ceiling_seconds), cpu, server, memory)

    command = [python, "manage.py", "import_imdb", str(data), "--no-progress"]
    for run in ("first", "again"):
        seconds, cpu, server, memory, output = measured(command)
        result[run] = (seconds, cpu, server, memory)
        result[f"{run}_output"] = output

    _s, _c, server, memory, output = measured(
        [python, "-c", SAME_SCHEMA, backend, source, same_schema_target]
    )
    written, seconds, cpu = output.split()
    result["written"] = int(written)
    result["same_schema"] = (float(seconds), float(cpu), server, memory)
    return result


def report(r: dict, rows: int) -> None:
    """Print one database's figures as a Markdown table, then the import's own summaries."""
    print(f"\n{rows:,} rows in the files; the import wrote {r['written']:,} rows")
    print("| database | run | seconds | rows/s | CPU s: client + server | peak memory | vs ceiling |")
    print("|---|---|---:|---:|---:|---:|---:|")
    ceiling = r["ceiling"][0]
    lines = [
        ("ceiling: the file rows into an empty bare table", r["ceiling"]),
        ("ceiling: the rows the import wrote, into empty tables of the same schema",
         r["same_schema"]),
        ("import_imdb, first run", r["first"]),
        ("import_imdb, re-run (nothing changed)", r["again"]),
    ]  # fmt: skip
    for label, (seconds, cpu, server, memory) in lines:
        print(
            f"| {r['backend']} | {label} | {seconds:,.1f} | {rows / seconds:,.0f} | "
            f"{cpu:,.1f} + {server:,.1f} | {memory} MB | {ceiling / seconds:.0%} |"
        )
    first_cpu, again_cpu = sum(r["first"][1:3]), sum(r["again"][1:3])
    print(
        f"| {r['backend']} | re-run speed-up | {r['first'][0] / r['again'][0]:.1f}x | | "
        f"{first_cpu / again_cpu:.1f}x | | |"
    )
    print(f"\n{r['backend']}, first run:\n{r['first_output']}")
    print(f"{r['backend']}, re-run:\n{r['again_output']}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--data", type=Path, help="existing IMDb-format files to use")
    parser.add_argument(
        "--pg-port", type=int, default=54332, help="loopback port for the throwaway PostgreSQL"
    )
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    args = parser.parse_args()

    data = args.data or ROOT / "var" / "bench" / f"imdb-{args.scale:g}"
    if not (data / "title.basics.tsv.gz").exists() and not (data / "title.basics.tsv").exists():
        print(f"Generating IMDb-format files at scale {args.scale:g} into {data} …", flush=True)
        generate(data, scale=args.scale)
    rows = count_rows(data)
    print(f"{rows:,} rows in {data}", flush=True)

    backends = [args.only] if args.only else ["sqlite", "postgres"]
    results, pg = [], None
    work = Path(tempfile.mkdtemp(prefix="importbench."))
    try:
        for backend in backends:
            if backend == "postgres":
                try:
                    pg = Postgres(args.pg_port)
                    pg.start()
                except (FileNotFoundError, subprocess.CalledProcessError) as error:
                    print(f"PostgreSQL: skipped ({error})")
                    if pg:
                        shutil.rmtree(pg.tmp, ignore_errors=True)
                    pg = None
                    continue
            print(f"{backend}: running …", flush=True)
            results.append(bench_backend(backend, data, rows, work, pg))
            report(results[-1], rows)
    finally:
        if pg:
            pg.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
