"""The show page's status read on its own (``Show.decide_status`` from the deciding story)
says exactly what ``with_effective_status()`` says, for every kind of deciding story."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from catalog.models import Show
from catalog.profiles import decide_status, public_seasons
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
    decide_status(show)

    assert show.effective_status == annotated.effective_status
    assert show.status_story_id == annotated.status_story_id


def test_the_latest_published_story_decides():
    show = f.show()
    now = timezone.now()
    f.article(main_show=show, kind=Article.Kind.CANCELLATION, published_at=now - timedelta(days=3))
    renewal = f.article(main_show=show, kind=Article.Kind.RENEWAL, published_at=now - timedelta(days=1))

    decide_status(show)

    assert (show.effective_status, show.status_story_id) == (Show.Status.RENEWED, renewal.pk)


def test_a_season_announced_by_a_story_not_yet_public_stays_hidden():
    show = f.show()
    later = f.article(main_show=show, status=Article.Status.SCHEDULED,
                      published_at=timezone.now() + timedelta(hours=1))
    f.season(show, 1)
    f.season(show, 2, announced_by=later, is_final=True)

    assert [s.number for s in public_seasons(show.pk)] == [1]
    Article.objects.filter(pk=later.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    seasons = public_seasons(show.pk)
    assert [(s.number, s.is_final) for s in seasons] == [(1, False), (2, True)]
    assert seasons[0].status_label == "Announced"
