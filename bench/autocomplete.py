"""Latency and SQL of every admin autocomplete (and the changelists' searches) on one database.

    DATABASE_URL=postgres://…/newsroom_large python bench/autocomplete.py [--runs 7]

Requests go through Django's test client in-process as a superuser, with the settings of
``bench/pages.py`` (``DEBUG`` off, page cache off). Each autocomplete is asked for its first
and second page with the term an editor would type (the first letters of a real entry; see
``pages.autocomplete_term``), and each changelist is searched with the same term. Prints
p50/min milliseconds, the number of queries and whether any query was a ``COUNT(``.
The database is only read, apart from the benchmark's own superuser (``bench-editor``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pages  # noqa: E402  (bench/pages.py: settings and the admin's autocomplete URLs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    pages.setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = pages.staff_client()

    urls: dict[str, str] = {}
    for name, url in pages.admin_targets().items():
        if "autocomplete" in name:
            urls[name] = url
            urls[name + " page 2"] = url + "&page=2"
    term = "hiro"
    for name in ("person", "article", "show"):
        app = "articles" if name == "article" else "catalog"
        urls[f"admin {name} list search {term}"] = f"/admin/{app}/{name}/?q={term}"

    print(f"{'target':70} {'p50 ms':>8} {'min ms':>8} {'queries':>7} COUNT")
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        queries = [q["sql"] for q in captured.captured_queries]
        if response.status_code != 200:
            print(f"{name:70} HTTP {response.status_code}")
            continue
        counts = any("COUNT(" in sql.upper() for sql in queries)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"{name:70} {statistics.median(times):8.1f} {min(times):8.1f} "
            f"{len(queries):7d} {'yes' if counts else 'no'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
