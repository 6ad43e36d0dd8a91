from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from catalog.models import Credit
from tests import factories as f

pytestmark = pytest.mark.django_db


def parse(client, url: str, version: str = "rss20"):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    return feed


def titles(feed) -> list[str]:
    return [entry.title for entry in feed.entries]


def hours_ago(n: int):
    return timezone.now() - timedelta(hours=n)


def test_latest_feed_lists_published_stories_newest_first(client, settings):
    settings.SITE_URL = "https://news.example.com"
    writer = f.author("A staff writer")
    f.article("Older", published_at=hours_ago(5), authors=[writer])
    newest = f.article(
        "Ballard renewed & back for more", dek="Season 2 is coming.", published_at=hours_ago(1),
        authors=[writer], tags=["renewals", "crime drama"],
    )
    f.article("A draft", status=Article.Status.DRAFT)
    f.article("Scheduled", status=Article.Status.SCHEDULED, published_at=timezone.now() + timedelta(hours=2))

    feed = parse(client, "/feeds/latest/")

    assert titles(feed) == ["Ballard renewed & back for more", "Older"]
    entry = feed.entries[0]
    assert entry.link == "https://news.example.com" + newest.get_absolute_url()
    assert entry.summary == "Season 2 is coming."
    assert entry.author == "A staff writer"
    assert {t.term for t in entry.tags} == {"renewals", "crime drama"}
    assert feed.feed.link == "https://news.example.com/"


def test_latest_atom_feed_matches_rss_feed(client):
    for n in range(3):
        f.article(f"Story number {n}", published_at=hours_ago(n + 1))

    rss = parse(client, "/feeds/latest/")
    atom = parse(client, "/feeds/latest/atom/", version="atom10")

    assert titles(atom) == titles(rss) == ["Story number 0", "Story number 1", "Story number 2"]
    assert atom.feed.subtitle == "The latest stories."
    assert atom.entries[0].published_parsed and atom.entries[0].updated_parsed


def test_feed_is_bounded_to_the_twenty_newest(client):
    for n in range(25):
        f.article(f"Story {n:02d}", published_at=hours_ago(n + 1))

    feed = parse(client, "/feeds/latest/")

    assert len(feed.entries) == 20
    assert feed.entries[0].title == "Story 00"
    assert feed.entries[-1].title == "Story 19"


@pytest.mark.parametrize("count", [3, 15])
def test_latest_feed_queries_stay_constant(client, django_assert_num_queries, count):
    writers = [f.author(), f.author()]
    for n in range(count):
        f.article(authors=writers, tags=[f"tag {n}", "news"], published_at=hours_ago(n + 1))

    # stories, their bylines with authors, their tags
    with django_assert_num_queries(3):
        response = client.get("/feeds/latest/")
    assert len(feedparser.parse(response.content).entries) == count


@pytest.mark.parametrize("count", [2, 12])
def test_show_feed_queries_stay_constant(client, django_assert_num_queries, count):
    ballard = f.show("Ballard")
    for _ in range(count):
        f.article(main_show=ballard, authors=[f.author()], tags=["renewals"])

    # the show, stories, bylines, tags
    with django_assert_num_queries(4):
        response = client.get("/shows/ballard/feed/")
    assert len(feedparser.parse(response.content).entries) == count


def test_show_feed_lists_stories_about_or_naming_the_show(client):
    ballard, bosch = f.show("Ballard"), f.show("Bosch")
    about = f.article("About Ballard", main_show=ballard, published_at=hours_ago(1))
    f.mention(about, ballard)  # about it and naming it: listed once
    naming = f.article("Naming Ballard", main_show=bosch, published_at=hours_ago(2))
    f.mention(naming, ballard)
    excluded = f.article("Wrongly linked", published_at=hours_ago(3))
    f.mention(excluded, ballard, excluded=True)
    f.article("About Bosch only", main_show=bosch, published_at=hours_ago(4))
    f.article("Draft about Ballard", main_show=ballard, status=Article.Status.DRAFT)

    rss = parse(client, "/shows/ballard/feed/")
    atom = parse(client, "/shows/ballard/feed/atom/", version="atom10")

    assert titles(rss) == titles(atom) == ["About Ballard", "Naming Ballard"]
    assert rss.feed.link.endswith("/shows/ballard/")


def test_person_feed_lists_mentions_and_stories_about_credited_shows(client):
    maggie = f.person("Maggie Q")
    ballard = f.show("Ballard")
    f.credit(maggie, ballard, character="Renée Ballard")
    f.credit(maggie, ballard, role=Credit.Role.EXECUTIVE_PRODUCER)  # two credits, one story
    about_show = f.article("Ballard gets a second season", main_show=ballard, published_at=hours_ago(1))
    naming = f.article("Maggie Q joins a panel", published_at=hours_ago(2))
    f.mention(naming, maggie)
    f.mention(about_show, maggie)
    f.mention(f.article("Excluded link", published_at=hours_ago(3)), maggie, excluded=True)
    f.article("Unrelated story", published_at=hours_ago(4))

    feed = parse(client, "/people/maggie-q/feed/")
    assert titles(feed) == ["Ballard gets a second season", "Maggie Q joins a panel"]
    assert titles(parse(client, "/people/maggie-q/feed/atom/", "atom10")) == titles(feed)


def test_company_feed_lists_mentions_and_stories_about_its_shows(client):
    prime = f.company("Prime Video")
    studio = f.company("Amazon MGM Studios", kind="studio")
    airs = f.show("Ballard", network=prime)
    makes = f.show("Another show", studios=[studio, prime])
    f.article("About a show it airs", main_show=airs, published_at=hours_ago(1))
    f.article("About a show it makes", main_show=makes, published_at=hours_ago(2))
    f.mention(f.article("Naming the company", published_at=hours_ago(3)), prime)
    f.article("About another network's show", main_show=f.show(network=f.company()))

    feed = parse(client, "/companies/prime-video/feed/")
    assert titles(feed) == [
        "About a show it airs", "About a show it makes", "Naming the company"
    ]
    assert titles(parse(client, "/companies/amazon-mgm-studios/feed/")) == ["About a show it makes"]


def test_tag_and_author_feeds(client):
    writer, other = f.author("A staff writer"), f.author("A guest writer")
    f.article("Tagged, by the writer", tags=["Renewals"], authors=[writer], published_at=hours_ago(1))
    f.article("Tagged, by both", tags=["renewals"], authors=[other, writer], published_at=hours_ago(2))
    f.article("Untagged, by the guest", authors=[other], published_at=hours_ago(3))
    slug = Tag.objects.get(name__iexact="renewals").slug

    assert titles(parse(client, f"/tags/{slug}/feed/")) == ["Tagged, by the writer", "Tagged, by both"]
    assert titles(parse(client, f"/authors/{writer.slug}/feed/atom/", "atom10")) == [
        "Tagged, by the writer", "Tagged, by both"
    ]
    by_both = parse(client, f"/authors/{other.slug}/feed/").entries[0]
    assert by_both.author == "A guest writer, A staff writer"


@pytest.mark.parametrize(
    "url",
    ["/shows/nope/feed/", "/people/nope/feed/atom/", "/companies/nope/feed/", "/tags/nope/feed/",
     "/authors/nope/feed/"],
)
def test_feed_of_an_unknown_profile_is_404(client, url):
    assert client.get(url).status_code == 404


def test_feed_survives_markup_in_titles(client):
    f.article('Quotes "and" <angle> brackets & ampersands', dek="<b>bold</b> claim")

    entry = parse(client, "/feeds/latest/").entries[0]
    assert entry.title == 'Quotes "and" <angle> brackets & ampersands'
