"""Benchmark: import_imdb on generated IMDb-format files, beside the database's own bulk load.

For each database (SQLite, and PostgreSQL 15 when its binaries are installed) it
  1. migrates a fresh database,
  2. measures the ceiling: the same files read and split the same way, then loaded into an
     empty table per file with nothing else (executemany on SQLite, COPY on PostgreSQL),
  3. runs ``manage.py import_imdb`` on the files (first run: everything is new),
  4. runs it again (nothing changed),
and reports rows per second and the peak memory (maximum resident set) of each run, each
measured in a process of its own.

    python bench/imports.py [--scale 1.0] [--only sqlite|postgres] [--data DIR] [--keep]

Scale 1.0 is 300k titles, 1M names, 3M principals (+300k crew rows); files are generated once
into var/bench/imdb-<scale>/ and reused. PostgreSQL runs as a throwaway server on loopback
(initdb in a temporary folder, started as the ``postgres`` user when run as root), stopped
at the end.
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


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Run ``command``; return wall seconds, peak resident memory in MB, and its output."""
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
    return seconds, usage.ru_maxrss // 1024, output


def count_rows(data: Path) -> int:
    total = 0
    for name in FILES:
        for path in (data / f"{name}.tsv.gz", data / f"{name}.tsv"):
            if path.exists():
                opener = gzip.open if path.suffix == ".gz" else open
                with opener(path, "rb") as stream:
                    total += sum(1 for _ in stream) - 1
    return total


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Postgres:
    """A throwaway PostgreSQL server on loopback, as CI starts it."""

    def __init__(self) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not bins:
            raise FileNotFoundError("PostgreSQL binaries not found under /usr/lib/postgresql")
        self.bin, self.port = bins[-1].parent, free_port()
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
        ceiling_target = str(work / "ceiling.sqlite3")
    else:
        pg.create("bench")
        pg.create("ceiling")
        app_url = pg.url("bench")
        ceiling_target = pg.url("ceiling")
    env["DATABASE_URL"] = app_url
    subprocess.run([python, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)

    seconds, memory, output = run_measured([python, "-c", CEILING, backend, ceiling_target, str(data)], env)
    ceiling_rows, ceiling_seconds = output.split()
    result = {"backend": backend, "rows": rows}
    result["ceiling"] = (int(ceiling_rows) / float(ceiling_seconds), memory, float(ceiling_seconds))

    command = [python, "manage.py", "import_imdb", str(data), "--no-progress"]
    for run in ("first", "again"):
        seconds, memory, output = run_measured(command, env)
        result[run] = (rows / seconds, memory, seconds)
        result[f"{run}_output"] = output
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--data", type=Path, help="existing IMDb-format files to use")
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
                    pg = Postgres()
                    pg.start()
                except (FileNotFoundError, subprocess.CalledProcessError) as error:
                    print(f"PostgreSQL: skipped ({error})")
                    if pg:
                        shutil.rmtree(pg.tmp, ignore_errors=True)
                    pg = None
                    continue
            print(f"{backend}: running …", flush=True)
            results.append(bench_backend(backend, data, rows, work, pg))
    finally:
        if pg:
            pg.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print()
    print("| database | run | rows/s | seconds | peak memory | vs ceiling |")
    print("|---|---|---:|---:|---:|---:|")
    for r in results:
        ceiling_rate = r["ceiling"][0]
        for label, key in (("ceiling (bulk load)", "ceiling"), ("import, first run", "first"), ("import, unchanged re-run", "again")):
            rate, memory, seconds = r[key]
            print(f"| {r['backend']} | {label} | {rate:,.0f} | {seconds:,.1f} | {memory} MB | {rate / ceiling_rate:.0%} |")
        print(f"| {r['backend']} | re-run speed-up | | {r['first'][2] / r['again'][2]:.1f}x | | |")
    for r in results:
        print(f"\n{r['backend']}, first run:\n{r['first_output']}")


if __name__ == "__main__":
    main()
