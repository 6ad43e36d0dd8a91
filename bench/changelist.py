"""Latency and SQL of the admin changelists' searches on one database.

    DATABASE_URL=postgres://…/newsroom_large python bench/changelist.py [--runs 5] [--explain]

Requests go through Django's test client in-process as a superuser, with the settings of
``bench/pages.py`` (``DEBUG`` off, page cache off). Each changelist is searched with a term an
editor would type (a person's first name, a story's or show's word). Prints p50/min
milliseconds, the number of queries, whether any was a ``COUNT(``, and the slowest query's
milliseconds; ``--explain`` prints EXPLAIN ANALYZE of the slowest query. The database is only
read, apart from the benchmark's own superuser (``bench-editor``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pages  # noqa: E402  (bench/pages.py: settings)

TARGETS = {
    "person ?q=hiro": "/admin/catalog/person/?q=hiro",
    "person ?q=smith": "/admin/catalog/person/?q=smith",
    "article ?q=ballard": "/admin/articles/article/?q=ballard",
    "article ?q=hiro": "/admin/articles/article/?q=hiro",
    "show ?q=hiro": "/admin/catalog/show/?q=hiro",
    "company ?q=net": "/admin/catalog/company/?q=net",
    "credit ?q=hiro": "/admin/catalog/credit/?q=hiro",
    "person (no search)": "/admin/catalog/person/",
    "article (no search)": "/admin/articles/article/",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--only", help="run only targets whose name contains this")
    args = parser.parse_args()

    pages.setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = pages.staff_client()

    print(f"{'target':28} {'p50 ms':>8} {'min ms':>8} {'queries':>7} COUNT {'slowest ms':>10}")
    for name, url in TARGETS.items():
        if args.only and args.only not in name:
            continue
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            print(f"{name:28} HTTP {response.status_code}")
            continue
        queries = captured.captured_queries
        counts = any("COUNT(" in q["sql"].upper() for q in queries)
        slowest = max(queries, key=lambda q: float(q["time"]))
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"{name:28} {statistics.median(times):8.1f} {min(times):8.1f} {len(queries):7d} "
            f"{'yes' if counts else 'no ':5} {float(slowest['time']) * 1000:10.1f}"
        )
        if args.explain:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + slowest["sql"])
                print(slowest["sql"])
                print("\n".join(row[0] for row in cursor.fetchall()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
