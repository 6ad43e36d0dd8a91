"""Query counts of the reader's pages as whole requests (view, template and conditional-GET
check together), pinned and shown constant as the data behind them grows."""

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from tests import factories as f
from tests.page import Page

pytestmark = pytest.mark.django_db


def days_ago(n: float):
    return timezone.now() - timedelta(days=n)


@pytest.mark.parametrize("count", [3, 30])
@time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=UTC), tick=True)  # the stories in one year
def test_scorecard_page_queries_stay_constant(client, django_assert_num_queries, count):
    networks = [f.company(f"Network {n}") for n in range(3)]
    for n in range(count):
        show = f.show(f"Show {n}", network=networks[n % 3])
        f.article(kind=Article.Kind.RENEWAL, main_show=show, season_number=2, published_at=days_ago(n + 1))

    # Last-Modified (stories, catalog), then the scorecard: the years, the year's counts by
    # platform and verdict, one page of deciding stories.
    with django_assert_num_queries(5):
        response = client.get("/renewals/")
    assert len(Page(response).find('//table[@class="scorecard"]/tbody/tr')) == count


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("people_only", [False, True], ids=["every kind", "people only"])
def test_search_page_queries_stay_constant(client, django_assert_num_queries, count, people_only):
    for n in range(count):
        f.person(f"Ballard person {n}")
    if not people_only:
        # The word twice or more in each, so these rank above the people, on the first page.
        network = f.company("Network")
        for n in range(3):
            f.article(f"Ballard story {n}", dek="Ballard returns.", authors=[f.author()], main_show=f.show(network=network))
            f.show(f"Ballard {n}", aliases=["Ballard"], network=network)
            f.company(f"Ballard company {n}", aliases=["Ballard"])

    # Last-Modified (2); four ranked candidate lists, which carry what their results show,
    # bylines included (4). Whatever kinds are found.
    with django_assert_num_queries(6):
        response = client.get("/search/?q=ballard")
    results = Page(response).find('//ol[@class="search-results"]/li')
    assert len(results) == min(20, count + (0 if people_only else 9))
    kinds = {"story" if li.xpath(".//article") else li.xpath('string(.//p[@class="card__kicker"])') for li in results}
    assert kinds == ({"Person"} if people_only else {"story", "Series", "Person", "Company"})


@pytest.mark.parametrize("count", [3, 30])
def test_profile_feeds_queries_stay_constant(client, django_assert_num_queries, count):
    prime = f.company("Prime Video")
    ballard = f.show("Ballard", network=prime)
    maggie = f.person("Maggie Q")
    f.credit(maggie, ballard, character="Renée Ballard")
    writer = f.author("Staff Writer")
    for n in range(count):
        story = f.article(f"Ballard story {n}", authors=[writer], main_show=ballard, tags=["renewals", f"tag {n}"])
        f.mention(story, maggie)
        f.mention(story, prime)

    expected = min(count, 20)
    # The profile, its stories, their bylines, their tags.
    for url in ["/people/maggie-q/feed/", "/companies/prime-video/feed/", "/tags/renewals/feed/", writer.get_absolute_url() + "feed/"]:
        with django_assert_num_queries(4):
            response = client.get(url)
        assert len(feedparser.parse(response.content).entries) == expected, url
