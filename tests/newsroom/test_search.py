from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from newsroom.search import MAX_QUERY_LENGTH, fold, normalize_query, search
from tests import factories as f

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
    return [str(hit.obj) for hit in results.hits]


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
    assert {hit.obj for hit in results.hits} == {ballard, story}
    assert {hit.obj for hit in search("maggie").hits} == {maggie, story}
    assert prime in {hit.obj for hit in search("amazon prime").hits}


def test_exact_name_comes_first_then_title_before_body():
    ballard = f.show("Ballard")
    body_only = f.article("A quiet week", body="<p>Ballard and others.</p>", published_at=timezone.now() - timedelta(minutes=5))
    in_title = f.article("Ballard renewed", published_at=timezone.now() - timedelta(hours=3))

    assert [hit.obj for hit in search("ballard").hits] == [ballard, in_title, body_only]


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


@pytest.mark.parametrize("count", [3, 24])
def test_search_queries_stay_constant(django_assert_num_queries, count):
    network = f.company("Network")
    for n in range(count):
        f.article(f"Ballard story {n}", authors=[f.author()], main_show=f.show(f"Ballard {n}", network=network))
        f.person(f"Ballard person {n}")
        f.company(f"Ballard company {n}")

    # four ranked candidate lists, then the page: stories (+ bylines), shows, people, companies
    with django_assert_num_queries(9):
        results = search("ballard", per_page=100)
    assert len(results.hits) == results.total == 4 * count
    assert {hit.kind for hit in results.hits} == {"story", "show", "person", "company"}


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
