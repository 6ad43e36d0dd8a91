from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from catalog.models import Company, Show
from newsroom.search import MAX_QUERY_LENGTH, fold, normalize_query, search
from tests import factories as f
from tests.page import Page

pytestmark = pytest.mark.django_db

NAUGHTY = [
    "'; DROP TABLE articles_article; --",
    "' OR 1=1 --",
    '"unterminated phrase',
    "<script>alert(1)</script>",
    "%",
    "_",
    "\\",
    "\x00ballard\x00",
    "&|!():*<->",
    "-",
    "OR",
    "🎬📺",
    "שלום עולם",
    "a" * 5000,
    "Renée's “quoted” show",
    "ren\u0065\u0301e",  # e + combining acute accent
]


def found(results) -> list[str]:
    return [hit.card.title if hit.card else hit.entry.name for hit in results.hits]


def entries(results) -> list[tuple[str, int]]:
    return [(hit.kind, hit.pk) for hit in results.hits]


def test_fold_removes_accents_case_and_markup():
    assert fold("Renée") == fold("RENEE") == fold("ren\u0065\u0301e") == "renee"
    assert fold("<p>Søren &amp; <b>Zoë</b></p>").split() == ["soren", "&", "zoe"]
    assert fold("O\u2019Brien") == "o'brien"
    assert fold(None) == ""


def test_normalize_query_makes_input_safe_to_search():
    assert normalize_query("  Maggie \x00\t Q \n") == "Maggie Q"
    assert normalize_query(None) == ""
    assert len(normalize_query("x" * 5000)) == MAX_QUERY_LENGTH


def test_search_is_accent_insensitive_both_ways():
    renee = f.person("Renée Elise Goldsberry")
    story = f.article("Renee Zellweger joins a limited series")

    assert str(renee) in found(search("Renee"))
    assert str(story) in found(search("Renée"))
    assert str(renee) in found(search("RENÉE goldsberry"))


def test_search_finds_every_kind():
    prime = f.company("Prime Video", aliases=["Amazon Prime Video"])
    ballard = f.show("Ballard", network=prime)
    maggie = f.person("Maggie Q")
    story = f.article("Ballard renewed at Prime Video", dek="Maggie Q returns.")

    results = search("Ballard")
    assert {hit.kind for hit in results.hits} == {"show", "story"}
    assert set(entries(results)) == {("show", ballard.pk), ("story", story.pk)}
    assert set(entries(search("maggie"))) == {("person", maggie.pk), ("story", story.pk)}
    assert ("company", prime.pk) in entries(search("amazon prime"))


def test_exact_name_comes_first_then_title_before_body():
    ballard = f.show("Ballard")
    body_only = f.article("A quiet week", body="<p>Ballard and others.</p>", published_at=timezone.now() - timedelta(minutes=5))
    in_title = f.article("Ballard renewed", published_at=timezone.now() - timedelta(hours=3))

    assert entries(search("ballard")) == [("show", ballard.pk), ("story", in_title.pk), ("story", body_only.pk)]


def test_search_ignores_unpublished_stories_and_markup():
    f.article("Draft about Ballard", status=Article.Status.DRAFT)
    f.article("Future Ballard story", status=Article.Status.SCHEDULED, published_at=timezone.now() + timedelta(hours=1))
    f.article("Bold claim", body="<p><strong>Nothing</strong> here</p>")

    assert found(search("ballard")) == []
    assert found(search("strong")) == []


def test_every_word_must_match():
    f.article("Ballard renewed")
    f.article("Bosch renewed")

    assert found(search("ballard renewed")) == ["Ballard renewed"]


def test_search_is_paginated_and_forgives_bad_page_numbers():
    for n in range(25):
        f.article(f"Ballard story {n}", published_at=timezone.now() - timedelta(hours=n + 1))

    first = search("ballard")
    second = search("ballard", page=2)

    assert first.total == 25
    assert len(first.hits) == 20 and len(second.hits) == 5
    assert not set(found(first)) & set(found(second))
    assert found(search("ballard", page="abc")) == found(first)
    assert found(search("ballard", page="99999999999999999999")) == found(second)
    assert found(search("ballard", page=None)) == found(first)


@pytest.mark.parametrize("query", NAUGHTY)
def test_naughty_queries_never_fail(query):
    f.article("Ballard renewed", dek="Renée returns")
    f.person("Renée Ballard")

    results = search(query)

    assert results.query == normalize_query(query)
    assert "\x00" not in results.query
    assert results.total == len(results.hits) <= 20


def test_accented_decomposed_query_matches():
    f.person("Renée Elise Goldsberry")
    assert found(search("ren\u0065\u0301e")) == ["Renée Elise Goldsberry"]


def test_empty_query_finds_nothing_without_querying(django_assert_num_queries):
    with django_assert_num_queries(0):
        results = search("   \x00  ")
    assert results.query == "" and results.total == 0


EVERY_KIND = ("story", "show", "person", "company")


def ballard_results(kinds: tuple[str, ...], count: int) -> None:
    """``count`` results for "ballard" of each of ``kinds``, each with what its kind shows."""
    network = f.company("Network")
    for n in range(count):
        if "story" in kinds:
            # Its show is not found: its title lacks the word.
            f.article(f"Ballard story {n}", authors=[f.author(), f.author()], main_show=f.show(network=network))
        if "show" in kinds:
            f.show(f"Ballard {n}", network=network, year_start=2020, status=Show.Status.RENEWED)
        if "person" in kinds:
            f.person(f"Ballard person {n}", aliases=[f"Ballard alias {n}"])
        if "company" in kinds:
            f.company(f"Ballard company {n}")


@pytest.mark.parametrize("count", [3, 24])
@pytest.mark.parametrize("kinds", [EVERY_KIND, ("person",), ("story",), ("show",), ("company",)], ids="+".join)
def test_search_queries_stay_constant(django_assert_num_queries, kinds, count):
    ballard_results(kinds, count)

    # Four ranked candidate lists, each with what its results show (a story's bylines too):
    # the kinds found do not count.
    with django_assert_num_queries(4):
        results = search("ballard", per_page=100)
    assert len(results.hits) == results.total == len(kinds) * count
    assert {hit.kind for hit in results.hits} == set(kinds)

    with django_assert_num_queries(4):
        last = search("ballard", page=99)
    assert last.hits and len(last.hits) <= 20


def test_search_without_results_costs_the_same_queries(django_assert_num_queries):
    ballard_results(EVERY_KIND, 2)

    with django_assert_num_queries(4):
        results = search("nothing")
    assert results.total == 0 and results.hits == []


def result(page: Page, url: str):
    """The search result linking to ``url`` from its heading."""
    return page.one(f'//ol[@class="search-results"]/li[.//h2/a[@href="{url}"]]')


def text(element, xpath: str) -> str:
    return " ".join(element.xpath(f"string({xpath})").split())


def test_search_page_shows_what_each_result_is(client):
    network = f.company("Prime <b>Video</b> & Co")
    show = f.show("Ballard & <b>Co</b>", network=network, year_start=2025, status=Show.Status.RENEWED)
    f.show("Ballard Origins", kind=Show.Kind.FILM)
    person = f.person("Ballard <b>Maggie</b> & Q", aliases=["Maggie & Q", "<i>MQ</i>"])
    plain = f.person("Ballard Plain")
    company = f.company("Ballard Studios", kind=Company.Kind.STUDIO)
    first, second = f.author("Ann <b>Writer</b>"), f.author("Bob & Critic")
    story = f.article("Ballard <b>renewed</b> & more", dek="Season two & <i>more</i>", authors=[first, second], main_show=show)

    page = Page(client.get("/search/?q=ballard"))

    shown = result(page, show.get_absolute_url())
    assert text(shown, './/p[@class="card__kicker"]') == "Series"
    assert text(shown, ".//h2") == "Ballard & <b>Co</b>"
    assert text(shown, './/p[@class="card__meta"]') == "Prime <b>Video</b> & Co, 2025 · Renewed"
    film = page.one('//ol[@class="search-results"]/li[.//h2/a[text()="Ballard Origins"]]')
    assert text(film, './/p[@class="card__kicker"]') == "Film"
    assert film.xpath('.//p[@class="card__meta"]')[0].text is None  # nothing to say, as before

    someone = result(page, person.get_absolute_url())
    assert text(someone, './/p[@class="card__kicker"]') == "Person"
    assert text(someone, ".//h2") == "Ballard <b>Maggie</b> & Q"
    assert text(someone, './/p[@class="card__meta"]') == "Also known as Maggie & Q, <i>MQ</i>"
    assert result(page, plain.get_absolute_url()).xpath('.//p[@class="card__meta"]') == []

    studio = result(page, company.get_absolute_url())
    assert text(studio, './/p[@class="card__kicker"]') == "Company"
    assert text(studio, './/p[@class="card__meta"]') == "Studio"

    card = result(page, story.get_absolute_url())
    assert card.xpath('.//article[@class="card"]')
    assert text(card, ".//h2") == "Ballard <b>renewed</b> & more"
    assert text(card, './/p[@class="card__dek"]') == "Season two & <i>more</i>"
    assert text(card, './/p[@class="card__kicker"]') == "News · Ballard & <b>Co</b>"
    assert card.xpath('.//p[@class="card__kicker"]/a/@href') == [show.get_absolute_url()]
    bylines = card.xpath('.//span[@class="byline"]/a')
    assert [a.get("href") for a in bylines] == [first.get_absolute_url(), second.get_absolute_url()]
    assert [a.text for a in bylines] == ["Ann <b>Writer</b>", "Bob & Critic"]

    # Every name above was written as text: none of their markup reached the page.
    assert page.find('//ol[@class="search-results"]//b | //ol[@class="search-results"]//i') == []
    assert "Ballard &amp; &lt;b&gt;Co&lt;/b&gt;" in page.html


def test_postgres_engine_stems_words():
    if connection.vendor != "postgresql":
        pytest.skip("stemming is PostgreSQL full-text search")
    f.article("Ballard renewed for a second season")
    assert found(search("renewal")) == ["Ballard renewed for a second season"]


def test_postgres_engine_ranks_the_newest_matching_stories(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the bound on ranked stories is the PostgreSQL engine's")
    monkeypatch.setattr("newsroom.search.STORIES_RANKED", 2)
    now = timezone.now()
    for hours, title in enumerate(["Ballard renewed", "Ballard ratings", "Ballard Ballard Ballard"]):
        f.article(title, published_at=now - timedelta(hours=hours + 1))
    f.article("Ballard draft", status=Article.Status.DRAFT, published_at=None)

    # The oldest match ranks best on its own, but only the two newest are ranked.
    assert sorted(found(search("ballard"))) == ["Ballard ratings", "Ballard renewed"]
