from datetime import timedelta

import pytest
from defusedxml import ElementTree
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

from articles.models import Article
from catalog.models import Person, Show
from newsroom.sitemaps import PersonSitemap, PublicSitemap, StorySitemap, TagSitemap
from tests import factories as f

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITE = "https://news.example.com"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def get_xml(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def locations(root, tag: str = "url") -> dict[str, str | None]:
    """Each <loc> with its <lastmod> (or None)."""
    found = {}
    for entry in root.iter(f"{SM}{tag}"):
        lastmod = entry.find(f"{SM}lastmod")
        found[entry.find(f"{SM}loc").text] = lastmod.text if lastmod is not None else None
    return found


def days_ago(n: float):
    return timezone.now() - timedelta(days=n)


def test_index_lists_every_section_on_the_public_address(client):
    story = f.article("A story", tags=["renewals"])
    f.show("Ballard")
    f.person("Maggie Q")
    f.company("Prime Video")

    index = locations(get_xml(client, "/sitemap.xml"), "sitemap")

    assert set(index) == {
        f"{SITE}/sitemap-{section}.xml"
        for section in ["stories", "shows", "people", "companies", "tags"]
    }
    assert index[f"{SITE}/sitemap-stories.xml"].startswith(str(story.updated_at.year))


def test_index_lists_every_page_of_a_long_section(client, monkeypatch):
    monkeypatch.setattr(StorySitemap, "limit", 2)
    for _ in range(5):
        f.article()

    index = locations(get_xml(client, "/sitemap.xml"), "sitemap")
    pages = sorted(url for url in index if "stories" in url)

    assert pages == [
        f"{SITE}/sitemap-stories.xml",
        f"{SITE}/sitemap-stories.xml?p=2",
        f"{SITE}/sitemap-stories.xml?p=3",
    ]
    assert len(locations(get_xml(client, "/sitemap-stories.xml?p=3"))) == 1
    assert client.get("/sitemap-stories.xml?p=4").status_code == 404


def test_every_section_stays_within_the_protocols_fifty_thousand_urls_per_file():
    sections = [StorySitemap, *PublicSitemap.__subclasses__()]
    assert all(0 < section.limit <= 50_000 for section in sections)


def test_story_section_lists_published_stories_only(client):
    live = f.article("Live")
    f.article("Draft", status=Article.Status.DRAFT)
    f.article("Scheduled", status=Article.Status.SCHEDULED, published_at=timezone.now() + timedelta(days=1))

    urls = locations(get_xml(client, "/sitemap-stories.xml"))

    assert list(urls) == [SITE + live.get_absolute_url()]
    assert urls[SITE + live.get_absolute_url()] == timezone.localtime(live.updated_at).strftime("%Y-%m-%d")


def test_show_lastmod_follows_the_newest_story_about_it(client):
    quiet = f.show("Quiet show")
    busy = f.show("Busy show")
    Show.objects.filter(pk__in=[quiet.pk, busy.pk]).update(updated_at=days_ago(30))
    f.article("Busy show renewed", main_show=busy, published_at=days_ago(3))
    f.article("Busy show, future story", main_show=busy, status=Article.Status.SCHEDULED,
              published_at=timezone.now() + timedelta(days=5))

    urls = locations(get_xml(client, "/sitemap-shows.xml"))

    assert urls[f"{SITE}/shows/quiet-show/"] == timezone.localdate(days_ago(30)).isoformat()
    assert urls[f"{SITE}/shows/busy-show/"] == timezone.localdate(days_ago(3)).isoformat()


def test_people_and_companies_sections(client):
    maggie = f.person("Maggie Q")
    prime = f.company("Prime Video")
    story = f.article("Named", published_at=days_ago(1))
    f.mention(story, maggie)
    f.mention(story, prime)

    people = locations(get_xml(client, "/sitemap-people.xml"))
    companies = locations(get_xml(client, "/sitemap-companies.xml"))

    assert list(people) == [f"{SITE}/people/maggie-q/"]
    assert list(companies) == [f"{SITE}/companies/prime-video/"]


def test_tag_section_lists_tags_with_published_stories(client):
    f.article("Tagged", tags=["Renewals", "Télé"], published_at=days_ago(2))
    f.article("Draft", tags=["draft only"], status=Article.Status.DRAFT)
    f.show("Tagged show", tags=["show only"])

    urls = locations(get_xml(client, "/sitemap-tags.xml"))

    assert set(urls) == {f"{SITE}/tags/renewals/", f"{SITE}/tags/t%C3%A9l%C3%A9/"}
    assert set(urls.values()) == {timezone.localdate(days_ago(2)).isoformat()}
    assert client.get("/tags/t%C3%A9l%C3%A9/feed/").status_code == 200


def test_unknown_section_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize("count", [2, 20])
def test_sitemap_queries_stay_constant(client, django_assert_num_queries, count):
    for n in range(count):
        s = f.show(tags=[f"genre {n}"])
        story = f.article(main_show=s, tags=[f"genre {n}"])
        f.mention(story, f.person())
        f.mention(story, f.company())

    # five sections: latest lastmod and page count each
    with django_assert_num_queries(10):
        assert client.get("/sitemap.xml").status_code == 200
    for section in ["stories", "shows", "people", "companies", "tags"]:
        with django_assert_num_queries(2):  # count and page
            root = get_xml(client, f"/sitemap-{section}.xml")
        assert len(locations(root)) == count


def test_news_sitemap_has_the_last_two_days_in_google_news_format(client, settings):
    settings.SITE_NAME = "The Trade"
    recent = f.article("Ballard renewed & more", published_at=days_ago(0.5))
    f.article("Yesterday's story", published_at=days_ago(1.5))
    f.article("Three days old", published_at=days_ago(3))
    f.article("Draft", status=Article.Status.DRAFT)
    f.article("Future", status=Article.Status.SCHEDULED, published_at=timezone.now() + timedelta(hours=1))

    root = get_xml(client, "/news-sitemap.xml")
    entries = root.findall(f"{SM}url")

    assert [e.find(f"{NEWS}news/{NEWS}title").text for e in entries] == [
        "Ballard renewed & more", "Yesterday's story"
    ]
    first = entries[0]
    assert first.find(f"{SM}loc").text == SITE + recent.get_absolute_url()
    assert first.find(f"{NEWS}news/{NEWS}publication/{NEWS}name").text == "The Trade"
    assert first.find(f"{NEWS}news/{NEWS}publication/{NEWS}language").text == "en"
    published = parse_datetime(first.find(f"{NEWS}news/{NEWS}publication_date").text)
    assert published == recent.published_at.replace(microsecond=0)
    assert first.find(f"{SM}lastmod") is None  # Google News reads the publication date


def test_news_sitemap_escapes_headlines_and_says_when_it_last_changed(client):
    f.article("Older", published_at=days_ago(1))
    edited = f.article("Ballard <renewed> & \"more\"", published_at=days_ago(0.5))
    Article.objects.update(updated_at=days_ago(2))
    Article.objects.filter(pk=edited.pk).update(updated_at=days_ago(0.1))  # edited since

    response = client.get("/news-sitemap.xml")
    root = get_xml(client, "/news-sitemap.xml")

    titles = [e.find(f"{NEWS}news/{NEWS}title").text for e in root.findall(f"{SM}url")]
    assert titles == ['Ballard <renewed> & "more"', "Older"]
    assert response["Last-Modified"] == http_date(days_ago(0.1).timestamp())


def test_news_sitemap_queries_stay_constant(client, django_assert_num_queries):
    for count in (2, 12):
        Article.objects.all().delete()
        for _ in range(count):
            f.article()
        with django_assert_num_queries(1):  # one page of at most 1,000: no count
            root = get_xml(client, "/news-sitemap.xml")
        assert len(root.findall(f"{SM}url")) == count


def test_robots_txt_points_at_both_sitemaps(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/news-sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_catalog_pages_pick_their_rows_by_key_and_keep_each_rows_lastmod(client, monkeypatch):
    monkeypatch.setattr(PersonSitemap, "limit", 2)
    people = [f.person(f"Person {n}") for n in range(5)]
    Person.objects.update(updated_at=days_ago(10))
    named = people[3]
    story = f.article("A story", published_at=days_ago(1))
    f.mention(story, named)

    index = locations(get_xml(client, "/sitemap.xml"), "sitemap")
    assert len([url for url in index if "people" in url]) == 3
    listed = [locations(get_xml(client, f"/sitemap-people.xml?p={n}")) for n in (1, 2, 3)]

    in_order = [url for page in listed for url in page]
    by_key = sorted(people, key=lambda person: person.pk)
    assert in_order == [f"{SITE}{person.get_absolute_url()}" for person in by_key]
    assert [len(page) for page in listed] == [2, 2, 1]
    day = lambda moment: f"{timezone.localtime(moment):%Y-%m-%d}"  # noqa: E731
    lastmods = {url: lastmod for page in listed for url, lastmod in page.items()}
    for person in people:
        expected = day(story.published_at) if person == named else day(days_ago(10))
        assert lastmods[f"{SITE}{person.get_absolute_url()}"] == expected, person
    assert client.get("/sitemap-people.xml?p=4").status_code == 404


def test_story_locations_use_the_newsroom_date_as_the_story_page_does(client, settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    # 02:00 UTC is the evening before in Los Angeles: the address carries that day.
    story = f.article("Late news", published_at=timezone.now().replace(hour=2, minute=0) - timedelta(days=1))

    urls = locations(get_xml(client, "/sitemap-stories.xml"))

    local = timezone.localtime(story.published_at)
    assert list(urls) == [f"{SITE}/news/{local:%Y/%m/%d}/{story.slug}/"]
    assert list(urls) == [SITE + story.get_absolute_url()]


def test_tag_pages_count_only_tags_with_a_published_story(client, monkeypatch):
    monkeypatch.setattr(TagSitemap, "limit", 1)
    f.article("Old", tags=["alpha", "beta"], published_at=days_ago(9))
    f.article("New", tags=["beta"], published_at=days_ago(2))
    f.article("Draft", tags=["gamma"], status=Article.Status.DRAFT)
    f.article("Later", tags=["delta"], status=Article.Status.SCHEDULED, published_at=timezone.now() + timedelta(days=1))
    f.article("Third", tags=["epsilon"], published_at=days_ago(4))

    index = locations(get_xml(client, "/sitemap.xml"), "sitemap")
    assert len([url for url in index if "tags" in url]) == 3
    pages = [locations(get_xml(client, f"/sitemap-tags.xml?p={n}")) for n in (1, 2, 3)]

    day = lambda n: timezone.localdate(days_ago(n)).isoformat()  # noqa: E731
    assert pages == [
        {f"{SITE}/tags/alpha/": day(9)},
        {f"{SITE}/tags/beta/": day(2)},  # its newest story
        {f"{SITE}/tags/epsilon/": day(4)},
    ]
    assert client.get("/sitemap-tags.xml?p=4").status_code == 404
