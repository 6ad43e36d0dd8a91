"""SQL queries and in-process latency of every public page type and the admin's changelists
and autocompletes, at several dataset sizes.

    python bench/pages.py                                  # the database DATABASE_URL names
    python bench/pages.py small=postgres://…/newsroom_small large=postgres://…/newsroom_large
    python bench/pages.py --profile story                  # where a story page's time goes

Each ``label=DATABASE_URL`` runs in its own process (Django settings are per process) and the
results are compared: every page must run the same number of queries at every size, public
pages at most ``PUBLIC_QUERY_BUDGET``, and story, show and person pages must reach their p50
targets. Build the databases with ``bench/dataset.py`` (``--scale 0.02`` is demo-sized but
still holds the marquee show with 300 credits and person with 300 credits and 1,000 stories);
``bench/load.sh`` builds both on its own PostgreSQL.

Requests go through Django's test client in-process, with ``DEBUG`` off, production-like
settings (compressed static manifest, ``collectstatic`` run into a temporary folder) and the
full-page cache off: these are the costs of rendering, not of the network. Queries are
counted on a separate request from the timed ones, so counting adds nothing to the timings.

A URL pattern that this version of the site does not have yet (a page type another part of
the project adds) is skipped with a note, not counted as a failure. Exit status: 0 when every
target holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PUBLIC_QUERY_BUDGET = 10
# p50 targets in milliseconds: (smallest dataset, largest dataset).
P50_TARGET_MS = {"story": (4.0, 8.0), "show": (4.0, 8.0), "person": (4.0, 8.0)}


@dataclass
class Result:
    name: str
    kind: str  # public | admin
    url: str
    status: int | None = None
    queries: int | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    runs: int = 0
    bytes: int = 0
    skipped: str = ""
    notes: list[str] = field(default_factory=list)


# -- inside one dataset's process ------------------------------------------------------------


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    os.environ["NEWSROOM_PAGE_CACHE"] = "0"
    os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="newsroom-bench-static-"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def pick_targets() -> dict[str, str]:
    """The URL of each page type, chosen from the data: the marquee entries when the
    dataset has them, else the busiest ones."""
    from django.db.models import Count
    from taggit.models import Tag

    from articles.models import Article, Author
    from articles.views import ArticleListView
    from catalog.models import Company, Person, Show

    def marquee(model, key, order):
        return model.objects.filter(key=key).first() or (
            model.objects.annotate(n=Count(order)).order_by("-n").first()
        )

    show = marquee(Show, "bench-show-1", "credits")
    person = marquee(Person, "bench-person-1", "credits")
    published = Article.objects.published()
    story = (
        published.filter(main_show=show).order_by("-published_at").first()
        or published.exclude(main_show=None).order_by("-published_at").first()
        or published.order_by("-published_at").first()
    )
    company = show.network if show and show.network_id else Company.objects.first()
    tag = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n").first()
    author = Author.objects.annotate(n=Count("bylines")).order_by("-n").first()
    urls = {"home": "/", "story list": "/news/"}
    if published.count() > 2 * ArticleListView.paginate_by:  # a dataset with a third page
        urls["story list, page 3"] = "/news/?page=3"
    if story:
        urls["story"] = story.get_absolute_url()
    if show:
        urls["show"] = show.get_absolute_url()
        urls["show: full cast & crew"] = show.get_absolute_url() + "credits/"
    if person:
        urls["person"] = person.get_absolute_url()
        urls["person: all credits"] = person.get_absolute_url() + "credits/"
    if company:
        urls["company"] = company.get_absolute_url()
    if tag:
        urls["tag"] = f"/tags/{tag.slug}/"
    if author:
        urls["author"] = author.get_absolute_url()
    urls["scorecard"] = "/renewals/"
    query = show.title.split()[0] if show else "renewed"
    urls["search"] = f"/search/?q={query}"
    urls["feed: latest"] = "/feeds/latest/"
    for name in ("show", "person", "company", "tag", "author"):
        if name in urls:
            urls[f"feed: {name}"] = urls[name] + "feed/"
    urls["sitemap index"] = "/sitemap.xml"
    urls["news sitemap"] = "/news-sitemap.xml"
    return urls


def sitemap_sections(client) -> dict[str, str]:
    """The first and the last page of every section the sitemap index lists (the last is the
    one that skips the most rows)."""
    import re
    from urllib.parse import urlsplit

    if not exists("/sitemap.xml"):
        return {}
    response = client.get("/sitemap.xml")
    if response.status_code != 200:
        return {}
    pages: dict[str, list[str]] = {}
    for loc in re.findall(rb"<loc>([^<]+)</loc>", response.content):
        parts = urlsplit(loc.decode())
        pages.setdefault(parts.path, []).append(parts.path + (f"?{parts.query}" if parts.query else ""))
    found: dict[str, str] = {}
    for section in pages.values():
        for path in dict.fromkeys((section[0], section[-1])):
            found[f"sitemap {path}"] = path
    return found


def admin_targets() -> dict[str, str]:
    """Every changelist, and every autocomplete the admin's forms and inlines use."""
    from django.contrib import admin
    from django.urls import reverse

    urls: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        urls[f"admin {opts.model_name} list"] = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_changelist"
        )
        sources = [(model, model_admin)] + [
            (inline.model, inline) for inline in
            (cls(model, admin.site) for cls in model_admin.inlines)
        ]
        for source, source_admin in sources:
            for name in getattr(source_admin, "autocomplete_fields", ()):
                remote = source._meta.get_field(name).remote_field.model
                if (remote._meta.label, source._meta.label) in seen:
                    continue
                seen.add((remote._meta.label, source._meta.label))
                term = autocomplete_term(remote)
                urls[f"admin autocomplete {remote._meta.model_name} (from {source._meta.model_name}.{name})"] = (
                    f"/admin/autocomplete/?app_label={source._meta.app_label}"
                    f"&model_name={source._meta.model_name}&field_name={name}&term={term}"
                )
    return urls


def autocomplete_term(model) -> str:
    """What an editor types: the first few letters of a real entry."""
    first = model._default_manager.order_by("pk").first()
    words = str(first).split() if first else []
    return (words[0][:4] if words else "a").lower()


def exists(url: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(url.split("?")[0])
    except Resolver404:
        return False
    return True


def measure(client, name: str, kind: str, url: str, *, seconds: float, min_runs: int) -> Result:
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    result = Result(name=name, kind=kind, url=url)
    if not exists(url):
        result.skipped = "no such URL in this version"
        return result
    for _ in range(3):  # warm: templates compiled, connections open, caches filled
        response = client.get(url)
    result.status = response.status_code
    result.bytes = len(response.content) if not response.streaming else 0
    if response.status_code != 200:
        result.notes.append(f"status {response.status_code}")
        return result
    aliases = [alias for alias in connections if alias in connections.settings]
    contexts = [CaptureQueriesContext(connections[alias]) for alias in aliases]
    for context in contexts:
        context.__enter__()
    client.get(url)
    for context in contexts:
        context.__exit__(None, None, None)
    result.queries = sum(len(context) for context in contexts)
    timings = []
    deadline = time.perf_counter() + seconds
    while len(timings) < min_runs or time.perf_counter() < deadline:
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if len(timings) >= 20 * min_runs:
            break
    result.runs = len(timings)
    result.p50_ms = statistics.median(timings)
    result.p95_ms = statistics.quantiles(timings, n=20)[-1]
    return result


def staff_client():
    """A test client logged in as the benchmark's superuser (created on first use)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    editor, _ = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(editor)
    return client


def run_one(args) -> list[Result]:
    setup_django()
    from django.test import Client

    anonymous = Client()
    targets = pick_targets()
    results = [
        measure(anonymous, name, "public", url, seconds=args.seconds, min_runs=args.runs)
        for name, url in targets.items()
    ]
    for name, url in sitemap_sections(anonymous).items():
        results.append(measure(anonymous, name, "public", url, seconds=args.seconds, min_runs=args.runs))
    staff = staff_client()
    for name, url in admin_targets().items():
        results.append(measure(staff, name, "admin", url, seconds=args.seconds / 4, min_runs=max(3, args.runs // 5)))
    return results


def profile(args) -> None:
    """cProfile a page (``story`` by default) over many requests; print where time goes."""
    import cProfile
    import pstats

    setup_django()
    from django.test import Client

    client = Client()
    url = pick_targets().get(args.profile, args.profile)
    for _ in range(20):
        client.get(url)
    profiler = cProfile.Profile()
    n = max(args.runs, 200)
    profiler.enable()
    for _ in range(n):
        client.get(url)
    profiler.disable()
    print(f"profile of {url}: {n} requests")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


# -- the comparison ----------------------------------------------------------------------------


def spawn(label: str, url: str, args) -> list[dict]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        env = {**os.environ, "DATABASE_URL": url}
        command = [sys.executable, __file__, "--one", out.name, "--runs", str(args.runs),
                   "--seconds", str(args.seconds)]
        print(f"== {label}: measuring …", file=sys.stderr, flush=True)
        subprocess.run(command, env=env, check=True)
        return json.loads(Path(out.name).read_text())


def fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def report(runs: dict[str, list[dict]]) -> int:
    labels = list(runs)
    by_name: dict[str, dict[str, dict]] = {}
    for label, results in runs.items():
        for row in results:
            by_name.setdefault(row["name"], {})[label] = row
    failures: list[str] = []
    notes: list[str] = []
    header = f"{'page':<58} " + " ".join(f"{lab + ' q':>8} {'p50':>7} {'p95':>7}" for lab in labels)
    print(header)
    print("-" * len(header))
    for name, per in by_name.items():
        skipped = [row["skipped"] for row in per.values() if row["skipped"]]
        if skipped:
            notes.append(f"skipped {name} ({next(iter(per.values()))['url']}): {skipped[0]}")
            continue
        cells = []
        for label in labels:
            row = per.get(label)
            if row is None:
                cells.append(f"{'-':>8} {'-':>7} {'-':>7}")
                continue
            cells.append(f"{fmt(row['queries'], 'd'):>8} {fmt(row['p50_ms'], '.1f'):>7} "
                         f"{fmt(row['p95_ms'], '.1f'):>7}")
            if row["status"] != 200:
                failures.append(f"{name} at {label}: status {row['status']} ({row['url']})")
        print(f"{name[:58]:<58} " + " ".join(cells))
        counts = {per[lab]["queries"] for lab in labels if lab in per}
        if len(counts) > 1:
            failures.append(f"{name}: query count differs between sizes {sorted(c for c in counts if c is not None)}")
        kind = next(iter(per.values()))["kind"]
        if kind == "public" and any(c is not None and c > PUBLIC_QUERY_BUDGET for c in counts):
            failures.append(f"{name}: {max(c for c in counts if c is not None)} queries > {PUBLIC_QUERY_BUDGET}")
        if name in P50_TARGET_MS:
            for label, target in ((labels[0], P50_TARGET_MS[name][0]), (labels[-1], P50_TARGET_MS[name][1])):
                p50 = per.get(label, {}).get("p50_ms")
                if p50 is not None and p50 > target:
                    failures.append(f"{name} at {label}: p50 {p50:.1f} ms > {target} ms")
    print()
    print("queries per request; p50/p95 in milliseconds, in-process, page cache off")
    for note in notes:
        print("note:", note)
    for failure in failures:
        print("MISSED:", failure)
    if not failures:
        print("every target holds")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("datasets", nargs="*", metavar="LABEL=DATABASE_URL",
                        help="Datasets to compare, smallest first (default: DATABASE_URL).")
    parser.add_argument("--runs", type=int, default=50, help="Minimum timed requests per page.")
    parser.add_argument("--seconds", type=float, default=1.5,
                        help="Time spent per page at least (default 1.5 s).")
    parser.add_argument("--json", metavar="PATH", help="Also write all results as JSON.")
    parser.add_argument("--profile", metavar="PAGE",
                        help="Profile one page type (story, show, person, …) or URL instead.")
    parser.add_argument("--urls", action="store_true",
                        help="Print the public pages' URLs (JSON) for bench/load.sh and stop.")
    parser.add_argument("--one", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.urls:
        setup_django()
        from django.test import Client

        # Under load.sh ALLOWED_HOSTS is the loopback names only, not the test client's.
        urls = {**pick_targets(), **sitemap_sections(Client(SERVER_NAME="localhost"))}
        for name, url in urls.items():
            if not exists(url):
                print(f"note: skipped {name} ({url}): no such URL in this version", file=sys.stderr)
        print(json.dumps({name: url for name, url in urls.items() if exists(url)}))
        return 0
    if args.profile:
        profile(args)
        return 0
    if args.one:
        results = run_one(args)
        Path(args.one).write_text(json.dumps([asdict(r) for r in results]))
        return 0
    datasets = []
    for item in args.datasets or [f"current={os.environ.get('DATABASE_URL', '')}"]:
        label, _, url = item.partition("=")
        datasets.append((label, url))
    runs = {}
    for label, url in datasets:
        if not url:
            runs[label] = _run_here(args)
        else:
            runs[label] = spawn(label, url, args)
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1))
    return report(runs)


def _run_here(args) -> list[dict]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [sys.executable, __file__, "--one", out.name, "--runs", str(args.runs),
                   "--seconds", str(args.seconds)]
        subprocess.run(command, check=True)
        return json.loads(Path(out.name).read_text())


if __name__ == "__main__":
    sys.exit(main())
