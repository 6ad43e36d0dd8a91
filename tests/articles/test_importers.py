"""import_articles: Markdown stories, folders of them and WordPress exports, on files of our own.

Every import is run through the command, as staff run it, and its output is read back: the
summary, the refusals naming the file and the record, and the database left as it should be.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from taggit.models import Tag

from articles.models import Article, Author, Mention
from catalog.models import Company
from tests import factories

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
STORIES = FIXTURES / "stories"
WXR = FIXTURES / "wxr"
ARCHIVE = WXR / "archive.xml"

pytestmark = pytest.mark.django_db


def run(*args: object) -> str:
    out = StringIO()
    call_command("import_articles", *map(str, args), stdout=out)
    return out.getvalue()


def refused(*args: object) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    return str(caught.value)


def snapshot() -> list[tuple]:
    """Everything an import writes, to compare two states of the database."""
    return sorted(
        (a.pk, a.slug, a.title, a.status, a.published_at, a.updated_at, a.version, a.body_html,
         tuple(a.tags.names()), tuple(b.author.name for b in a.bylines.all()))
        for a in Article.objects.all()
    )  # fmt: skip


@pytest.fixture
def catalog():
    """The show, the person and the publication the Markdown fixtures name."""
    harbor = factories.show("Harbor Lights", year_start=2023)
    nora = factories.person("Nora Vance")
    factories.credit(nora, harbor, character="Mara Quill", order=1)
    trade = factories.company("Trade Daily", kind=Company.Kind.PUBLICATION)
    return {"show": harbor, "person": nora, "publication": trade}


# Markdown ------------------------------------------------------------------------------------


def test_folder_imports_every_markdown_story_recursively(catalog):
    output = run(STORIES)

    assert "story: 3 created, 0 updated, 0 unchanged, 0 skipped" in output
    renewal = Article.objects.get(slug="harbor-lights-renewed")
    assert renewal.title == "Harbor Lights renewed for a third season"
    assert renewal.kind == Article.Kind.RENEWAL
    assert renewal.status == Article.Status.PUBLISHED
    assert renewal.published_at == datetime(2025, 3, 1, 15, 0, tzinfo=UTC)
    assert renewal.source == catalog["publication"]
    assert renewal.source_url == "https://example.com/harbor-lights-renewed"
    assert renewal.main_show == catalog["show"]
    assert {"renewals", "mysteries"} <= set(renewal.tags.names())
    assert [b.author.name for b in renewal.bylines.all()] == ["TV Desk"]
    assert renewal.body.startswith("<p>Harbor Lights will return")

    draft = Article.objects.get(slug="quiet-draft")
    assert draft.status == Article.Status.DRAFT and draft.published_at is None
    assert draft.source is None and draft.main_show is None
    assert [b.author.name for b in draft.bylines.order_by("order")] == ["Features Desk", "Staff"]
    assert '<a href="https://example.com/schedule" rel="noopener noreferrer">link</a>' in draft.body
    assert "<em>little</em>" in draft.body

    nested = Article.objects.get(slug="casting-news")  # found in a subfolder
    assert nested.published_at.date().isoformat() == "2025-03-09"
    assert list(nested.tags.names()) == ["casting"]
    assert "<li>one item</li>" in nested.body


def test_second_run_changes_nothing(catalog):
    run(STORIES)
    before = snapshot()

    output = run(STORIES)

    assert "story: 0 created, 0 updated, 3 unchanged, 0 skipped" in output
    assert "author" not in output  # no byline was created again
    assert snapshot() == before
    assert Author.objects.count() == 3


def test_an_edited_file_updates_its_story_instead_of_duplicating(catalog, tmp_path):
    folder = tmp_path / "stories"
    shutil.copytree(STORIES, folder)
    run(folder)
    path = folder / "2025-03-01-harbor-lights-renewed.md"
    path.write_text(
        path.read_text().replace("for a third season", "for a third and final season"),
        encoding="utf-8",
    )

    output = run(folder)

    assert "story: 0 created, 1 updated, 2 unchanged, 0 skipped" in output
    assert Article.objects.count() == 3
    story = Article.objects.get(slug="harbor-lights-renewed")
    assert story.title == "Harbor Lights renewed for a third and final season"
    assert story.version == 2


def test_tags_added_by_editors_survive_a_reimport(catalog):
    run(STORIES)
    story = Article.objects.get(slug="harbor-lights-renewed")
    story.tags.add("coastal")

    output = run(STORIES)

    assert "3 unchanged" in output
    assert "coastal" in story.tags.names()


def test_dry_run_writes_nothing_and_prints_the_same_summary(catalog):
    dry = run(STORIES, "--dry-run")

    assert Article.objects.count() == 0
    assert Author.objects.count() == 0
    assert not Tag.objects.filter(name="mysteries").exists()
    assert "story: 3 created, 0 updated, 0 unchanged, 0 skipped" in dry
    assert "nothing was written" in dry
    real = run(STORIES)
    assert "story: 3 created, 0 updated, 0 unchanged, 0 skipped" in real


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("broken-yaml.md", "broken-yaml.md line 4: front matter is not valid YAML"),
        ("unknown-field.md", "unknown-field.md: statuss: unknown field"),
        ("no-front-matter.md", "no-front-matter.md: no front matter"),
        ("unknown-show.md", "unknown-show.md: show: unknown show key 'no-such-show'"),
        ("published-without-date.md", "published-without-date.md: published: required"),
        ("latin1.md", "latin1.md line 2: not UTF-8 text (byte 0xe9"),
    ],
)
def test_bad_markdown_is_refused_naming_file_and_field(catalog, name, expected):
    message = refused(FIXTURES / "bad" / name)

    assert expected in message
    assert "nothing of them was written" in message
    assert Article.objects.count() == 0


def test_a_bad_file_in_a_folder_does_not_stop_the_good_ones(catalog, tmp_path):
    folder = tmp_path / "mixed"
    shutil.copytree(STORIES, folder)
    shutil.copy(FIXTURES / "bad" / "unknown-show.md", folder / "unknown-show.md")

    message = refused(folder)

    assert "1 file(s) refused" in message and "unknown-show.md" in message
    assert Article.objects.count() == 3
    assert not Article.objects.filter(title__contains="catalog lacks").exists()


def test_unknown_source_is_refused(tmp_path):
    factories.show("Harbor Lights")
    message = refused(STORIES / "2025-03-01-harbor-lights-renewed.md")

    assert "harbor-lights-renewed.md: source: no publication named 'Trade Daily'" in message
    assert Article.objects.count() == 0


def test_hostile_html_in_markdown_is_sanitized():
    run(FIXTURES / "hostile")

    body = Article.objects.get().body
    for hostile in ("<script", "alert(", "onclick", "onmouseover", "onerror", "style", "javascript:",
                    "<iframe", "class="):  # fmt: skip
        assert hostile not in body, hostile
    assert '<a href="https://example.com/ok" rel="noopener noreferrer">there</a>' in body
    assert '<img src="https://example.com/ok.png" alt="fine">' in body


def test_paths_that_are_not_archives_are_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    assert "notes.txt: not a story archive" in refused(tmp_path / "notes.txt")
    assert "no such file or folder" in refused(tmp_path / "missing.md")
    (tmp_path / "empty").mkdir()
    assert "no Markdown files" in refused(tmp_path / "empty")


# WordPress -----------------------------------------------------------------------------------


def test_wxr_imports_posts_with_status_dates_authors_and_terms():
    output = run(ARCHIVE)

    assert "story: 6 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert "skipped 1 story: trash: in the WordPress trash" in output
    assert "skipped 1 page: not a story" in output
    assert "skipped 1 nav_menu_item: not a story" in output
    assert "skipped 1 attachment: not a post's featured image" in output
    assert "skipped 1 image: files not given (import with --media DIR)" in output
    assert "archive.xml: 6 stories in" in output  # a quiet progress line off a terminal

    wraps = Article.objects.get(import_key="wxr:https://archive.example.com/?p=101")
    assert wraps.slug == "harbor-lights-wraps"
    assert wraps.title == "Harbor Lights wraps filming on its second season"
    assert wraps.status == Article.Status.PUBLISHED
    assert wraps.published_at == datetime(2024, 5, 10, 12, 0, tzinfo=UTC)  # the GMT date
    assert wraps.dek == "The season is in the can."
    assert [b.author.name for b in wraps.bylines.all()] == ["Coastal Desk"]
    assert set(wraps.tags.names()) == {"Television", "Harbor Lights", "filming"}
    assert "<!--" not in wraps.body and 'class="' not in wraps.body
    assert "<h2>What comes next</h2>" in wraps.body

    draft = Article.objects.get(import_key="wxr:https://archive.example.com/?p=102")
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at is None  # 0000-00-00 00:00:00 is no date
    assert draft.slug == "notes-for-a-story-not-written-yet"  # no post_name: from the title
    assert [b.author.name for b in draft.bylines.all()] == ["Night Desk"]

    statuses = dict(Article.objects.values_list("import_key", "status"))
    site = "wxr:https://archive.example.com/?p="
    assert statuses[site + "103"] == Article.Status.SCHEDULED
    assert statuses[site + "104"] == Article.Status.IN_REVIEW
    assert statuses[site + "105"] == Article.Status.DRAFT  # private: never public
    assert site + "106" not in statuses
    assert Article.objects.get(import_key=site + "103").published_at.year == 2031
    assert not Article.objects.published().filter(import_key__in=[site + "103", site + "105"]).exists()


def test_classic_editor_posts_get_paragraphs_and_captions_become_figures():
    run(ARCHIVE)

    body = Article.objects.get(import_key="wxr:https://archive.example.com/?p=102").body
    assert body.startswith("<p>A first paragraph in the classic editor,<br>\nwith a line break.</p>")
    assert "<figure><img src=" in body
    assert "<figcaption>The set, before the storm</figcaption></figure>" in body
    assert "[caption" not in body and "[gallery" not in body
    assert body.endswith("<p>A last paragraph.</p>")


def test_hostile_html_in_wxr_is_sanitized():
    run(ARCHIVE)

    story = Article.objects.get(slug="hostile-markup")
    assert story.title == "Hostile markup in an old post"
    assert story.dek == "A dek"
    for hostile in ("<script", "alert(\"wxr", "onclick", "onerror", "style", "javascript:", "data:"):
        assert hostile not in story.body, hostile
    assert story.body == '<p>Read <a rel="noopener noreferrer">this</a>.</p>'


def test_wxr_second_run_changes_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(ARCHIVE, "--media", WXR / "uploads")
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        output = run(ARCHIVE, "--media", WXR / "uploads")

    assert "story: 0 created, 0 updated, 6 unchanged, 1 skipped" in output
    assert "image: 0 created, 0 updated, 1 unchanged" in output
    assert snapshot() == before
    assert callbacks == []  # no image stored again


def test_featured_images_come_from_the_media_folder(django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        output = run(ARCHIVE, "--media", WXR / "uploads")

    assert "image: 1 created" in output
    story = Article.objects.get(slug="harbor-lights-wraps")
    assert story.hero_alt == "A lighthouse on a cliff at dusk"
    stored = Path(settings.MEDIA_ROOT) / story.hero_image.name
    assert stored.read_bytes() == (WXR / "uploads/2024/05/poster.png").read_bytes()


def test_dry_run_of_a_wxr_writes_nothing(django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        output = run(ARCHIVE, "--media", WXR / "uploads", "--dry-run")

    assert "story: 6 created" in output and "image: 1 created" in output
    assert Article.objects.count() == 0 and Author.objects.count() == 0
    assert callbacks == []
    assert not (Path(settings.MEDIA_ROOT) / "heroes").exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("truncated.xml", "truncated.xml line 51, column 5: not well-formed XML: unclosed token"),
        ("bomb.xml", "bomb.xml: refused: the file declares XML entities"),
        ("external-entity.xml", "external-entity.xml: refused: the file declares XML entities"),
        ("no-version.xml", "no-version.xml: not a WordPress export: no WXR version"),
        ("bad-encoding.xml", "bad-encoding.xml line 59, column 27: not well-formed XML: not well-formed"),
    ],
)
def test_bad_xml_is_refused_and_nothing_written(name, expected):
    message = refused(WXR / name)

    assert expected in message
    assert Article.objects.count() == 0 and Author.objects.count() == 0
    assert not Tag.objects.exists()


def test_a_refused_record_rolls_back_its_whole_file(tmp_path):
    broken = tmp_path / "export.xml"
    broken.write_text(
        ARCHIVE.read_text().replace("<![CDATA[pending]]>", "<![CDATA[imaginary]]>"), encoding="utf-8"
    )

    message = refused(broken)

    assert "export.xml: item 4 (post 104, 'A story waiting for review'): wp:status: 'imaginary'" in message
    assert Article.objects.count() == 0


# Linking -------------------------------------------------------------------------------------


def test_published_stories_are_linked_once_at_the_end(catalog):
    output = run(STORIES)

    assert "linked 2 stories" in output  # the two published ones; the draft is not linked
    renewal = Article.objects.get(slug="harbor-lights-renewed")
    assert Mention.objects.filter(article=renewal, person=catalog["person"]).exists()
    assert f'href="{catalog["person"].get_absolute_url()}"' in renewal.body_html
    assert renewal.linked_at is not None
    assert Article.objects.get(slug="quiet-draft").linked_at is None

    again = run(STORIES)
    assert "linked" not in again  # nothing changed: nothing to relink
    assert Article.objects.get(slug="harbor-lights-renewed").body_html == renewal.body_html


def test_no_link_leaves_linking_for_later(catalog):
    run(STORIES, "--no-link")

    assert not Mention.objects.exists()
    assert Article.objects.get(slug="harbor-lights-renewed").linked_at is None


def test_a_post_repeated_in_one_export_is_refused(tmp_path):
    text = ARCHIVE.read_text()
    start = text.index("  <item>")
    end = text.index("</item>", start) + len("</item>")
    doubled = tmp_path / "doubled.xml"
    doubled.write_text(text[:end] + "\n" + text[start:], encoding="utf-8")

    message = refused(doubled)

    assert "doubled.xml: item 2 (post 101" in message and "the same post as item 1" in message
    assert Article.objects.count() == 0
