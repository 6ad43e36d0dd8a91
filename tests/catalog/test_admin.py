"""The catalog admin: every screen opens, searches, autocompletes, and stays cheap as rows grow."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Company, Credit, Person, Season, Show
from tests import factories as f

pytestmark = pytest.mark.django_db

CATALOG_MODELS = [m for m in admin.site._registry if m._meta.app_label == "catalog"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def catalog() -> dict:
    """A small connected catalog: one row of every model, every relation filled."""
    streamer = f.company("Prime Video", kind=Company.Kind.STREAMER, aliases=["Amazon Prime Video"])
    studio = f.company("Amazon MGM Studios", kind=Company.Kind.STUDIO)
    parent = f.show("Bosch", year_start=2014, network=streamer)
    show = f.show(
        "Ballard",
        year_start=2025,
        network=streamer,
        studios=[studio],
        spinoff_of=parent,
        tags=["crime drama"],
    )
    lead = f.person("Maggie Q")
    f.credit(lead, show, character="Renée Ballard", order=1)
    f.season(show, 1, episode_count=10)
    return {"streamer": streamer, "studio": studio, "show": show, "parent": parent, "lead": lead}


def test_every_catalog_model_is_registered():
    assert set(CATALOG_MODELS) >= {Company, Show, Season, Person, Credit}


@pytest.mark.parametrize("model", CATALOG_MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_add_and_change_pages_answer(admin_client, catalog, model):
    assert admin_client.get(url(model, "changelist")).status_code == 200
    assert admin_client.get(url(model, "add")).status_code == 200
    obj = model._default_manager.first()
    response = admin_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200
    assert str(obj) in response.content.decode()


SEARCHES = [
    (Company, "prime", "Prime Video", "Amazon MGM Studios"),
    (Company, "amazon prime", "Prime Video", "Amazon MGM Studios"),  # an alias
    (Show, "ballard", "Ballard", "Bosch"),
    (Person, "maggie", "Maggie Q", None),
    (Season, "ballard", "Ballard season 1", None),
    (Credit, "renée", "Maggie Q", None),
]


@pytest.mark.parametrize(("model", "term", "found", "not_found"), SEARCHES)
def test_changelist_search(admin_client, catalog, model, term, found, not_found):
    f.person("Titus Welliver")
    response = admin_client.get(url(model, "changelist"), {"q": term})
    assert response.status_code == 200
    shown = [str(obj) for obj in response.context["cl"].result_list]
    assert any(found in label for label in shown), shown
    if not_found:
        assert not any(label.startswith(not_found) for label in shown), shown
    missing = admin_client.get(url(model, "changelist"), {"q": "no such name anywhere"})
    assert list(missing.context["cl"].result_list) == []


@pytest.mark.parametrize(
    ("source_model", "field", "term", "expected", "unexpected"),
    [
        ("credit", "person", "magg", "Maggie Q", "Titus Welliver"),
        ("credit", "show", "ball", "Ballard (2025)", "Bosch (2014)"),
        ("show", "network", "prime", "Prime Video", "Amazon MGM Studios"),
        ("show", "studios", "mgm", "Amazon MGM Studios", "Prime Video"),
        ("show", "spinoff_of", "bos", "Bosch (2014)", "Ballard (2025)"),
        ("credit", "person", "", "Titus Welliver", None),
    ],
)
def test_autocomplete(admin_client, catalog, source_model, field, term, expected, unexpected):
    f.person("Titus Welliver")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "catalog", "model_name": source_model, "field_name": field, "term": term},
    )
    assert response.status_code == 200
    labels = [row["text"] for row in response.json()["results"]]
    assert expected in labels
    if unexpected:
        assert unexpected not in labels


def test_autocomplete_refuses_anonymous(client, catalog):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "catalog", "model_name": "credit", "field_name": "person", "term": "m"},
    )
    assert response.status_code == 302


def test_view_on_site_leads_to_the_public_page(admin_client, catalog):
    show = catalog["show"]
    page = admin_client.get(url(Show, "change", show.pk)).content.decode()
    content_type = ContentType.objects.get_for_model(Show)
    shortcut = reverse("admin:view_on_site", args=[content_type.pk, show.pk])
    assert shortcut in page
    response = admin_client.get(shortcut)
    assert response.status_code == 302
    assert response["Location"].endswith(show.get_absolute_url())


# Forms --------------------------------------------------------------------------------------


def company_post(**overrides) -> dict:
    data = {
        "name": "Netflix",
        "kind": "streamer",
        "aliases": "",
        "website": "",
        "description": "",
        "slug": "",
        "key": "",
        "wikidata_id": "",
    }
    data.update(overrides)
    return data


def test_aliases_are_edited_one_per_line(admin_client, catalog):
    streamer = catalog["streamer"]
    page = admin_client.get(url(Company, "change", streamer.pk)).content.decode()
    assert "Amazon Prime Video</textarea>" in page
    response = admin_client.post(
        url(Company, "change", streamer.pk),
        company_post(
            name="Prime Video",
            slug=streamer.slug,
            key=streamer.key,
            aliases="Amazon Prime Video\r\n\r\n  Amazon   Prime\r\namazon prime video\r\n",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    streamer.refresh_from_db()
    assert streamer.aliases == ["Amazon Prime Video", "Amazon Prime"]


@pytest.mark.parametrize(
    ("aliases", "message"),
    [("N", "too short"), ("Netflix", "already the name"), ("x" * 201, "at most 200")],
)
def test_bad_aliases_are_refused(admin_client, aliases, message):
    response = admin_client.post(url(Company, "add"), company_post(aliases=aliases))
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["aliases"])
    assert not Company.objects.filter(name="Netflix").exists()


def test_key_and_slug_are_made_when_left_empty(admin_client):
    response = admin_client.post(url(Company, "add"), company_post())
    assert response.status_code == 302
    company = Company.objects.get(name="Netflix")
    assert (company.slug, company.key) == ("netflix", "netflix")


def test_a_key_clash_is_a_form_error(admin_client):
    f.company("Something else", key="netflix", slug="something-else")
    response = admin_client.post(url(Company, "add"), company_post())
    assert response.status_code == 200
    assert "key" in response.context["adminform"].form.errors
    assert Company.objects.count() == 1


def show_post(**overrides) -> dict:
    data = {
        "title": "Bosch: Legacy",
        "kind": "series",
        "year_start": "2022",
        "year_end": "",
        "aliases": "Bosch Legacy",
        "tags": "crime drama, Bosch universe",
        "network": "",
        "studios": [],
        "spinoff_of": "",
        "status": "",
        "description": "",
        "slug": "",
        "key": "",
        "imdb_id": "",
        "tvmaze_id": "",
        "wikidata_id": "",
        "seasons-TOTAL_FORMS": "0",
        "seasons-INITIAL_FORMS": "0",
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_show_is_added_with_seasons_and_credits_inline(admin_client, catalog):
    welliver = f.person("Titus Welliver")
    response = admin_client.post(
        url(Show, "add"),
        show_post(
            network=catalog["streamer"].pk,
            studios=[catalog["studio"].pk],
            spinoff_of=catalog["parent"].pk,
            **{
                "seasons-TOTAL_FORMS": "1",
                "seasons-0-number": "1",
                "seasons-0-episode_count": "10",
                "seasons-0-status": "aired",
                "credits-TOTAL_FORMS": "2",
                "credits-0-person": welliver.pk,
                "credits-0-role": "cast",
                "credits-0-character": "Harry Bosch",
                "credits-0-order": "1",
                "credits-1-person": welliver.pk,
                "credits-1-role": "executive_producer",
                "credits-1-character": "",
                "credits-1-order": "0",
            },
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    show = Show.objects.get(key="bosch-legacy")
    assert show.aliases == ["Bosch Legacy"]
    assert show.spinoff_of == catalog["parent"]
    assert list(show.studios.all()) == [catalog["studio"]]
    assert sorted(show.tags.names()) == ["Bosch universe", "crime drama"]
    assert show.seasons.get().episode_count == 10
    assert set(show.credits.values_list("role", "character")) == {
        ("cast", "Harry Bosch"),
        ("executive_producer", ""),
    }


def test_person_page_edits_credits_inline(admin_client, catalog):
    lead = catalog["lead"]
    credit = lead.credits.get()
    response = admin_client.post(
        url(Person, "change", lead.pk),
        {
            "name": "Maggie Q",
            "aliases": "",
            "birth_year": "1979",
            "death_year": "",
            "bio": "",
            "headshot_alt": "",
            "slug": lead.slug,
            "key": lead.key,
            "imdb_id": "",
            "wikidata_id": "",
            "credits-TOTAL_FORMS": "2",
            "credits-INITIAL_FORMS": "1",
            "credits-0-id": credit.pk,
            "credits-0-person": lead.pk,
            "credits-0-show": catalog["show"].pk,
            "credits-0-role": "cast",
            "credits-0-character": "Renée Ballard",
            "credits-0-order": "1",
            "credits-1-person": lead.pk,
            "credits-1-show": catalog["parent"].pk,
            "credits-1-role": "producer",
            "credits-1-character": "",
            "credits-1-order": "0",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    lead.refresh_from_db()
    assert lead.birth_year == 1979
    assert lead.credits.count() == 2


# Query counts -------------------------------------------------------------------------------


def _company_rows(n: int) -> None:
    for _ in range(n):
        network = f.company()
        f.show(network=network)


def _show_rows(n: int) -> None:
    parent = f.show()
    for _ in range(n):
        network = f.company()
        show = f.show(
            network=network, spinoff_of=parent, studios=[network], tags=["drama", "crime"]
        )
        f.credit(f.person(), show)
        f.credit(f.person(), show, role=Credit.Role.DIRECTOR)
        f.season(show, 1)


def _season_rows(n: int) -> None:
    for _ in range(n):
        f.season(f.show(network=f.company()), 1)


def _person_rows(n: int) -> None:
    for _ in range(n):
        person = f.person()
        f.credit(person, f.show())
        f.credit(person, f.show(), role=Credit.Role.WRITER)


def _credit_rows(n: int) -> None:
    for _ in range(n):
        f.credit(f.person(), f.show(network=f.company()), character="Someone")


ROW_BUILDERS: dict[type, Callable[[int], None]] = {
    Company: _company_rows,
    Show: _show_rows,
    Season: _season_rows,
    Person: _person_rows,
    Credit: _credit_rows,
}


# Session and user, then: count(s), the page of rows, and whatever a list filter, the date
# hierarchy or a prefetch adds -- never one query per row.
CHANGELIST_QUERIES = {Company: 5, Show: 6, Season: 7, Person: 4, Credit: 4}


def test_every_catalog_changelist_has_a_row_builder():
    assert set(ROW_BUILDERS) == set(CATALOG_MODELS) == set(CHANGELIST_QUERIES)


@pytest.mark.parametrize("model", list(ROW_BUILDERS), ids=lambda m: m._meta.model_name)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model, django_assert_num_queries):
    build = ROW_BUILDERS[model]
    changelist = url(model, "changelist")
    build(3)
    admin_client.get(changelist)  # the first request of a session also saves it
    with CaptureQueriesContext(connection) as few:
        response = admin_client.get(changelist)
    assert response.context["cl"].result_count >= 3
    build(27)
    with django_assert_num_queries(len(few)):
        response = admin_client.get(changelist)
    assert response.context["cl"].result_count >= 30
    assert len(few) == CHANGELIST_QUERIES[model]


def test_show_and_person_pages_do_not_grow_with_credits(admin_client, django_assert_num_queries):
    """Inline rows label their autocomplete from the joined row, not a query each."""
    show, person = f.show("Bosch"), f.person("Titus Welliver")

    def add_credits(n: int) -> None:
        for _ in range(n):
            f.credit(f.person(), show, character="Someone")
            f.credit(person, f.show(), role=Credit.Role.PRODUCER)

    def count(page: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(page)
        assert response.status_code == 200
        return len(queries)

    pages = [url(Show, "change", show.pk), url(Person, "change", person.pk)]
    add_credits(3)
    for page in pages:
        admin_client.get(page)  # session and content-type caches
    few = [count(page) for page in pages]
    add_credits(27)
    for page, expected in zip(pages, few, strict=True):
        with django_assert_num_queries(expected):
            assert admin_client.get(page).status_code == 200
    show_page = admin_client.get(pages[0]).content.decode()
    for credit in show.credits.select_related("person"):
        assert (
            f'<option value="{credit.person_id}" selected>{credit.person.name}</option>'
            in show_page
        )
