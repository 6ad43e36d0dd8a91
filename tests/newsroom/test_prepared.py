"""Prepared queries: the SQL is compiled once per database, and every run returns exactly what
the QuerySet it was written as returns, for whichever ids it is given."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from catalog.models import Credit, Show
from newsroom.prepared import PreparedQuery
from tests import factories as f

pytestmark = pytest.mark.django_db


def credits_of(show_id):
    return Credit.objects.filter(show_id=show_id).in_billing_order().values_list("person__name", "role")


def test_rows_are_the_querysets_rows_for_each_id():
    first, second = f.show(), f.show()
    for i, name in enumerate(["Maggie Q", "Titus Welliver", "Rebecca Field"]):
        f.credit(f.person(name), first, order=i)
    f.credit(f.person("Michael Connelly"), second, role=Credit.Role.SOURCE_AUTHOR)
    prepared = PreparedQuery(credits_of, "show_id")

    for show in (first, second, first):
        assert prepared.rows(show_id=show.pk) == list(credits_of(show.pk))
    assert prepared.rows(show_id=second.pk + first.pk + 1000) == []


def test_the_queryset_is_built_and_compiled_once():
    show = f.show()
    f.credit(f.person(), show)
    built = []

    def build(show_id):
        built.append(show_id)
        return credits_of(show_id)

    prepared = PreparedQuery(build, "show_id")
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            assert len(prepared.rows(show_id=show.pk)) == 1
        assert len(queries) == 1

    # Once to learn the model it reads, once to compile: never again per run.
    assert len(built) == 2


def test_several_parameters_each_bound_where_they_belong():
    a, b = f.show(year_start=2001), f.show(year_start=2002)
    prepared = PreparedQuery(
        lambda low, high: Show.objects.filter(pk__gte=low, pk__lte=high).order_by("pk").values_list("pk", "year_start"),
        "low", "high",
    )

    assert prepared.rows(low=a.pk, high=b.pk) == [(a.pk, 2001), (b.pk, 2002)]
    assert prepared.rows(low=b.pk, high=b.pk) == [(b.pk, 2002)]
    assert prepared.rows(low=b.pk, high=a.pk) == []


def test_values_are_converted_as_the_queryset_converts_them():
    show = f.show(poster_renditions={"renditions": [{"name": "a.webp", "width": 480}]})

    def build(pk):
        return Show.objects.filter(pk=pk).values_list("poster_renditions", "created_at", "year_start")

    assert PreparedQuery(build, "pk").rows(pk=show.pk) == list(build(show.pk))


def test_a_datetime_parameter_is_bound_as_the_field_binds_it():
    show = f.show()
    story = f.article(main_show=show)
    cutoff = story.published_at
    prepared = PreparedQuery(
        lambda show_id, now: Article.objects.filter(main_show_id=show_id, published_at__lte=now).values_list("pk"),
        "show_id", "now",
    )

    assert prepared.rows(show_id=show.pk, now=cutoff) == [(story.pk,)]
    assert prepared.rows(show_id=show.pk, now=cutoff - timedelta(microseconds=1)) == []


def test_a_parameter_the_sql_does_not_use_is_refused():
    prepared = PreparedQuery(lambda show_id, unused: credits_of(show_id), "show_id", "unused")

    with pytest.raises(ValueError, match="unused"):
        prepared.rows(show_id=1, unused=2)


def test_objects_are_the_querysets_objects_with_related_rows_and_annotations():
    network = f.company("Prime Video")
    show = f.show("Ballard", network=network)
    f.article(main_show=show, kind=Article.Kind.RENEWAL)

    def build(slug):
        return Show.objects.select_related("network", "spinoff_of").with_effective_status().filter(slug=slug)

    prepared = PreparedQuery(build, "slug")
    found = prepared.first(slug="ballard")
    expected = build("ballard").get()

    assert found == expected and found._state.db == expected._state.db and not found._state.adding
    assert found.network.name == "Prime Video" and found.spinoff_of is None
    assert (found.effective_status, found.status_story_id) == (expected.effective_status, expected.status_story_id)
    assert prepared.first(slug="bosch") is None


def test_objects_need_no_query_for_what_was_selected(django_assert_num_queries):
    show = f.show(network=f.company())
    prepared = PreparedQuery(lambda pk: Show.objects.select_related("network").filter(pk=pk), "pk")

    with django_assert_num_queries(1):
        found = prepared.first(pk=show.pk)
        assert found.network.get_absolute_url() == show.network.get_absolute_url()
