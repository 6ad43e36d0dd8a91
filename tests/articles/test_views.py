"""The public story pages: home, the story list, a story, an author, a tag."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.utils import timezone

from articles.models import Article
from catalog.models import Credit, Show
from tests import factories as f
from tests.page import Page

pytestmark = pytest.mark.django_db

# The queries each page runs, whatever the amount of data (see the *_query_count tests).
HOME_QUERIES = 2  # latest stories, latest renewals (cards carry their bylines)
LIST_QUERIES = 2  # count, one page of stories
STORY_QUERIES = 5  # story with show/network/source, bylines, tags, mentions, show credits
AUTHOR_QUERIES = 2  # author, stories
TAG_QUERIES = 3  # tag, stories, shows


def hidden_stories() -> list[Article]:
    """One story in each state the public must never see."""
    return [
        f.article("Hidden draft", status=Article.Status.DRAFT, tags=["renewals"]),
        f.article("Hidden review", status=Article.Status.IN_REVIEW),
        f.article(
            "Hidden scheduled",
            status=Article.Status.SCHEDULED,
            published_at=timezone.now() + timedelta(days=1),
        ),
        f.article("Hidden future", published_at=timezone.now() + timedelta(hours=2)),
        f.article(
            "Hidden archived",
            status=Article.Status.ARCHIVED,
            published_at=timezone.now() - timedelta(days=3),
        ),
    ]


# Home


def test_home_lists_latest_stories_and_latest_renewals(client):
    w = f.renewal_scenario()
    news = f.article("A casting story", kind=Article.Kind.CASTING)
    cancelled = f.article(
        "A show is cancelled",
        kind=Article.Kind.CANCELLATION,
        published_at=timezone.now() - timedelta(days=2),
    )
    hidden = hidden_stories()

    page = Page(client.get("/"))

    assert page.response.status_code == 200
    latest = page.link_texts("//main")
    assert latest[w.story.get_absolute_url()] == w.story.title
    assert latest[news.get_absolute_url()] == news.title
    renewals = page.link_texts("//aside")
    assert set(renewals) >= {w.story.get_absolute_url(), cancelled.get_absolute_url()}
    assert news.get_absolute_url() not in renewals
    assert "/news/" in page.hrefs("//main")
    for story in hidden:
        assert story.title not in page.html


def test_home_says_so_when_nothing_is_published(client):
    hidden_stories()
    page = Page(client.get("/"))
    assert page.response.status_code == 200
    assert "No stories have been published yet." in page.words("//main")


@pytest.mark.parametrize("n", [3, 30])
def test_home_query_count_does_not_grow(client, django_assert_num_queries, n):
    writer = f.author()
    for i in range(n):
        kind = Article.Kind.RENEWAL if i % 2 else Article.Kind.NEWS
        f.article(authors=[writer, f.author()], kind=kind, main_show=f.show())
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200


# Story list


def test_story_list_paginates_by_twenty_newest_first(client):
    now = timezone.now()
    stories = [f.article(f"Story number {i}", published_at=now - timedelta(hours=i + 1)) for i in range(25)]
    hidden = hidden_stories()

    first = Page(client.get("/news/"))
    second = Page(client.get("/news/?page=2"))

    first_links = [h for h in first.hrefs("//main") if h.startswith("/news/2")]
    assert first_links == [s.get_absolute_url() for s in stories[:20]]
    second_links = [h for h in second.hrefs("//main") if h.startswith("/news/2")]
    assert second_links == [s.get_absolute_url() for s in stories[20:]]
    for story in hidden:
        assert story.get_absolute_url() not in first.html + second.html

    nav = first.one('//nav[@aria-label="Pages"]')
    current = nav.xpath('.//a[@aria-current="page"]')
    assert [a.get("href") for a in current] == ["?page=1"]
    assert "?page=2" in nav.xpath(".//a/@href")
    assert second.one('//nav[@aria-label="Pages"]//a[@rel="prev"]').get("href") == "?page=1"
    assert client.get("/news/?page=3").status_code == 404


def test_story_list_has_no_pagination_for_one_page(client):
    f.article()
    page = Page(client.get("/news/"))
    assert page.find('//nav[@aria-label="Pages"]') == []


@pytest.mark.parametrize("n", [3, 30])
def test_story_list_query_count_does_not_grow(client, django_assert_num_queries, n):
    for _ in range(n):
        f.article(authors=[f.author(), f.author()], main_show=f.show(network=f.company()))
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get("/news/").status_code == 200


# One story


def test_story_page_shows_headline_byline_source_hero_body_and_tags(client):
    w = f.renewal_scenario()
    second_writer = f.author("Second Writer")
    w.story.bylines.create(author=second_writer, order=1)

    page = Page(client.get(w.story.get_absolute_url()))

    assert page.response.status_code == 200
    assert page.words("//h1") == w.story.title
    assert w.story.dek in page.words("//main")
    bylines = page.find('//main//a[@rel="author"]/@href')
    assert bylines == [w.writer.get_absolute_url(), "/authors/second-writer/"]
    time = page.one("//main//header//time")
    shown = datetime.fromisoformat(time.get("datetime"))
    assert shown == w.story.published_at.replace(microsecond=0)
    assert shown.utcoffset() == timezone.localtime(w.story.published_at).utcoffset()
    source = page.link_texts('//*[contains(@class, "story__source")]')
    assert source["/companies/deadline/"] == "Deadline"
    assert "https://example.com/ballard-renewed" in source
    hero = page.one('//figure[contains(@class, "story__hero")]')
    assert hero.xpath(".//img/@alt") == ["Maggie Q in a scene from the first season"]
    assert hero.xpath(".//img/@src")[0].endswith(".png")
    assert "Courtesy of Prime Video" in hero.text_content()
    assert page.link_texts("//main//footer")["/tags/renewals/"] == "renewals"


def test_story_body_is_the_linked_body_in_one_element(client):
    w = f.renewal_scenario()
    page = Page(client.get(w.story.get_absolute_url()))
    body = page.one('//*[@id="story-body"]')
    assert body.xpath(".//a/@href") == [
        "/companies/prime-video/",
        "/shows/ballard/",
        "/people/maggie-q/",
        "/people/courtney-taylor/",
        "/shows/bosch/",
    ]


def test_story_body_falls_back_to_the_sanitized_body_before_linking(client):
    story = f.article("Unlinked", body="<p>Plain <em>text</em> here.</p>", body_html="")
    page = Page(client.get(story.get_absolute_url()))
    body = page.one('//*[@id="story-body"]')
    assert body.xpath(".//em/text()") == ["text"]


def test_story_page_has_the_main_show_box(client):
    w = f.renewal_scenario()
    page = Page(client.get(w.story.get_absolute_url()))
    box = page.one('//section[contains(@class, "show-box")]')
    links = {a.get("href"): " ".join(a.text_content().split()) for a in box.xpath(".//a")}
    assert links["/companies/prime-video/"] == "Prime Video"
    assert "/shows/ballard/" in links
    assert "Renewed" in box.text_content()


def test_cast_and_crew_panel_lists_credits_then_people_named(client):
    w = f.renewal_scenario()
    page = Page(client.get(w.story.get_absolute_url()))
    panel = page.one('//section[contains(@class, "cast-crew")]')
    groups = [" ".join(h.text_content().split()) for h in panel.xpath(".//h3")]
    assert groups == [
        "Cast",
        "Created by",
        "Executive producers",
        "Co-executive producers",
        "Directors",
        "Also in this story",
    ]
    cast = panel.xpath(".//h3[.='Cast']/following-sibling::ul[1]/li")[0]
    assert cast.xpath(".//a/@href") == ["/people/maggie-q/"]
    assert "as Renée Ballard" in cast.text_content()
    producers = panel.xpath(".//h3[.='Executive producers']/following-sibling::ul[1]//a/@href")
    assert producers == ["/people/michael-connelly/", "/people/henrik-bastin/"]
    also = panel.xpath(".//h3[.='Also in this story']/following-sibling::ul[1]//a/@href")
    assert also == ["/people/courtney-taylor/"]
    # An excluded mention is nowhere on the page.
    assert "/people/titus-welliver/" not in page.hrefs()
    # Every name in the panel links to a person page.
    assert all(href.startswith("/people/") for href in panel.xpath(".//a/@href"))


def test_story_without_main_show_lists_the_people_it_names(client):
    story = f.article("A casting roundup", kind=Article.Kind.CASTING)
    actor = f.person("Amy Hill")
    f.mention(story, actor, character="A neighbour")
    page = Page(client.get(story.get_absolute_url()))
    panel = page.one('//section[contains(@class, "cast-crew")]')
    assert panel.xpath(".//a/@href") == ["/people/amy-hill/"]
    assert "as A neighbour" in panel.text_content()
    assert page.find('//section[contains(@class, "show-box")]') == []


def test_story_json_ld_is_a_news_article_about_the_show_with_its_mentions(client, settings):
    settings.SITE_URL = "https://news.example.com"
    settings.SITE_NAME = "The Desk"
    w = f.renewal_scenario()
    page = Page(client.get(w.story.get_absolute_url()))

    [data] = page.jsonld()
    base = "https://news.example.com"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == w.story.title
    assert data["url"] == base + w.story.get_absolute_url()
    published = datetime.fromisoformat(data["datePublished"])
    assert published == w.story.published_at.replace(microsecond=0)
    assert published.utcoffset() == timezone.localtime(w.story.published_at).utcoffset()
    assert datetime.fromisoformat(data["dateModified"]) >= published
    assert data["author"] == [
        {"@type": "Person", "name": "Staff Writer", "url": base + "/authors/staff-writer/"}
    ]
    assert data["publisher"] == {"@type": "Organization", "name": "The Desk", "url": base + "/"}
    assert data["about"] == {"@type": "TVSeries", "name": "Ballard", "url": base + "/shows/ballard/"}
    assert data["image"].startswith(base + "/media/")
    mentions = {(m["@type"], m["url"]) for m in data["mentions"]}
    assert mentions == {
        ("Organization", base + "/companies/prime-video/"),
        ("TVSeries", base + "/shows/ballard/"),
        ("Person", base + "/people/maggie-q/"),
        ("Person", base + "/people/courtney-taylor/"),
        ("TVSeries", base + "/shows/bosch/"),
    }
    # Credited only (cast & crew panel), excluded by an editor: not mentions.
    urls = {m["url"] for m in data["mentions"]}
    assert base + "/people/michael-connelly/" not in urls
    assert base + "/people/titus-welliver/" not in urls


def test_story_json_ld_about_a_film_is_a_movie(client):
    film = f.show("A Star Is Born", kind=Show.Kind.FILM, year_start=2018)
    story = f.article("A film story", main_show=film)
    f.mention(story, film)
    [data] = Page(client.get(story.get_absolute_url())).jsonld()
    assert data["about"]["@type"] == "Movie"
    assert [m["@type"] for m in data["mentions"]] == ["Movie"]


def test_story_json_ld_cannot_break_out_of_its_script_tag(client):
    title = 'Fans cheer </script><script>alert("x")</script> & more'
    story = f.article(title, dek="<b>bold</b> claims", body="<p>Sanitized body.</p>")
    page = Page(client.get(story.get_absolute_url()))
    raw = page.html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in raw and ">" not in raw and "&" not in raw
    [data] = page.jsonld()
    assert data["headline"] == title
    assert data["description"] == "<b>bold</b> claims"
    assert page.find("//script[not(@type='application/ld+json')]") == []


def test_story_address_uses_the_date_in_the_site_time_zone(client, settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    # 06:30 UTC on the 10th is 23:30 on the 9th in Los Angeles.
    story = f.article("Late night news", published_at=datetime(2025, 10, 10, 6, 30, tzinfo=UTC))
    assert story.get_absolute_url() == "/news/2025/10/09/late-night-news/"
    assert client.get("/news/2025/10/09/late-night-news/").status_code == 200
    assert client.get("/news/2025/10/10/late-night-news/").status_code == 404
    assert client.get("/news/2025/10/9/late-night-news/").status_code == 404
    assert client.get("/news/2024/10/09/late-night-news/").status_code == 404


def test_unknown_story_is_404(client):
    f.article("Something real")
    today = timezone.localtime()
    assert client.get(f"/news/{today:%Y/%m/%d}/no-such-story/").status_code == 404


@pytest.mark.parametrize("index", range(5))
def test_unpublished_stories_are_404_to_the_public(client, index):
    story = hidden_stories()[index]
    response = client.get(story.get_absolute_url())
    assert response.status_code == 404
    assert story.title not in response.content.decode()


def test_staff_who_edit_stories_preview_a_draft_uncached(client):
    draft = f.article("Embargoed renewal", status=Article.Status.DRAFT)
    editor = User.objects.create_user("editor", password="pw", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_article"))
    reader = User.objects.create_user("reader", password="pw")
    client.force_login(reader)
    assert client.get(draft.get_absolute_url()).status_code == 404

    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    page = Page(response)
    assert "Preview" in page.words('//*[contains(@class, "notice")]')
    assert page.find('//meta[@name="robots"]/@content') == ["noindex"]


@pytest.mark.parametrize("n", [3, 30])
def test_story_query_count_does_not_grow(client, django_assert_num_queries, n):
    """The same queries with 3 or 30 credits, mentions, bylines and tags."""
    network = f.company()
    main = f.show(network=network)
    story = f.article(main_show=main, authors=[f.author() for _ in range(min(n, 5))])
    story.tags.add(*[f"topic {i}" for i in range(n)])
    for i in range(n):
        person = f.person()
        f.credit(person, main, character=f"Character {i}", order=i)
        f.credit(f.person(), main, Credit.Role.EXECUTIVE_PRODUCER, order=i)
        f.mention(story, f.person(), position=i)
        f.mention(story, f.show(), position=1000 + i)
        f.mention(story, f.company(), position=2000 + i)
    with django_assert_num_queries(STORY_QUERIES):
        assert client.get(story.get_absolute_url()).status_code == 200


# Author


def test_author_page_shows_bio_and_their_published_stories(client):
    w = f.renewal_scenario()
    other = f.article("Someone else's story", authors=[f.author()])
    draft = f.article("Their draft", status=Article.Status.DRAFT, authors=[w.writer])

    page = Page(client.get(w.writer.get_absolute_url()))

    assert page.response.status_code == 200
    assert page.words("//h1") == "Staff Writer"
    assert "Covers television." in page.words("//main")
    links = page.hrefs("//main")
    assert w.story.get_absolute_url() in links
    assert other.get_absolute_url() not in links
    assert draft.title not in page.html
    [data] = page.jsonld()
    assert data["@type"] == "Person"
    assert data["url"].endswith("/authors/staff-writer/")


def test_author_page_lists_only_the_twenty_newest(client):
    writer = f.author()
    now = timezone.now()
    stories = [f.article(authors=[writer], published_at=now - timedelta(hours=i + 1)) for i in range(25)]
    page = Page(client.get(writer.get_absolute_url()))
    listed = [h for h in page.hrefs("//main") if h.startswith("/news/")]
    assert listed == [s.get_absolute_url() for s in stories[:20]]


def test_unknown_author_is_404(client):
    assert client.get("/authors/nobody/").status_code == 404


@pytest.mark.parametrize("n", [3, 30])
def test_author_query_count_does_not_grow(client, django_assert_num_queries, n):
    writer = f.author()
    for _ in range(n):
        f.article(authors=[writer, f.author()], main_show=f.show())
    with django_assert_num_queries(AUTHOR_QUERIES):
        assert client.get(writer.get_absolute_url()).status_code == 200


# Tag


def test_tag_page_lists_stories_and_shows_with_the_tag(client):
    w = f.renewal_scenario()
    untagged = f.article("Untagged story")
    drama = f.show("Another drama", tags=["crime drama"])
    f.article("Drama story", tags=["crime drama"])

    renewals = Page(client.get("/tags/renewals/"))
    assert renewals.response.status_code == 200
    assert renewals.words("//h1") == "renewals"
    assert w.story.get_absolute_url() in renewals.hrefs("//main")
    assert untagged.get_absolute_url() not in renewals.hrefs()

    crime = Page(client.get("/tags/crime-drama/"))
    shows = crime.hrefs("//aside")
    assert set(shows) == {"/shows/ballard/", drama.get_absolute_url()}


def test_tag_page_never_lists_unpublished_stories(client):
    hidden = hidden_stories()
    f.article("Published renewal", tags=["renewals"])
    page = Page(client.get("/tags/renewals/"))
    for story in hidden:
        assert story.title not in page.html


def test_unknown_tag_and_tag_only_on_drafts_are_404(client):
    f.article("Secret", status=Article.Status.DRAFT, tags=["secret project"])
    assert client.get("/tags/no-such-tag/").status_code == 404
    assert client.get("/tags/secret-project/").status_code == 404


@pytest.mark.parametrize("n", [3, 30])
def test_tag_query_count_does_not_grow(client, django_assert_num_queries, n):
    for _ in range(n):
        f.article(tags=["renewals"], authors=[f.author()], main_show=f.show())
        f.show(tags=["renewals"], network=f.company())
    with django_assert_num_queries(TAG_QUERIES):
        assert client.get("/tags/renewals/").status_code == 200


@pytest.mark.parametrize(
    "path, current",
    [("/", "/"), ("/news/", "/news/"), ("/renewals/", "/renewals/"), ("/search/?q=x", "/search/")],
)
def test_main_navigation_links_every_section_and_marks_the_current_one(client, path, current):
    page = Page(client.get(path))
    nav = page.one('//header//nav[@aria-label="Main"]')
    assert nav.xpath(".//a/@href") == ["/", "/news/", "/renewals/", "/search/"]
    assert nav.xpath(".//a/text()") == ["Home", "News", "Renewals", "Search"]
    assert nav.xpath('.//a[@aria-current="page"]/@href') == [current]
    assert page.one('//header//p[@class="site-name"]/a').get("href") == "/"


def test_main_navigation_marks_nothing_on_a_story(client):
    story = f.article()
    nav = Page(client.get(story.get_absolute_url())).one('//header//nav[@aria-label="Main"]')
    assert nav.xpath('.//a[@aria-current="page"]') == []


def test_home_lists_are_bounded_newest_first_with_their_bylines(client):
    now = timezone.now()
    writer, other = f.author("A Staff Writer"), f.author("A Second Writer")
    renewals = [
        f.article(f"Renewal {i}", kind=Article.Kind.RENEWAL, authors=[writer, other],
                  published_at=now - timedelta(hours=i + 1))
        for i in range(8)
    ]
    page = Page(client.get("/"))

    side = [h for h in page.hrefs("//aside") if h.startswith("/news/2")]
    assert side == [story.get_absolute_url() for story in renewals[:6]]
    main = [h for h in page.hrefs("//main") if h.startswith("/news/2")]
    assert main == [story.get_absolute_url() for story in renewals[:8]]
    bylines = page.find('//aside//span[@class="byline"]')
    assert len(bylines) == 6
    assert all(" ".join(b.text_content().split()) == "By A Staff Writer and A Second Writer" for b in bylines)


def test_tag_page_lists_its_shows_or_says_there_are_none(client):
    f.article("Tagged story", tags=["heists"])
    empty = Page(client.get("/tags/heists/"))
    assert empty.words('//aside[@aria-labelledby="shows-heading"]//p[@class="empty"]') == "No shows carry this tag."

    f.show("The Vault", year_start=2024, tags=["heists"], network=f.company("Streamer One"))
    listed = Page(client.get("/tags/heists/"))
    items = [" ".join(li.text_content().split()) for li in listed.find('//aside[@aria-labelledby="shows-heading"]//li')]
    assert items == ["The Vault (series, 2024, Streamer One)"]
