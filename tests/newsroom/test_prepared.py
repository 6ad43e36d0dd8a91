"""Prepared queries: the SQL is compiled once per database, and every run returns exactly what
the QuerySet it was written as returns, for whichever ids it is given."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def test_columns_that_need_converting_are_refused():
    f.show()
    prepared = PreparedQuery(lambda pk: Show.objects.filter(pk__gte=pk).values_list("poster_renditions"), "pk")

    with pytest.raises(ValueError, match="conversion"):
        prepared.rows(pk=0)


def test_a_parameter_the_sql_does_not_use_is_refused():
    prepared = PreparedQuery(lambda show_id, unused: credits_of(show_id), "show_id", "unused")

    with pytest.raises(ValueError, match="unused"):
        prepared.rows(show_id=1, unused=2)
