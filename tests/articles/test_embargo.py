"""Embargoes hold: before its time nothing of a scheduled story shows anywhere public.

Every public address that could carry the story is fetched before and after its publish
time. Addresses this build does not serve yet (the feeds, sitemaps, search and scorecard
come with the reader's pages) are skipped by name, and checked as soon as they exist.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import NoReverseMatch, Resolver404, resolve
from django.utils import timezone

from articles import roles, workflow
from articles.models import Article
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADLINE = "Ballard renewed for a third season"


@pytest.fixture
def embargoed():
    w = f.renewal_scenario()
    when = timezone.now() + timedelta(hours=3)
    story = f.article(HEADLINE, status=Article.Status.DRAFT, kind=Article.Kind.RENEWAL,
                      main_show=w.ballard, authors=[w.writer], tags=["renewals", "embargoed"],
                      body="<p>Prime Video renewed Ballard again.</p>")  # fmt: skip
    f.mention(story, w.maggie, position=0)
    f.mention(story, w.prime, position=10)
    f.season(w.ballard, 3, announced_by=story)
    workflow.article_schedule(
        article=story, by=f.staff_user("editor", roles.EDITOR), published_at=when
    )
    w.embargoed, w.when = story, when
    return w


def _public_urls(w) -> list[str]:
    urls = [
        "/",
        "/news/",
        w.embargoed.get_absolute_url(),
        w.ballard.get_absolute_url(),
        w.maggie.get_absolute_url(),
        w.prime.get_absolute_url(),
        w.writer.get_absolute_url(),
        "/tags/embargoed/",
        "/tags/renewals/",
        "/feeds/latest/",
        f"{w.ballard.get_absolute_url()}feed/",
        f"{w.maggie.get_absolute_url()}feed/",
        f"{w.writer.get_absolute_url()}feed/",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/search/?q=third+season",
        "/renewals/",
    ]
    served = []
    for url in urls:
        try:
            resolve(url.split("?")[0])
        except (Resolver404, NoReverseMatch):
            continue
        served.append(url)
    return served


def test_nothing_of_a_scheduled_story_is_public_before_its_time(client, embargoed):
    urls = _public_urls(embargoed)
    assert len(urls) >= 9
    slug = embargoed.embargoed.slug
    for url in urls:
        response = client.get(url)
        text = response.content.decode()
        assert HEADLINE not in text, url
        assert slug not in text, url
    # The season the story announces is not on the show page yet.
    show_page = client.get(embargoed.ballard.get_absolute_url()).content.decode()
    assert "Season 3" not in show_page


def test_the_story_appears_everywhere_once_its_time_has_passed(client, embargoed):
    with time_machine.travel(embargoed.when + timedelta(minutes=1)):
        story_url = embargoed.embargoed.get_absolute_url()
        assert client.get(story_url).status_code == 200
        for url in ["/", "/news/", embargoed.writer.get_absolute_url(), "/tags/embargoed/",
                    embargoed.maggie.get_absolute_url()]:  # fmt: skip
            assert HEADLINE in client.get(url).content.decode(), url
        assert "Season 3" in client.get(embargoed.ballard.get_absolute_url()).content.decode()
