"""The desk stays fast as the archive grows: constant queries for every role's changelist,
the desk filters and the autocompletes, and indexed searches on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import roles
from articles.models import Article, Author
from catalog.models import Company, Person, Show
from tests import factories as f

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _stories(n: int, writer) -> None:
    show = f.show()
    for i in range(n):
        status = [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.PUBLISHED][i % 3]
        f.article(status=status, created_by=writer, main_show=show,
                  authors=[f.author(user=None)], updated_by=writer)  # fmt: skip
        f.person(f"Maggie Person {i}")


def _queries(client, url, params) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as seen:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(seen), response


@pytest.mark.parametrize("role", [roles.WRITER, roles.EDITOR])
@pytest.mark.parametrize("params", [{}, {"desk": "mine"}, {"desk": "review"},
                                    {"desk": "scheduled"}, {"q": "story"}])  # fmt: skip
def test_changelist_queries_do_not_grow(client, role, params):
    user = f.staff_user("someone", role)
    client.force_login(user)
    client.get(CHANGELIST)  # the session's first request saves it
    _stories(3, user)
    few, _ = _queries(client, CHANGELIST, params)
    _stories(27, user)
    many, response = _queries(client, CHANGELIST, params)
    assert many == few
    assert response.context["cl"].result_count >= (0 if params else 30)


AUTOCOMPLETES = [
    ("articles", "article", "main_show", "show"),
    ("articles", "byline", "author", "writer"),
    ("articles", "mention", "person", "maggie"),
    ("articles", "suggestion", "article", "story"),
]


@pytest.mark.parametrize(("app", "model", "field", "term"), AUTOCOMPLETES)
def test_autocomplete_queries_do_not_grow(admin_client, app, model, field, term):
    params = {"app_label": app, "model_name": model, "field_name": field, "term": term}
    url = reverse("admin:autocomplete")
    admin_client.get(url, params)
    _stories(3, None)
    few, first = _queries(admin_client, url, params)
    _stories(27, None)
    many, _response = _queries(admin_client, url, params)
    assert many == few
    assert first.json()["results"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
@pytest.mark.parametrize(
    ("model", "search"),
    [(Person, "name"), (Show, "title"), (Company, "name"), (Author, "name")],
)
def test_admin_searches_use_the_trigram_indexes(model, search):
    from django.contrib import admin as django_admin
    from django.test import RequestFactory

    model_admin = django_admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = type("U", (), {"is_authenticated": True, "has_perm": lambda *a: True})()
    queryset, _ = model_admin.get_search_results(request, model.objects.all(), "maggie")
    with connection.cursor() as cursor:
        # Tiny test tables make any plan cheap; forbid the plain scans to see that a
        # trigram index can serve every ORed condition (a million rows choose it anyway).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "_trgm" in plan, plan
    assert "Seq Scan on " + model._meta.db_table not in plan, plan
