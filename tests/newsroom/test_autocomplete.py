"""The admin autocomplete pages without counting: one extra row says whether there is more."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("admin:autocomplete")
PARAMS = {"app_label": "catalog", "model_name": "credit", "field_name": "person"}


def _get(client, term: str, page: int | None = None):
    params = {**PARAMS, "term": term, **({"page": page} if page else {})}
    with CaptureQueriesContext(connection) as seen:
        response = client.get(URL, params)
    return response, [q["sql"] for q in seen.captured_queries]


@pytest.mark.parametrize(("people", "pages"), [(19, [(19, False)]), (20, [(20, False)]),
                                              (21, [(20, True), (1, False)]),
                                              (40, [(20, True), (20, False)])])  # fmt: skip
def test_pages_and_more_flag_at_boundaries(admin_client, people, pages):
    for i in range(people):
        f.person(f"Zelda Person {i:02d}")
    f.person("Someone Else")
    seen: list[str] = []
    for number, (size, more) in enumerate(pages, start=1):
        response, _ = _get(admin_client, "zelda", number)
        assert response.status_code == 200
        body = response.json()
        assert len(body["results"]) == size
        assert body["pagination"] == {"more": more}
        seen += [row["text"] for row in body["results"]]
    assert sorted(seen) == [f"Zelda Person {i:02d}" for i in range(people)]
    response, _ = _get(admin_client, "zelda", len(pages) + 1)
    assert response.status_code == 404


def test_prefix_matches_come_first(admin_client):
    f.person("Aaron Hirono")
    f.person("Hiroyuki Sanada")
    response, _ = _get(admin_client, "hiro")
    assert [row["text"] for row in response.json()["results"]] == ["Hiroyuki Sanada", "Aaron Hirono"]
    short, _ = _get(admin_client, "hi")  # too short to rank: the admin's ordering (by name)
    assert [row["text"] for row in short.json()["results"]] == ["Aaron Hirono", "Hiroyuki Sanada"]


@pytest.mark.parametrize("people", [3, 30])
def test_no_count_and_constant_queries(admin_client, django_assert_num_queries, people):
    admin_client.get(URL, {**PARAMS, "term": "x"})  # the session's first request saves it
    show = f.show()
    for i in range(people):
        f.credit(f.person(f"Counted Person {i}"), show)  # credits the changelist would count
    with django_assert_num_queries(3):  # session, user, one page of people
        response, queries = _get(admin_client, "counted")
    assert response.json()["pagination"]["more"] is (people > 20)
    assert not [sql for sql in queries if "COUNT(" in sql.upper()]


def test_bad_page_and_anonymous(client, admin_client):
    assert admin_client.get(URL, {**PARAMS, "term": "a", "page": "x"}).status_code == 404
    assert admin_client.get(URL, {**PARAMS, "term": "a", "page": "0"}).status_code == 404
    assert client.get(URL, {**PARAMS, "term": "a"}).status_code == 302
