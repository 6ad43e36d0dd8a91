"""The gazetteer is built once per catalog version and rebuilt when any process changes the
catalog: the version lives in the database, not in a module global."""

import pytest
from django.db.models import F

from articles.gazetteer import (
    PERSON,
    SHOW,
    build_gazetteer,
    clear_gazetteer_cache,
    get_gazetteer,
    make_ref,
)
from catalog.models import CatalogVersion, Person
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_gazetteer_is_built_once_per_catalog_version(django_assert_num_queries):
    clear_gazetteer_cache()
    f.person("Maggie Q")
    first = get_gazetteer()
    with django_assert_num_queries(1):  # the version stamp, nothing else
        assert get_gazetteer() is first


def test_a_catalog_change_in_this_process_rebuilds_it():
    first = get_gazetteer()
    person = f.person("Titus Welliver")
    second = get_gazetteer()
    assert second is not first
    assert second.lookup("Titus Welliver") == [make_ref(PERSON, person.pk)]


def test_a_change_written_by_another_process_rebuilds_it():
    """Another worker writes a row (no signal runs here: bulk_create sends none) and bumps
    the version in the database; this process hears of it from the database alone."""
    f.person("Maggie Q")
    get_gazetteer()
    Person.objects.bulk_create(
        [Person(name="Courtney Taylor", slug="courtney-taylor", key="courtney-taylor")]
    )
    assert get_gazetteer().lookup("Courtney Taylor") == []
    CatalogVersion.objects.filter(pk=1).update(version=F("version") + 1)
    assert len(get_gazetteer().lookup("Courtney Taylor")) == 1


def test_aliases_are_names_too():
    show = f.show("Law & Order: Special Victims Unit", aliases=["SVU"])
    assert get_gazetteer().lookup("SVU") == [make_ref(SHOW, show.pk)]


def test_an_in_memory_catalog_builds_the_same_matcher():
    gaz = build_gazetteer(people=[(1, "Maggie Q", [])], shows=[(7, "Bosch: Legacy", ["Legacy"])])
    assert gaz.lookup("maggie q") == [make_ref(PERSON, 1)]
    assert gaz.lookup("Bosch Legacy") == [make_ref(SHOW, 7)]
    assert gaz.lookup("Legacy") == [make_ref(SHOW, 7)]
    assert gaz.stats()["names"] == 3
