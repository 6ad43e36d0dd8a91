"""Changelist searches through each table's own index (newsroom/changelist.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:articles_article_changelist")
PEOPLE = reverse("admin:catalog_person_changelist")
SHOWS = reverse("admin:catalog_show_changelist")


def _shown(admin_client, url, q) -> list[int]:
    response = admin_client.get(url, {"q": q})
    assert response.status_code == 200
    return [obj.pk for obj in response.context["cl"].result_list]


def test_stories_are_found_by_their_own_text_and_by_their_show_title(admin_client):
    harbour = f.show("Harbour Lights")
    by_show = f.article("A quiet finale", main_show=harbour)
    by_title = f.article("Harbour towns on screen", main_show=f.show("Elsewhere"))
    f.article("Unrelated news", main_show=f.show("Other"))
    assert set(_shown(admin_client, ARTICLES, "harbour")) == {by_show.pk, by_title.pk}
    # every word must match some field, as in Django's search
    assert _shown(admin_client, ARTICLES, "harbour finale") == [by_show.pk]
    assert _shown(admin_client, ARTICLES, '"quiet finale"') == [by_show.pk]
    assert _shown(admin_client, ARTICLES, "nowhere") == []


def test_search_keeps_the_changelist_ordering(admin_client):
    names = ["Hiro Zed", "Ann Hiroshi", "Hiroko Mills", "Bea Hirono"]
    for name in names:
        f.person(name)
    f.person("Someone Else")
    found = admin_client.get(PEOPLE, {"q": "hiro"}).context["cl"].result_list
    assert [p.name for p in found] == sorted(names)
    found = admin_client.get(PEOPLE, {"q": "hiro", "o": "-1"}).context["cl"].result_list
    assert [p.name for p in found] == sorted(names, reverse=True)


@pytest.mark.parametrize(("url", "make"), [
    (ARTICLES, lambda i: f.article(f"Hiro story {i}", main_show=f.show(f"Hiro show {i}"))),
    (PEOPLE, lambda i: f.person(f"Hiro Person {i}")),
    (SHOWS, lambda i: f.show(f"Hiro show {i}")),
])  # fmt: skip
def test_search_queries_do_not_grow(admin_client, url, make):
    admin_client.get(url)
    for i in range(3):
        make(i)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url, {"q": "hiro"}).context["cl"].result_count == 3
    for i in range(3, 30):
        make(i)
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(url, {"q": "hiro"}).context["cl"].result_count == 30
    assert len(many) == len(few)
    if url == ARTICLES:  # the story's show is matched in a subquery, not joined in the count
        counts = [q["sql"] for q in many.captured_queries if "COUNT(" in q["sql"]]
        assert counts and not any('JOIN "catalog_show"' in sql for sql in counts)
