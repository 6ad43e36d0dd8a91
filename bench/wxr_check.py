"""Check import_articles against real WordPress exports (WordPress's own importer test data).

    python bench/wxr_check.py [DIR]

DIR defaults to ``$WXR_DIR``, then ``shared/wxr`` beside the repository or its parent; when the folder is
absent the script says so and exits 0 without checking anything. Each file is imported into
a fresh temporary SQLite database, twice, and the script prints what it gave: stories
created / updated / unchanged / skipped (with reasons), or the error that refused it.

For ``theme-unit-test-data.xml`` it also checks, post by post against the XML read
independently, that every post came in with its status, its GMT date (none for drafts
whose date is ``0000-00-00``), its author's display name and all its categories and tags;
and that the second run changed nothing. Files that are not well-formed or carry no valid
WXR version must be refused with nothing written. Exit status 1 when any check fails.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Broken XML (crazy-cdata.xml nests CDATA sections, which strict XML forbids) or no valid
# WXR version: refused, as the folder's README says.
REFUSED = {
    "malformed.xml", "malformed-simple.xml", "crazy-cdata.xml", "missing-version-tag.xml",
    "invalid-version-tag.xml",
}  # fmt: skip
THEME = "theme-unit-test-data.xml"


def main() -> int:
    if len(sys.argv) > 1 or os.environ.get("WXR_DIR"):
        folder = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ["WXR_DIR"])
    else:
        # The shared folder sits beside the repository (or beside the folder of checkouts).
        candidates = [parent / "shared" / "wxr" for parent in ROOT.parents[:2]]
        folder = next((c for c in candidates if c.is_dir()), candidates[0])
    if not folder.is_dir():
        print(f"WXR folder {folder} is absent: nothing checked. Pass its path or set WXR_DIR.")
        return 0
    files = sorted(folder.glob("*.xml"))
    if not files:
        print(f"WXR folder {folder} holds no .xml files: nothing checked.")
        return 0

    database = Path(tempfile.mkdtemp(prefix="wxr-check-")) / "db.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    failures: list[str] = []
    try:
        for path in files:
            call_command("flush", interactive=False, verbosity=0)
            failures.extend(check_file(path))
    finally:
        shutil.rmtree(database.parent, ignore_errors=True)
    print()
    if failures:
        print(f"{len(failures)} check(s) failed:")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print(f"All {len(files)} files behaved as expected.")
    return 0


def check_file(path: Path) -> list[str]:
    from articles.importers import import_articles
    from articles.models import Article

    failures: list[str] = []
    print(f"\n== {path.name}")
    first = import_articles([path])
    if first.failures:
        for message in first.failures:
            print(f"  refused: {message}")
        written = Article.objects.count()
        print(f"  stories written: {written}")
        if path.name not in REFUSED:
            failures.append(f"{path.name}: refused, expected to import")
        if written:
            failures.append(f"{path.name}: refused but {written} stories were written")
        return failures
    if path.name in REFUSED:
        failures.append(f"{path.name}: imported, expected to be refused")
    for line in first.total.summary_lines():
        print(f"  {line}")
    statuses = dict(
        sorted(
            (status, Article.objects.filter(status=status).count())
            for status in Article.objects.values_list("status", flat=True).distinct()
        )
    )
    print(f"  statuses: {statuses}")
    if first.link_summary:
        print(f"  {first.link_summary}")
    before = _snapshot()
    second = import_articles([path])
    total = second.total
    created, updated = sum(total.created.values()), sum(total.updated.values())
    print(
        f"  second run: {sum(total.unchanged.values())} unchanged, {created} created, "
        f"{updated} updated, linking: {second.linked} stories"
    )
    if created or updated or second.failures or _snapshot() != before:
        failures.append(f"{path.name}: the second run changed something")
    if path.name == THEME:
        failures.extend(check_theme(path))
    return failures


def check_theme(path: Path) -> list[str]:
    """Every post of the theme test data, compared field by field with the XML."""
    from defusedxml import ElementTree

    from articles.importers import WXR_STATUSES, wxr_import_key
    from articles.models import Article
    from newsroom.sanitize import plain_text

    wp = "{https://wordpress.org/export/1.2/}"
    dc = "{http://purl.org/dc/elements/1.1/}"
    channel = ElementTree.parse(path).getroot().find("channel")
    names = {
        (a.findtext(wp + "author_login") or "").strip(): (a.findtext(wp + "author_display_name") or "").strip()
        for a in channel.findall(wp + "author")
    }
    failures: list[str] = []
    posts = [i for i in channel.findall("item") if (i.findtext(wp + "post_type") or "").strip() == "post"]
    stories = {
        a.import_key: a for a in Article.objects.prefetch_related("tags", "bylines__author")
    }
    checked = 0
    for item in posts:
        key = wxr_import_key(
            site=(channel.findtext(wp + "base_blog_url") or "").strip(),
            post_id=(item.findtext(wp + "post_id") or "").strip(),
            guid=(item.findtext("guid") or "").strip(),
            link=(item.findtext("link") or "").strip(),
        )
        story = stories.get(key)
        label = f"{THEME}: post {item.findtext(wp + 'post_id')}"
        if story is None:
            failures.append(f"{label}: not imported")
            continue
        checked += 1
        wp_status = item.findtext(wp + "status").strip()
        expected_status = WXR_STATUSES[wp_status]
        if (item.findtext(wp + "post_password") or "").strip():
            expected_status = Article.Status.DRAFT
        if story.status != expected_status:
            failures.append(f"{label}: status {story.status}, expected {expected_status}")
        gmt = item.findtext(wp + "post_date_gmt").strip()
        expected_date = (
            None
            if gmt.startswith("0000")
            else datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        )
        if story.published_at != expected_date:
            failures.append(f"{label}: date {story.published_at}, expected {expected_date}")
        creator = item.findtext(dc + "creator").strip()
        bylines = [b.author.name for b in story.bylines.all()]
        if bylines != [names.get(creator) or creator]:
            failures.append(f"{label}: bylines {bylines}, expected {names.get(creator)}")
        terms = {
            plain_text(c.text or "").casefold()
            for c in item.findall("category")
            if c.get("domain") in ("category", "post_tag") and plain_text(c.text or "")
        }
        tags = {t.name.casefold() for t in story.tags.all()}
        if not terms <= tags:
            failures.append(f"{label}: tags lack {sorted(terms - tags)}")
    wanted = {s: sum(1 for i in posts if i.findtext(wp + "status").strip() == s) for s in ("publish", "draft", "future")}
    print(
        f"  theme check: {checked} of {len(posts)} posts compared with the XML "
        f"(WordPress statuses {wanted}): status, GMT date, author, categories and tags"
    )
    return failures


def _snapshot() -> list[tuple]:
    from articles.models import Article

    return sorted(
        Article.objects.values_list("pk", "slug", "title", "status", "published_at", "updated_at", "body", "body_html")
    )


if __name__ == "__main__":
    sys.exit(main())
