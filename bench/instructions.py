"""Instructions per request of a few pages, Python side, counted by valgrind's callgrind: the
figure to compare two versions of the code on a machine whose speed drifts from one minute
to the next (timings there move more than a 5% change; instruction counts do not).

    DATABASE_URL=postgres://…/newsroom_large python bench/instructions.py show person
    python bench/instructions.py story --requests 50

Each page is counted twice in a fresh process under callgrind: once after start-up and five
warm-up requests alone, once with ``--requests`` more; the difference divided by
``--requests`` is what one request costs this process (the database server's own work is
not in it: see ``bench/cpu_in_process.py``). Requests go through Django's test client with
``bench/pages.py``'s settings (``DEBUG`` off, the full-page cache off). Needs ``valgrind``
(``apt-get install valgrind``); about a minute per count.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WARM_UP = 5
_COLLECTED = re.compile(r"Collected : (\d+)")


def run_requests(page: str, count: int) -> None:
    """The process callgrind counts: start-up, warm-up, then ``count`` requests."""
    from bench.pages import pick_targets, setup_django

    setup_django()
    from django.test import Client

    client = Client()
    url = pick_targets().get(page, page)
    for index in range(WARM_UP + count):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: status {response.status_code}")
        if index == WARM_UP - 1:
            # What start-up and warm-up made is left out of the collector's full passes (in
            # both runs): one pass over it in one run and not in the other would be most of
            # a difference.
            gc.collect()
            gc.freeze()


def counted(page: str, count: int) -> int:
    """Instructions callgrind counted for a process running ``count`` requests of ``page``."""
    with tempfile.TemporaryDirectory() as work:
        result = subprocess.run(
            [
                "valgrind", "--tool=callgrind", f"--callgrind-out-file={work}/callgrind.out",
                sys.executable, __file__, "--inner", page, str(count),
            ],
            capture_output=True, text=True, check=False,
            env={**os.environ, "PYTHONHASHSEED": "0"},  # the same dict layouts in every run
        )
    found = _COLLECTED.search(result.stderr)
    if result.returncode != 0 or not found:
        raise SystemExit(f"callgrind run of {page} failed:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", default=["story", "show", "person"])
    parser.add_argument("--requests", type=int, default=30, help="Counted requests per page.")
    parser.add_argument("--inner", nargs=2, metavar=("PAGE", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        run_requests(args.inner[0], int(args.inner[1]))
        return
    print(f"{'page':8} {'million instructions per request':>33}")
    for page in args.pages:
        per_request = (counted(page, args.requests) - counted(page, 0)) / args.requests
        print(f"{page:8} {per_request / 1e6:33.2f}", flush=True)


if __name__ == "__main__":
    main()
