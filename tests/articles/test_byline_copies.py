"""Each story's copy of its bylines (``Article.byline_authors``), which its cards show: kept
right by every write that changes a byline or an author's name or slug."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article, Byline
from tests import factories as f

pytestmark = pytest.mark.django_db

ARCHIVE = Path(__file__).resolve().parents[1] / "fixtures" / "articles" / "wxr" / "archive.xml"


def copies_differ() -> list[tuple]:
    """Stories whose copy is not their bylines as stored, in byline order."""
    wrong = []
    for story in Article.objects.all():
        bylines = [[b.author.name, b.author.slug] for b in story.bylines.order_by("order", "id").select_related("author")]
        if story.byline_authors != bylines:
            wrong.append((story.pk, story.byline_authors, bylines))
    return wrong


def test_added_reordered_and_removed_bylines_are_copied():
    first, second = f.author("Nellie Andreeva"), f.author("Joe Otterson")
    story = f.article(authors=[first])
    assert Article.objects.get(pk=story.pk).byline_authors == [["Nellie Andreeva", first.slug]]

    Byline.objects.create(article=story, author=second, order=1)
    assert Article.objects.get(pk=story.pk).byline_authors == [["Nellie Andreeva", first.slug], ["Joe Otterson", second.slug]]

    moved = Byline.objects.get(article=story, author=first)
    moved.order = 2
    moved.save()
    assert Article.objects.get(pk=story.pk).byline_authors == [["Joe Otterson", second.slug], ["Nellie Andreeva", first.slug]]

    Byline.objects.filter(article=story, author=second).delete()
    assert Article.objects.get(pk=story.pk).byline_authors == [["Nellie Andreeva", first.slug]]
    assert copies_differ() == []


def test_an_authors_new_name_or_slug_reaches_every_story_of_theirs():
    writer, other = f.author("Nellie Andreeva"), f.author("Joe Otterson")
    stories = [f.article(authors=[writer, other]) for _ in range(3)]
    untouched = f.article(authors=[other])

    writer.name, writer.slug = "Nellie Andreeva-Smith", "nellie-andreeva-smith"
    writer.save()

    for story in stories:
        assert Article.objects.get(pk=story.pk).byline_authors[0] == ["Nellie Andreeva-Smith", "nellie-andreeva-smith"]
    assert Article.objects.get(pk=untouched.pk).byline_authors == [["Joe Otterson", other.slug]]
    assert copies_differ() == []


def test_an_author_deleted_leaves_their_stories_bylines():
    writer, other = f.author(), f.author("Joe Otterson")
    story = f.article(authors=[writer, other])
    writer.delete()
    assert Article.objects.get(pk=story.pk).byline_authors == [["Joe Otterson", other.slug]]


def test_saving_a_story_loaded_before_its_bylines_changed_keeps_the_new_ones():
    writer = f.author("Nellie Andreeva")
    story = f.article(authors=[writer])
    as_loaded = Article.objects.get(pk=story.pk)
    Byline.objects.filter(article=story).delete()

    as_loaded.title = "A new headline"
    as_loaded.save()

    assert Article.objects.get(pk=story.pk).byline_authors == []
    assert copies_differ() == []


def test_imported_stories_carry_their_bylines(django_capture_on_commit_callbacks):
    call_command("import_articles", str(ARCHIVE), verbosity=0)
    assert Article.objects.filter(byline_authors=[]).count() == 0
    assert copies_differ() == []
