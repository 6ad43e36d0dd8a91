"""Each credit's copies of its show's first year, title and newest story time
(``Credit.show_sort_year``, ``show_sort_title``, ``show_story_at``), and each show's
``newest_story_at``: kept right by every write that changes them, so that a person's page can
read their newest shows and the shows with their newest stories from one index."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from catalog.imdb import import_imdb
from catalog.models import Credit, Show
from catalog.profiles import PROFILE_LIMIT
from tests import factories
from tests.catalog.test_import_imdb import FIXTURES

pytestmark = pytest.mark.django_db


def stale() -> list[tuple]:
    """Shows whose newest story time is not that of their newest published or scheduled
    story, and credits whose copies differ from their show: empty when all is kept right."""
    wrong = []
    for show in Show.objects.all():
        times = [
            a.published_at
            for a in Article.objects.filter(main_show=show, status__in=Article.LIVE_STATUSES)
            if a.published_at is not None
        ]
        if show.newest_story_at != max(times, default=None):
            wrong.append(("show", show.title, show.newest_story_at, max(times, default=None)))
    for credit in Credit.objects.select_related("show"):
        show = credit.show
        expected = (show.year_start or 0, show.title, show.newest_story_at)
        copied = (credit.show_sort_year, credit.show_sort_title, credit.show_story_at)
        if copied != expected:
            wrong.append(("credit", credit.pk, copied, expected))
    return wrong


def test_a_new_credit_copies_its_show_and_its_newest_story_time():
    show = factories.show("The Lincoln Lawyer", year_start=2022)
    story = factories.article(main_show=show)
    credit = factories.credit(factories.person(), show)

    credit.refresh_from_db()
    assert (credit.show_sort_year, credit.show_sort_title, credit.show_story_at) == (
        2022,
        "The Lincoln Lawyer",
        story.published_at,
    )


def test_an_undated_show_sorts_as_year_zero_after_every_dated_one():
    credit = factories.credit(factories.person(), factories.show("Untitled Project"))
    credit.refresh_from_db()
    assert (credit.show_sort_year, credit.show_sort_title, credit.show_story_at) == (0, "Untitled Project", None)


def test_a_credit_moved_to_another_show_takes_that_shows_copies():
    first, second = factories.show("Bosch", year_start=2014), factories.show("Bosch: Legacy", year_start=2022)
    story = factories.article(main_show=second)
    credit = factories.credit(factories.person(), first)

    credit = Credit.objects.get(pk=credit.pk)
    credit.show = second
    credit.save(update_fields=["show"])

    credit.refresh_from_db()
    assert (credit.show_sort_year, credit.show_sort_title, credit.show_story_at) == (
        2022,
        "Bosch: Legacy",
        story.published_at,
    )
    assert stale() == []


def test_a_renamed_or_redated_show_rewrites_its_credits_and_an_unchanged_one_does_not():
    show = factories.show("Ballard", year_start=2024)
    for _ in range(3):
        factories.credit(factories.person(), show)
    other = factories.credit(factories.person(), factories.show("Bosch"))

    show = Show.objects.get(pk=show.pk)
    with CaptureQueriesContext(connection) as queries:
        show.description = "A cold-case unit."
        show.save()
    assert not [q for q in queries if Credit._meta.db_table in q["sql"]]

    show.title, show.year_start = "Ballard (2025)", 2025
    show.save()
    assert set(show.credits.values_list("show_sort_year", "show_sort_title")) == {(2025, "Ballard (2025)")}
    other.refresh_from_db()
    assert other.show_sort_title == "Bosch"
    assert stale() == []


def test_each_story_change_keeps_its_shows_newest_story_time():
    now = timezone.now()
    show, elsewhere = factories.show("Ballard"), factories.show("Bosch")
    factories.credit(factories.person(), show)
    factories.credit(factories.person(), elsewhere)
    older = factories.article(main_show=show, published_at=now - timedelta(days=3))
    assert Show.objects.get(pk=show.pk).newest_story_at == older.published_at

    draft = factories.article(main_show=show, status=Article.Status.DRAFT)
    assert Show.objects.get(pk=show.pk).newest_story_at == older.published_at

    # Published, then scheduled for later: the time is the story's even while it is ahead.
    draft.status, draft.published_at = Article.Status.PUBLISHED, now - timedelta(hours=2)
    draft.save()
    assert Show.objects.get(pk=show.pk).newest_story_at == draft.published_at
    draft.status, draft.published_at = Article.Status.SCHEDULED, now + timedelta(days=1)
    draft.save()
    assert Show.objects.get(pk=show.pk).newest_story_at == draft.published_at
    assert stale() == []

    # Moved to another show: both shows change.
    draft = Article.objects.get(pk=draft.pk)
    draft.main_show = elsewhere
    draft.save()
    assert Show.objects.get(pk=show.pk).newest_story_at == older.published_at
    assert Show.objects.get(pk=elsewhere.pk).newest_story_at == draft.published_at
    assert stale() == []

    # Withdrawn, then deleted: the show falls back to what is left.
    older.status = Article.Status.DRAFT
    older.save()
    assert Show.objects.get(pk=show.pk).newest_story_at is None
    Article.objects.filter(pk=draft.pk).delete()
    assert Show.objects.get(pk=elsewhere.pk).newest_story_at is None
    assert stale() == []


def test_a_story_saved_without_a_new_time_or_show_writes_no_credit():
    show = factories.show()
    factories.credit(factories.person(), show)
    story = Article.objects.get(pk=factories.article(main_show=show).pk)
    with CaptureQueriesContext(connection) as queries:
        story.save(update_fields=["body_html"])
        story.title = "A new headline"
        story.save()
    assert not [q for q in queries if q["sql"].startswith("UPDATE") and Credit._meta.db_table in q["sql"]]
    # Its show's newest story time is not even read again.
    assert not [q for q in queries if Show._meta.db_table in q["sql"]]


def test_a_catalog_import_copies_into_new_credits_and_renames_into_old_ones(tmp_path):
    show = factories.show("Ballard", key="ballard", year_start=2025)
    story = factories.article(main_show=show)
    factories.credit(factories.person("Maggie Q", key="maggie-q"), show)
    data = {
        "shows": [{"key": "ballard", "title": "Ballard (TV)", "year_start": 2024}],
        "people": [{"key": "titus-welliver", "name": "Titus Welliver"}],
        "credits": [{"show": "ballard", "person": "titus-welliver", "role": "cast", "character": "Harry Bosch"}],
    }
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data))
    call_command("import_catalog", str(path), stdout=StringIO(), stderr=StringIO())

    assert set(Credit.objects.values_list("show_sort_year", "show_sort_title", "show_story_at")) == {
        (2024, "Ballard (TV)", story.published_at)
    }
    assert Credit.objects.count() == 2
    assert stale() == []


def test_an_imdb_import_copies_into_its_credits_and_a_rerun_renames_them(tmp_path):
    show = factories.show("Bosch", imdb_id="tt3502248")
    story = factories.article(main_show=show)
    folder = tmp_path / "imdb"
    folder.mkdir()
    for name in ("title.basics", "name.basics", "title.principals", "title.crew"):
        (folder / f"{name}.tsv").write_text((FIXTURES / f"{name}.tsv").read_text())
    import_imdb(folder)
    assert Credit.objects.filter(show=show).exists()
    assert set(Credit.objects.filter(show=show).values_list("show_story_at", flat=True)) == {story.published_at}
    assert stale() == []

    # The next run gives the title a new name and first year: its credits follow.
    basics = folder / "title.basics.tsv"
    basics.write_text(
        basics.read_text().replace("tt3502248\ttvSeries\tBosch\t", "tt3502248\ttvSeries\tBosch Renamed\t").replace(
            "Bosch Renamed\tBosch\t0\t2014", "Bosch Renamed\tBosch\t0\t2013"
        )
    )
    import_imdb(folder)
    assert set(Credit.objects.filter(show=show).values_list("show_sort_year", "show_sort_title")) == {
        (2013, "Bosch Renamed")
    }
    assert stale() == []


def test_the_stories_about_a_persons_shows_are_the_newest_of_all_their_shows():
    """Whatever the shows' times (ahead, equal, none) and however many credits a person has on
    one show, the page's list is the plain filter's: the newest stories about any of them."""
    now = timezone.now()
    person = factories.person("Titus Welliver")
    shows = [factories.show(f"Show {i}") for i in range(PROFILE_LIMIT + 8)]
    for i, show in enumerate(shows):
        factories.credit(person, show, character=f"Role {i}")
        if i % 3 == 0:  # two credits on some shows
            factories.credit(person, show, role=Credit.Role.EXECUTIVE_PRODUCER)
    # Most shows get one story; the oldest shows many (more than the list holds), one show a
    # story scheduled for tomorrow on top of older live ones, two shows the same time.
    for i, show in enumerate(shows[:-2]):
        factories.article(main_show=show, published_at=now - timedelta(hours=10 + i))
    for j in range(PROFILE_LIMIT + 3):
        factories.article(main_show=shows[-3], published_at=now - timedelta(days=30, minutes=j))
    factories.article(main_show=shows[-1], status=Article.Status.SCHEDULED, published_at=now + timedelta(days=1))
    for j in range(3):
        factories.article(main_show=shows[-1], published_at=now - timedelta(hours=10, minutes=30 - j))
    factories.article(main_show=shows[-2], published_at=now - timedelta(hours=11))
    assert stale() == []

    limit = 2 * PROFILE_LIMIT
    newest = Article.objects.newest_about_shows_of(person.pk, at=now, limit=limit)
    got = list(newest.values_list("pk", flat=True)[:limit])
    plain = Article.objects.published(now).about_shows_of(person.pk).newest()
    assert got == list(plain.values_list("pk", flat=True)[:limit])
    assert len(got) == limit


def test_saving_a_show_or_credit_loaded_before_a_change_leaves_the_newer_copies_alone():
    """An editor's form holds the show and its credits as loaded: a story published, or the
    show renamed, meanwhile is not undone by saving them."""
    show = factories.show("Ballard", year_start=2025)
    credit = factories.credit(factories.person(), show)
    show_as_loaded, credit_as_loaded = Show.objects.get(pk=show.pk), Credit.objects.get(pk=credit.pk)

    story = factories.article(main_show=show)
    renamed = Show.objects.get(pk=show.pk)
    renamed.title = "Ballard (TV)"
    renamed.save()

    show_as_loaded.description = "A cold-case unit."
    show_as_loaded.title = "Ballard (TV)"
    show_as_loaded.save()
    credit_as_loaded.order = 3
    credit_as_loaded.save()

    show.refresh_from_db()
    credit.refresh_from_db()
    assert (show.description, show.newest_story_at) == ("A cold-case unit.", story.published_at)
    assert (credit.order, credit.show_sort_title, credit.show_story_at) == (3, "Ballard (TV)", story.published_at)
    assert stale() == []
