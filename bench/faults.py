"""Load that records every answer, for bench/faults.sh: which requests failed, and when.

    python bench/faults.py --base http://127.0.0.1:18391 --paths / /news/ … --seconds 30 \
        --events EVENTS_FILE --expect postgres

A few threads request the given paths in turn for a fixed time, each request on a new
connection, and record when it started and ended and its outcome (the status code, or the exception when no answer
came). Meanwhile bench/faults.sh stops and starts a server, appending ``<epoch> <event>``
lines to the events file. At the end the timeline is printed second by second beside those
events, and judged:

- ``--expect postgres``: no error before the database stops; errors only between the stop and
  a short grace after it is back (``--grace``); successes again after it without anyone
  restarting the application.
- ``--expect redis``: no 5xx and no failed request at all, Redis up or down.

Exit status 0 when the expectation holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict


def hammer(base: str, paths: list[str], until: float, offset: int, log: list, lock) -> None:
    i = offset
    while time.time() < until:
        path = paths[i % len(paths)]
        i += 1
        started = time.time()
        try:
            with urllib.request.urlopen(base + path, timeout=10) as response:  # noqa: S310
                response.read()
                outcome = str(response.status)
        except urllib.error.HTTPError as error:
            outcome = str(error.code)
        except Exception as error:  # every way a request can fail is a result here
            outcome = type(error).__name__
        with lock:
            log.append((started, time.time(), outcome))


def read_events(path: str) -> list[tuple[float, str]]:
    events = []
    with open(path) as handle:
        for line in handle:
            stamp, _, label = line.strip().partition(" ")
            if stamp:
                events.append((float(stamp), label))
    return events


def failed(outcome: str) -> bool:
    return not outcome.isdigit() or int(outcome) >= 500


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--paths", nargs="+", required=True)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--events", required=True)
    parser.add_argument("--expect", choices=["postgres", "redis"], required=True)
    parser.add_argument("--grace", type=float, default=2.0,
                        help="Seconds after the server is back within which errors may still come.")
    args = parser.parse_args(argv)

    log: list[tuple[float, str]] = []
    lock = threading.Lock()
    t0 = time.time()
    until = t0 + args.seconds
    threads = [
        threading.Thread(target=hammer, args=(args.base, args.paths, until, n, log, lock))
        for n in range(args.threads)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    events = read_events(args.events)
    by_second: dict[int, Counter] = defaultdict(Counter)
    for started, _, outcome in log:
        by_second[int(started - t0)][outcome] += 1
    marks = defaultdict(list)
    for stamp, label in events:
        marks[int(stamp - t0)].append(label)
    print(f"{'s':>3}  {'answers':<48} events")
    for second in range(int(args.seconds) + 1):
        counts = by_second.get(second, Counter())
        text = " ".join(f"{k}:{v}" for k, v in sorted(counts.items()))
        print(f"{second:>3}  {text:<48} {', '.join(marks.get(second, []))}")

    total = Counter(outcome for _, _, outcome in log)
    print(f"\n{len(log)} requests: " + ", ".join(f"{k}:{v}" for k, v in sorted(total.items())))
    problems = []
    if args.expect == "redis":
        bad = sum(v for k, v in total.items() if failed(k))
        if bad:
            problems.append(f"{bad} failed requests with Redis stopped (expected none)")
    else:
        stamps = dict((label, stamp) for stamp, label in events)
        down, up = stamps.get("postgres-stopping"), stamps.get("postgres-up")
        if down is None or up is None:
            problems.append("the events file lacks postgres-stopping / postgres-up")
        else:
            # A request in flight when the database stops fails with it: judge a failure by
            # when it ended (before the stop?) and when it started (after the recovery?).
            before = [o for s, e, o in log if e < down and failed(o)]
            after = [o for s, e, o in log if s > up + args.grace and failed(o)]
            during = [o for s, e, o in log if e >= down and s <= up + args.grace and failed(o)]
            recovered = [s for s, e, o in log if s > up and not failed(o)]
            print(f"errors before the stop: {len(before)}; while down (+{args.grace:.0f} s): "
                  f"{len(during)}; after: {len(after)}")
            if recovered:
                print(f"first success {min(recovered) - up:.2f} s after PostgreSQL was back")
            if before or after:
                problems.append("errors outside the outage")
            if not recovered:
                problems.append("never recovered after PostgreSQL came back")
    for problem in problems:
        print("FAILED:", problem)
    if not problems:
        print("as expected")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
