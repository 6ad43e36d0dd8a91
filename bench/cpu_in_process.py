"""In-process p50 and CPU per request of a few pages, split between this Python process and
its PostgreSQL backend: the figures to compare two versions of the code on a machine whose
speed drifts (run it from each checkout in turn, several times, on the same database).

    DATABASE_URL=postgres://…/newsroom_large python bench/cpu_in_process.py
    python bench/cpu_in_process.py story show --requests 500

Pages are named as ``bench/pages.py`` names them (the marquee story, show and person by
default). Requests go through Django's test client with ``bench/pages.py``'s settings
(``DEBUG`` off, the full-page cache off). The backend's CPU time is read from
``/proc/<pid>/stat``, so that column needs PostgreSQL on this machine (it reads 0 on SQLite).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TICKS = os.sysconf("SC_CLK_TCK")


def backend_seconds(pid: int | None) -> float:
    """User + system CPU seconds of a local process so far; 0 when there is none."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", default=["story", "show", "person"])
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per page.")
    args = parser.parse_args(argv)

    from bench.pages import pick_targets, setup_django

    setup_django()
    from django.db import connection
    from django.test import Client

    client = Client()
    targets = pick_targets()
    print(f"{'page':8} {'p50 ms':>7} {'Python ms':>10} {'database ms':>12}")
    for page in args.pages:
        url = targets.get(page, page)
        for _ in range(20):  # warm: prepared statements, caches of compiled queries
            client.get(url)
        pid = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
        times = []
        cpu, db = time.process_time(), backend_seconds(pid)
        for _ in range(args.requests):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        cpu, db = time.process_time() - cpu, backend_seconds(pid) - db
        n = args.requests
        print(f"{page:8} {1000 * statistics.median(times):7.2f} {1000 * cpu / n:10.2f} {1000 * db / n:12.2f}")


if __name__ == "__main__":
    main()
