"""The show and person pages' prepared reads say exactly what the QuerySets they are written
as say: the show's effective status for every kind of deciding story, its public seasons, and
the person's story lists."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from catalog.models import Show
from catalog.profiles import (
    PERSON_STORIES,
    PUBLIC_SHOW,
    lists_of_show,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

DECIDING = [
    None,
    (Article.Kind.RENEWAL, False),
    (Article.Kind.RENEWAL, True),
    (Article.Kind.CANCELLATION, False),
    (Article.Kind.NEWS, False),  # not a deciding kind
]


@pytest.mark.parametrize("locked", [False, True])
@pytest.mark.parametrize("stored", [Show.Status.AIRING, Show.Status.ENDED])
@pytest.mark.parametrize("story", DECIDING)
def test_decided_status_agrees_with_the_annotation(story, stored, locked):
    show = f.show(status=stored, status_locked=locked)
    if story:
        kind, final = story
        f.article(main_show=show, kind=kind, is_final_season=final)
        # Later, but not public yet: decides nothing.
        f.article(main_show=show, kind=Article.Kind.CANCELLATION, status=Article.Status.SCHEDULED,
                  published_at=timezone.now() + timedelta(hours=2))

    annotated = Show.objects.with_effective_status().get(pk=show.pk)
    prepared = PUBLIC_SHOW.first(slug=show.slug, now=timezone.now())

    assert prepared.effective_status == annotated.effective_status
    assert prepared.status_story_id == annotated.status_story_id


def test_the_latest_published_story_decides():
    show = f.show()
    now = timezone.now()
    f.article(main_show=show, kind=Article.Kind.CANCELLATION, published_at=now - timedelta(days=3))
    renewal = f.article(main_show=show, kind=Article.Kind.RENEWAL, published_at=now - timedelta(days=1))

    found = PUBLIC_SHOW.first(slug=show.slug, now=now)

    assert (found.effective_status, found.status_story_id) == (Show.Status.RENEWED, renewal.pk)
    # As of a time before the renewal, the cancellation decides.
    earlier = PUBLIC_SHOW.first(slug=show.slug, now=now - timedelta(days=2))
    assert earlier.effective_status == Show.Status.CANCELLED
    assert PUBLIC_SHOW.first(slug="no-such-show", now=now) is None


def test_a_season_announced_by_a_story_not_yet_public_stays_hidden():
    show = f.show()
    later = f.article(main_show=show, status=Article.Status.SCHEDULED,
                      published_at=timezone.now() + timedelta(hours=1))
    f.season(show, 1)
    f.season(show, 2, announced_by=later, is_final=True)

    assert [s.number for s in lists_of_show(show.pk).seasons] == [1]
    Article.objects.filter(pk=later.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    seasons = lists_of_show(show.pk).seasons
    assert [(s.number, s.is_final) for s in seasons] == [(1, False), (2, True)]
    assert seasons[0].status_label == "Announced"


def test_person_story_lists_are_the_plain_filters_newest_first():
    """The index-shaped lists (newest mentions; each show's newest stories on PostgreSQL)
    give the stories the plain filters give, in the same order, drafts and future stories
    never (the page leaves out of the second list what the first one lists)."""
    person = f.person()
    shows = [f.show() for _ in range(4)]
    for show in shows:
        f.credit(person, show)
    now = timezone.now()
    for i in range(30):
        story = f.article(main_show=shows[i % 4] if i % 3 else f.show(),
                          published_at=now - timedelta(hours=i + 1))
        if i % 2:
            f.mention(story, person)
    f.mention(f.article(status=Article.Status.DRAFT, published_at=None), person)
    f.mention(f.article(main_show=shows[0], status=Article.Status.SCHEDULED,
                        published_at=now + timedelta(hours=1)), person)
    f.article(main_show=shows[1], status=Article.Status.ARCHIVED, published_at=now - timedelta(minutes=5))
    excluded = f.article(main_show=f.show(), published_at=now - timedelta(minutes=1))
    f.mention(excluded, person, excluded=True)

    published = Article.objects.published(now)
    named = published.mentioning(person=person).newest()[:20]
    about = published.about_shows_of(person).newest()[:40]

    assert [c.id for c in PERSON_STORIES.cards(person_id=person.pk)[0]] == [a.pk for a in named]
    assert [c.id for c in PERSON_STORIES.cards(person_id=person.pk)[1]] == [a.pk for a in about]
    assert excluded.pk not in [c.id for c in PERSON_STORIES.cards(person_id=person.pk)[0]]


def test_a_story_leaves_the_lists_when_it_is_unpublished_and_returns_when_published():
    person = f.person()
    story = f.article()
    f.mention(story, person)
    assert [c.id for c in PERSON_STORIES.cards(person_id=person.pk)[0]] == [story.pk]

    story.status = Article.Status.DRAFT
    story.save()
    assert PERSON_STORIES.cards(person_id=person.pk)[0] == []

    story.status = Article.Status.PUBLISHED
    story.published_at = timezone.now() - timedelta(minutes=1)
    story.save()
    assert [c.id for c in PERSON_STORIES.cards(person_id=person.pk)[0]] == [story.pk]


def test_show_lists_read_as_one_query_each_in_its_own_order(django_assert_num_queries):
    """Studios by name, spinoffs by first year then title, tags by name, seasons by number:
    each list in its own order and with its own fields, though read as one compound query."""
    show = f.show(studios=[f.company("Zeta Studios"), f.company("Alpha & Sons")], tags=["thriller", "crime"])
    f.show("Later Spinoff", spinoff_of=show, year_start=2024)
    f.show("B Spinoff", spinoff_of=show, year_start=2021)
    f.show("A Spinoff", spinoff_of=show, year_start=2021)
    f.show("Undated Spinoff", spinoff_of=show)
    f.season(show, 2, status="in_production", episode_count=8, is_final=True)
    f.season(show, 1, status="aired", premiere_date=date(2021, 5, 3), episode_count=10)
    hidden = f.article(main_show=show, status=Article.Status.DRAFT)
    f.season(show, 3, announced_by=hidden)
    other = f.show(studios=[f.company("Other Studio")], tags=["comedy"])
    f.show("Not a spinoff of it", spinoff_of=other)
    f.season(other, 1)

    with django_assert_num_queries(1):
        lists = lists_of_show(show.pk)

    assert [(s.name, s.url) for s in lists.studios] == [
        ("Alpha & Sons", "/companies/alpha-sons/"), ("Zeta Studios", "/companies/zeta-studios/"),
    ]
    assert [s.name for s in lists.spinoffs] == ["A Spinoff", "B Spinoff", "Later Spinoff", "Undated Spinoff"]
    assert lists.spinoffs[0].url == "/shows/a-spinoff/"
    assert [t.name for t in lists.tags] == ["crime", "thriller"]
    assert lists.seasons == [
        (1, False, "aired", date(2021, 5, 3), 10),
        (2, True, "in_production", None, 8),
    ]
    assert [s.status_label for s in lists.seasons] == ["Aired", "In production"]
    empty = lists_of_show(f.show().pk)
    assert empty == ([], [], [], [])
