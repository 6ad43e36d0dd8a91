"""Search-engine and social metadata on every page type: title, description, canonical URL,
Open Graph and Twitter card tags, feed links, and schema.org JSON-LD read back with extruct
and held to what schema.org and the design ask of each type."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

import extruct
import pytest

from articles.models import Article
from tests import factories as f
from tests.page import Page

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"

# What each schema.org type must carry here (schema.org marks nothing as required; these are
# the properties search engines need and the design names).
EXPECTED = {
    "NewsArticle": {"headline", "datePublished", "author", "publisher", "url"},
    "TVSeries": {"name", "url"},
    "Movie": {"name", "url"},
    "Person": {"name", "url"},
    "Organization": {"name", "url"},
    "PerformanceRole": {"actor", "characterName"},
    "TVSeason": {"seasonNumber"},
    "WebSite": {"name", "url", "potentialAction"},
    "SearchAction": {"target", "query-input"},
    "EntryPoint": {"urlTemplate"},
    "BreadcrumbList": {"itemListElement"},
    "ListItem": {"position", "name", "item"},
}
URL_PROPERTIES = {"url", "item", "sameAs", "image", "mainEntityOfPage"}


@pytest.fixture
def world(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Desk"
    # The hero image's renditions are made after the commit, as in production.
    with django_capture_on_commit_callbacks(execute=True):
        w = f.renewal_scenario()
    w.story.refresh_from_db()
    return w


def pages(w) -> dict[str, tuple[str, str]]:
    """Page type -> (URL asked for, canonical path)."""
    return {
        "home": ("/", "/"),
        "story list": ("/news/", "/news/"),
        "story": (w.story.get_absolute_url(), w.story.get_absolute_url()),
        "show": ("/shows/ballard/", "/shows/ballard/"),
        "person": ("/people/maggie-q/", "/people/maggie-q/"),
        "company": ("/companies/prime-video/", "/companies/prime-video/"),
        "tag": ("/tags/renewals/", "/tags/renewals/"),
        "author": (w.writer.get_absolute_url(), w.writer.get_absolute_url()),
        "scorecard": ("/renewals/?status=renewed", "/renewals/"),
        "search": ("/search/?q=Renee", "/search/?q=Renee"),
    }


def nodes(data):
    """Every JSON-LD object, nested ones included."""
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from nodes(value)
    elif isinstance(data, list):
        for item in data:
            yield from nodes(item)


def urls_in(node: dict) -> list[str]:
    found = []
    for key in URL_PROPERTIES & node.keys():
        value = node[key]
        found += value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return found


def extract(page: Page, url: str) -> list[dict]:
    return extruct.extract(page.html, base_url=SITE + url, syntaxes=["json-ld"])["json-ld"]


def test_every_page_has_title_description_canonical_and_social_cards(client, world):
    for kind, (url, canonical) in pages(world).items():
        page = Page(client.get(url))
        assert page.response.status_code == 200, kind
        title = page.words("//title")
        assert "The Desk" in title and len(title) > len("The Desk — "), kind
        [description] = page.meta("description")
        assert 20 < len(description) <= 200, kind
        assert page.find('//link[@rel="canonical"]/@href') == [SITE + canonical], kind
        assert page.meta("og:url") == [SITE + canonical], kind
        assert page.meta("og:site_name") == ["The Desk"], kind
        [og_title] = page.meta("og:title")
        assert og_title and og_title in title, kind
        assert page.meta("og:description") == [description], kind
        assert page.meta("og:type")[0] in {"website", "article", "profile", "video.tv_show"}, kind
        assert page.meta("twitter:card")[0] in {"summary", "summary_large_image"}, kind
        assert page.meta("twitter:title") == [og_title], kind
        assert page.meta("twitter:description") == [description], kind


def test_story_cards_carry_the_hero_image_as_a_webp_rendition(client, world):
    page = Page(client.get(world.story.get_absolute_url()))
    assert page.meta("og:type") == ["article"]
    [image] = page.meta("og:image")
    assert image.startswith(SITE + "/media/renditions/") and image.endswith(".webp")
    assert page.meta("twitter:image") == [image]
    assert page.meta("twitter:card") == ["summary_large_image"]
    assert page.meta("og:image:alt") == page.meta("twitter:image:alt") == [world.story.hero_alt]
    width, height = int(page.meta("og:image:width")[0]), int(page.meta("og:image:height")[0])
    assert (width, height) == (8, 6)  # the factory's image: never enlarged
    published = datetime.fromisoformat(page.meta("article:published_time")[0])
    assert published == world.story.published_at.replace(microsecond=0)
    assert page.meta("article:tag") == ["renewals"]
    # The image on the page itself: srcset from the same renditions, size set, not lazy.
    img = page.one('//figure[@class="story__hero"]//img')
    assert ".webp" in img.get("srcset") and img.get("sizes")
    assert (img.get("width"), img.get("height")) == ("8", "6")
    assert img.get("loading") == "eager"


def test_pages_without_an_image_get_a_summary_card(client, world):
    page = Page(client.get("/companies/prime-video/"))
    assert page.meta("twitter:card") == ["summary"]
    assert page.meta("og:image") == []


def test_story_list_pages_have_their_own_canonical(client, world):
    for n in range(25):
        f.article(f"Story {n}")
    page = Page(client.get("/news/?page=2"))
    assert page.find('//link[@rel="canonical"]/@href') == [SITE + "/news/?page=2"]
    assert "page 2" in page.words("//title")


def test_profiles_and_the_home_page_advertise_their_feeds(client, world):
    for url in ["/", "/shows/ballard/", "/people/maggie-q/", "/companies/prime-video/", "/tags/renewals/", world.writer.get_absolute_url()]:
        page = Page(client.get(url))
        rss = page.find('//link[@rel="alternate"][@type="application/rss+xml"]/@href')
        atom = page.find('//link[@rel="alternate"][@type="application/atom+xml"]/@href')
        assert len(rss) == len(atom) == 1, url
        assert client.get(rss[0]).status_code == 200, url
        assert client.get(atom[0])["Content-Type"].startswith("application/atom+xml"), url


def test_every_json_ld_node_has_what_its_schema_org_type_needs(client, world):
    for kind, (url, _) in pages(world).items():
        found = extract(Page(client.get(url)), url)
        assert found, kind
        for top in found:
            assert top["@context"] == "https://schema.org", kind
        for node in nodes(found):
            node_type = node.get("@type")
            if node_type is None:
                continue
            assert node_type in EXPECTED, (kind, node_type)
            missing = EXPECTED[node_type] - node.keys()
            assert not missing, (kind, node_type, missing)
            for address in urls_in(node):
                assert urlsplit(address).scheme == "https" and urlsplit(address).netloc, (kind, address)


def test_every_page_but_home_has_a_breadcrumb_trail_ending_at_itself(client, world):
    for kind, (url, canonical) in pages(world).items():
        page = Page(client.get(url))
        trails = [d for d in extract(page, url) if d["@type"] == "BreadcrumbList"]
        if kind == "home":
            assert trails == []
            continue
        [trail] = trails
        steps = trail["itemListElement"]
        assert [s["position"] for s in steps] == list(range(1, len(steps) + 1)), kind
        assert (steps[0]["name"], steps[0]["item"]) == ("The Desk", SITE + "/"), kind
        assert steps[-1]["item"] == SITE + canonical, kind
        assert len(steps) >= 2, kind


def test_show_breadcrumbs_pass_through_its_platform(client, world):
    page = Page(client.get("/shows/ballard/"))
    assert page.breadcrumbs() == [
        ("The Desk", SITE + "/"),
        ("Prime Video", SITE + "/companies/prime-video/"),
        ("Ballard", SITE + "/shows/ballard/"),
    ]


def test_story_json_ld_is_a_news_article_about_its_show_mentioning_what_it_names(client, world):
    url = world.story.get_absolute_url()
    [article] = [d for d in extract(Page(client.get(url)), url) if d["@type"] == "NewsArticle"]
    assert article["headline"] == world.story.title
    assert datetime.fromisoformat(article["datePublished"]) == world.story.published_at.replace(microsecond=0)
    assert article["author"] == [{"@type": "Person", "name": "Staff Writer", "url": SITE + world.writer.get_absolute_url()}]
    assert article["publisher"]["@type"] == "Organization"
    assert article["about"] == {"@type": "TVSeries", "name": "Ballard", "url": SITE + "/shows/ballard/"}
    named = {(m["@type"], m["url"]) for m in article["mentions"]}
    assert named == {
        ("Organization", SITE + "/companies/prime-video/"),
        ("TVSeries", SITE + "/shows/ballard/"),
        ("TVSeries", SITE + "/shows/bosch/"),
        ("Person", SITE + "/people/maggie-q/"),
        ("Person", SITE + "/people/courtney-taylor/"),
    }


def test_show_json_ld_has_roles_crew_and_seasons(client, world):
    [series] = [d for d in extract(Page(client.get("/shows/ballard/")), "/shows/ballard/") if d["@type"] == "TVSeries"]
    roles = {(r["actor"]["name"], r["characterName"]) for r in series["actor"]}
    assert ("Maggie Q", "Renée Ballard") in roles
    assert all(r["@type"] == "PerformanceRole" and r["actor"]["url"].startswith(SITE) for r in series["actor"])
    assert {p["name"] for p in series["creator"]} == {"Michael Connelly"}
    assert {p["name"] for p in series["director"]} == {"Jet Wilkinson"}
    assert [s["seasonNumber"] for s in series["containsSeason"]] == [1]
    assert "https://www.imdb.com/title/tt29274555/" in series["sameAs"]


def test_home_json_ld_is_a_website_with_its_search(client, world):
    [site] = extract(Page(client.get("/")), "/")
    assert site["@type"] == "WebSite"
    template = site["potentialAction"]["target"]["urlTemplate"]
    assert template == SITE + "/search/?q={search_term_string}"
    assert client.get(template.replace(SITE, "").replace("{search_term_string}", "Ballard")).status_code == 200


def test_a_draft_preview_is_noindex_and_still_described(client, world):
    client.force_login(f.editor())
    draft = f.article("An unannounced renewal", status=Article.Status.DRAFT)
    page = Page(client.get(draft.get_absolute_url()))
    assert page.meta("robots") == ["noindex"]
    assert page.meta("og:title") == ["An unannounced renewal"]


def test_404_is_described_and_noindex(client, world):
    page = Page(client.get("/shows/not-a-show/"))
    assert page.response.status_code == 404
    assert page.meta("robots") == ["noindex"]
    assert page.words("//title") == "Page not found — The Desk"
    assert page.find('//link[@rel="canonical"]/@href') == []  # the address may name a secret
