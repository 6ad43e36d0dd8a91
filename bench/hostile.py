"""Hostile input, end to end: XSS payloads and naughty strings through the real code paths.

Reads two public corpora (see their README):
- ``xss-payload-list.txt``: every payload is saved as a story body through the admin's story
  form (the editor's save path) and, separately, stored the way the importers store bodies
  (``newsroom.sanitize.sanitize_html``); each time the public story page is rendered and its
  ``#story-body`` parsed: no script element, no ``on*`` attribute, no ``javascript:`` /
  ``vbscript:`` / ``data:`` URL, no style may reach it.
- ``blns.json`` (the Big List of Naughty Strings): every string as a search query (the admin's
  story, show and person searches, and the public ``/search/`` when this build has it), as a
  story title (admin form, and the model's own slug making), as a slug in the admin form and
  in public URLs. None may answer 500.

Usage (from the repository root):
    python bench/hostile.py [--corpora DIR] [--limit N]

``--corpora`` defaults to ``$NEWSROOM_CORPORA`` or ``../shared/corpora`` beside the
repository. When the folder is absent the script says so and exits without running (status
0): a clone of the project alone does not carry the corpora. Runs on a throwaway SQLite
database in a temporary folder; exits 1 if anything executable reached a page or a request
answered 500.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpora",
        type=Path,
        default=Path(os.environ.get("NEWSROOM_CORPORA", REPO.parent / "shared" / "corpora")),
    )
    parser.add_argument("--limit", type=int, default=0, help="only the first N of each corpus")
    args = parser.parse_args()
    xss_file, blns_file = args.corpora / "xss-payload-list.txt", args.corpora / "blns.json"
    if not (xss_file.exists() and blns_file.exists()):
        print(
            f"SKIPPED: the hostile-input corpora are absent ({args.corpora} has no "
            "xss-payload-list.txt and blns.json). Pass --corpora DIR or set NEWSROOM_CORPORA."
        )
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-hostile-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'hostile.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import Resolver404, resolve, reverse
    from django.utils import timezone

    from articles.models import Article
    from newsroom.sanitize import sanitize_html
    from tests.executable import executable_parts, story_body

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    editor = User.objects.create_superuser("hostile-editor", "e@example.com", "pw")
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    public = Client(raise_request_exception=False)

    payloads = [line for line in xss_file.read_text(errors="replace").splitlines() if line.strip()]
    naughty = [s for s in json.loads(blns_file.read_text()) if isinstance(s, str)]
    if args.limit:
        payloads, naughty = payloads[: args.limit], naughty[: args.limit]

    def story_form(**overrides) -> dict:
        data = {
            "title": "A story under attack",
            "slug": "a-story-under-attack",
            "dek": "",
            "body": "<p>Text.</p>",
            "kind": "news",
            "tags": "",
            "status": "published",
            "published_at_0": "2025-06-01",
            "published_at_1": "10:00:00",
            "season_number": "",
            "source": "",
            "source_url": "",
            "hero_alt": "",
            "hero_credit": "",
            "main_show": "",
            "bylines-TOTAL_FORMS": "0",
            "bylines-INITIAL_FORMS": "0",
            "mentions-TOTAL_FORMS": "0",
            "mentions-INITIAL_FORMS": "0",
        }
        data.update(overrides)
        return data

    counts: Counter[str] = Counter()
    problems: list[str] = []

    # XSS payloads: the admin's save path, then the importers' sanitize path. -------------
    started = time.perf_counter()
    response = client.post(reverse("admin:articles_article_add"), story_form())
    assert response.status_code == 302, "could not create the story to edit"
    story = Article.objects.get(slug="a-story-under-attack")
    # The workflow publishes through its own buttons, not a form field: publish it once here;
    # the body edits below leave the status alone.
    Article.objects.filter(pk=story.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(days=1)
    )
    story.refresh_from_db()
    change_url = reverse("admin:articles_article_change", args=[story.pk])
    imported = Article.objects.create(
        title="An imported story",
        status=Article.Status.PUBLISHED,
        published_at=story.published_at,
    )
    for number, payload in enumerate(payloads, 1):
        body = f"<p>Before.</p>{payload}<p>After.</p>"
        response = client.post(change_url, story_form(body=body))
        if response.status_code != 302:
            counts["admin save refused"] += 1
            problems.append(f"admin save answered {response.status_code}: {payload[:80]!r}")
            continue
        counts["admin saves"] += 1
        for path_name, target_id in (("admin", story.pk), ("import", imported.pk)):
            if path_name == "import":
                Article.objects.filter(pk=imported.pk).update(body=sanitize_html(body))
            target = Article.objects.get(pk=target_id)
            if not target.is_published:
                problems.append(f"{path_name} story is {target.status} after the save")
                continue
            page = public.get(target.get_absolute_url())
            if page.status_code != 200:
                problems.append(f"{path_name} page answered {page.status_code}: {payload[:80]!r}")
                continue
            counts[f"{path_name} pages rendered"] += 1
            found = executable_parts(story_body(page.content.decode()))
            if found:
                counts[f"{path_name} pages with something executable"] += 1
                problems.append(f"{path_name}: {found} from {payload[:80]!r}")
        if number % 1000 == 0:
            print(f"  {number} payloads…", flush=True)
    xss_seconds = time.perf_counter() - started

    # Naughty strings: search, titles, slugs. -------------------------------------------
    started = time.perf_counter()
    try:
        resolve("/search/")
        public_search = True
    except Resolver404:
        public_search = False
    searches = [
        reverse("admin:articles_article_changelist"),
        reverse("admin:catalog_show_changelist"),
        reverse("admin:catalog_person_changelist"),
    ]
    statuses: Counter[int] = Counter()

    def check(response, what: str, text: str) -> None:
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            problems.append(f"{what} answered {response.status_code}: {text[:80]!r}")

    add_url = reverse("admin:articles_article_add")
    for number, text in enumerate(naughty):
        for url in searches:
            check(client.get(url, {"q": text}), "admin search", text)
        if public_search:
            check(public.get("/search/", {"q": text}), "public search", text)
        response = client.post(
            add_url, story_form(title=text, slug=f"naughty-title-{number}", body="<p>x</p>")
        )
        check(response, "admin title", text)
        check(client.post(add_url, story_form(title="Slug test", slug=text)), "admin slug", text)
        if text.strip():
            obj = Article(
                title=text[:300],
                status=Article.Status.PUBLISHED,
                published_at=story.published_at,
            )
            obj.save()
            check(public.get(obj.get_absolute_url()), "story page (model slug)", text)
        check(public.get(f"/news/2025/06/01/{quote(text, safe='')}/"), "story URL", text)
        check(public.get(f"/tags/{quote(text, safe='')}/"), "tag URL", text)
        counts["naughty strings"] += 1
    naughty_seconds = time.perf_counter() - started

    print(f"XSS payloads: {len(payloads)} ({xss_seconds:.0f} s)")
    for key in (
        "admin saves",
        "admin save refused",
        "admin pages rendered",
        "admin pages with something executable",
        "import pages rendered",
        "import pages with something executable",
    ):
        print(f"  {key}: {counts[key]}")
    print(f"Naughty strings: {counts['naughty strings']} ({naughty_seconds:.0f} s)")
    print(f"  public /search/: {'checked' if public_search else 'not in this build, skipped'}")
    print(f"  responses by status: {dict(sorted(statuses.items()))}")
    print(f"  500s: {sum(n for s, n in statuses.items() if s >= 500)}")
    for problem in problems[:20]:
        print(f"PROBLEM {problem}")
    print("RESULT:", "FAIL" if problems else "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
