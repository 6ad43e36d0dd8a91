"""import_catalog and export_catalog: the interchange JSON, its round trip and its errors."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog.importers import export_catalog, import_catalog, parse_catalog, read_catalog_file
from catalog.models import (
    Company,
    Credit,
    Person,
    Season,
    Show,
    TaggedShow,
    current_catalog_version,
)
from newsroom.importing import ImportFailed
from tests import factories

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "catalog"
SMALL = FIXTURES / "small.json"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def table_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Company, Show, Person, Credit, Season, TaggedShow, Show.studios.through)
    }


def exported() -> str:
    out = StringIO()
    export_catalog(out)
    return out.getvalue()


def write_json(tmp_path: Path, document, name: str = "catalog.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def small_document() -> dict:
    return json.loads(SMALL.read_text(encoding="utf-8"))


# -- importing ----------------------------------------------------------------------------------


def test_import_creates_the_catalog_the_file_describes():
    output = run("import_catalog", str(SMALL))

    ballard = Show.objects.get(key="ballard")
    assert ballard.title == "Ballard"
    assert ballard.network.key == "prime-video"
    assert ballard.spinoff_of.key == "bosch"
    assert [c.key for c in ballard.studios.all()] == ["amazon-mgm-studios"]
    assert sorted(t.name for t in ballard.tags.all()) == ["Bosch franchise", "crime drama"]
    assert list(ballard.seasons.values_list("number", "episode_count")) == [(1, 10)]
    bosch = Show.objects.get(key="bosch")
    assert (bosch.imdb_id, bosch.tvmaze_id, bosch.year_end, bosch.status) == (
        "tt3502248",
        1860,
        2021,
        "ended",
    )
    maggie = Person.objects.get(key="maggie-q")
    assert maggie.slug == "maggie-q" and maggie.birth_year == 1979
    lead = Credit.objects.get(show=ballard, person=maggie)
    assert (lead.role, lead.character, lead.order) == ("cast", "Renée Ballard", 1)
    assert Credit.objects.filter(show=ballard, role="source_author").count() == 1
    assert "companies: 3 created, 0 updated, 0 unchanged, 0 skipped" in output
    assert "credits: 6 created" in output


def test_second_run_changes_nothing_and_says_so():
    run("import_catalog", str(SMALL))
    before = table_counts()
    stamps = list(Show.objects.order_by("pk").values_list("updated_at", flat=True))
    version = current_catalog_version()

    output = run("import_catalog", str(SMALL))

    assert table_counts() == before
    assert list(Show.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
    assert current_catalog_version() == version
    assert "shows: 0 created, 0 updated, 2 unchanged, 0 skipped" in output
    assert "credits: 0 created, 0 updated, 6 unchanged, 0 skipped" in output


def test_import_bumps_the_catalog_version_so_gazetteers_rebuild():
    version = current_catalog_version()
    run("import_catalog", str(SMALL))
    assert current_catalog_version() > version


def test_reimport_updates_changed_fields_and_relations(tmp_path):
    run("import_catalog", str(SMALL))
    document = small_document()
    ballard = next(s for s in document["shows"] if s["key"] == "ballard")
    ballard["title"] = "Ballard: Cold Cases"
    ballard["studios"] = []
    ballard["tags"] = ["crime drama"]
    document["credits"][0]["order"] = 5
    version = current_catalog_version()

    output = run("import_catalog", str(write_json(tmp_path, document)))

    show = Show.objects.get(key="ballard")
    assert show.title == "Ballard: Cold Cases"
    assert show.slug == "ballard"
    assert list(show.studios.all()) == []
    assert [t.name for t in show.tags.all()] == ["crime drama"]
    assert Credit.objects.get(show=show, person__key="maggie-q").order == 5
    assert "shows: 0 created, 1 updated, 1 unchanged, 0 skipped" in output
    assert "credits: 0 created, 1 updated, 5 unchanged, 0 skipped" in output
    assert current_catalog_version() > version


def test_a_field_left_out_keeps_the_stored_value(tmp_path):
    run("import_catalog", str(SMALL))
    write_json(
        tmp_path,
        {"people": [{"key": "maggie-q", "name": "Maggie Q"}]},
    )
    run("import_catalog", str(tmp_path / "catalog.json"))
    assert Person.objects.get(key="maggie-q").birth_year == 1979


def test_references_may_point_at_rows_imported_earlier(tmp_path):
    run("import_catalog", str(SMALL))
    path = write_json(
        tmp_path,
        {
            "people": [{"key": "courtney-taylor", "name": "Courtney Taylor"}],
            "credits": [{"show": "ballard", "person": "courtney-taylor", "role": "cast"}],
        },
    )
    run("import_catalog", str(path))
    assert Credit.objects.filter(show__key="ballard", person__key="courtney-taylor").exists()


def test_new_rows_get_a_name_slug_when_their_key_is_taken_as_a_slug(tmp_path):
    factories.person("Someone Else", slug="maggie-q", key="other-key")
    run("import_catalog", str(SMALL))
    maggie = Person.objects.get(key="maggie-q")
    assert maggie.slug != "maggie-q"
    assert maggie.slug.startswith("maggie-q")


# -- dry run ------------------------------------------------------------------------------------


def test_dry_run_writes_nothing_and_prints_the_same_summary():
    version = current_catalog_version()
    dry = run("import_catalog", str(SMALL), "--dry-run")
    assert all(n == 0 for n in table_counts().values())
    assert current_catalog_version() == version

    real = run("import_catalog", str(SMALL))
    assert "nothing was written" in dry
    summary = [line for line in dry.splitlines() if "created" in line]
    assert summary
    assert summary == [line for line in real.splitlines() if "created" in line]


def test_dry_run_of_several_files_checks_later_files_against_earlier_ones(tmp_path):
    later = write_json(
        tmp_path,
        {"credits": [{"show": "bosch", "person": "maggie-q", "role": "cast", "character": "X"}]},
        "later.json",
    )
    output = run("import_catalog", str(SMALL), str(later), "--dry-run")
    assert "credits: 1 created" in output
    assert Show.objects.count() == 0


# -- round trip ---------------------------------------------------------------------------------


def build_varied_catalog() -> None:
    network = factories.company("A Network", kind=Company.Kind.NETWORK, aliases=["The Net"])
    studio = factories.company("A Studio", kind=Company.Kind.STUDIO, wikidata_id="Q42")
    parent = factories.show(
        "Parent Show",
        year_start=2001,
        year_end=2009,
        status=Show.Status.ENDED,
        network=network,
        studios=[network, studio],
        tags=["Drama", "franchise one"],
        imdb_id="tt0000001",
        tvmaze_id=77,
        description="Where it began.",
    )
    child = factories.show(
        "Child Show",
        kind=Show.Kind.MINISERIES,
        spinoff_of=parent,
        aliases=["The Child"],
        wikidata_id="Q99",
    )
    factories.show("A Film", kind=Show.Kind.FILM, year_start=1996)
    factories.season(parent, 1, episode_count=12, premiere_date="2001-09-01", status="aired")
    factories.season(parent, 2, is_final=True)
    lead = factories.person("Lead Actor", aliases=["L. Actor"], imdb_id="nm0000001", birth_year=1970)
    maker = factories.person("Show Maker", bio="Makes shows.", death_year=2020)
    factories.credit(lead, parent, character="The Lead", order=1)
    factories.credit(lead, parent, character="The Lead's Twin", order=2)
    factories.credit(lead, child, character="The Lead", order=1)
    factories.credit(maker, parent, Credit.Role.CREATOR)
    factories.credit(maker, child, Credit.Role.EXECUTIVE_PRODUCER, order=3)


def catalog_snapshot() -> dict:
    """Everything about the catalog that the interchange format carries, without row ids."""
    return {
        "companies": list(
            Company.objects.order_by("key").values_list(
                "key", "slug", "name", "kind", "aliases", "website", "description", "wikidata_id"
            )
        ),
        "shows": [
            (
                *(s.key, s.slug, s.title, s.kind, s.year_start, s.year_end, s.status),
                *(s.aliases, s.description, s.imdb_id, s.tvmaze_id, s.wikidata_id),
                s.network.key if s.network else None,
                s.spinoff_of.key if s.spinoff_of else None,
                sorted(c.key for c in s.studios.all()),
                sorted(t.name for t in s.tags.all()),
                sorted(
                    (x.number, x.premiere_date, x.episode_count, x.status, x.is_final)
                    for x in s.seasons.all()
                ),
            )
            for s in Show.objects.order_by("key")
        ],
        "people": list(
            Person.objects.order_by("key").values_list(
                "key", "slug", "name", "aliases", "bio", "birth_year", "death_year", "imdb_id"
            )
        ),
        "credits": sorted(
            Credit.objects.values_list("show__key", "person__key", "role", "character", "order")
        ),
    }


def test_round_trip_export_then_import_into_an_empty_database_gives_the_same_catalog(tmp_path):
    build_varied_catalog()
    run("import_catalog", str(SMALL))
    before = catalog_snapshot()
    path = tmp_path / "export.json"
    run("export_catalog", str(path))
    first_export = path.read_text(encoding="utf-8")

    for model in (Credit, Season, TaggedShow, Show, Person, Company):
        model.objects.all().delete()
    assert all(n == 0 for n in table_counts().values())

    run("import_catalog", str(path))

    assert catalog_snapshot() == before
    assert exported() == first_export
    assert json.loads(first_export)["credits"]


def test_export_to_standard_output_is_valid_interchange_json():
    run("import_catalog", str(SMALL))
    text = run("export_catalog")
    data = parse_catalog(text, source="stdout")
    assert {r.key for r in data.shows} == {"bosch", "ballard"}
    assert len(data.credits) == 6


# -- bad input ----------------------------------------------------------------------------------


def assert_refused(path: Path, *messages: str) -> None:
    before = table_counts()
    with pytest.raises(CommandError) as caught:
        run("import_catalog", str(path))
    text = str(caught.value)
    for message in messages:
        assert message in text
    assert "Nothing from that file was written" in text
    assert table_counts() == before


def test_unknown_reference_names_file_record_and_key(tmp_path):
    document = small_document()
    document["credits"][4]["person"] = "jane-doe"
    assert_refused(
        write_json(tmp_path, document),
        "catalog.json: credits[4].person: unknown person key 'jane-doe'",
    )


def test_unknown_company_reference_is_refused_before_anything_is_written(tmp_path):
    document = small_document()
    document["shows"][1]["studios"] = ["amazon-mgm-studios", "no-such-studio"]
    assert_refused(
        write_json(tmp_path, document),
        "catalog.json: shows[1].studios[1]: unknown company key 'no-such-studio'",
    )


def test_truncated_json_names_the_line(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text(SMALL.read_text(encoding="utf-8")[:700], encoding="utf-8")
    assert_refused(path, "cut.json line ", "invalid JSON")


def test_bad_encoding_is_refused(tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes('{"people": [{"key": "rene", "name": "Renée"}]}'.encode("latin-1"))
    assert_refused(path, "latin.json: not UTF-8 text (byte 0xe9")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"people": [{"key": "a", "name": "A"}, {"key": "a", "name": "B"}]},
            "people[1].key: duplicate key 'a' (first at people[0])",
        ),
        (
            {"shows": [{"key": "s", "title": "S", "imdb_id": "tt1234567"},
                       {"key": "t", "title": "T", "imdb_id": "tt1234567"}]},
            "shows[1].imdb_id: duplicate imdb_id 'tt1234567'",
        ),
        (
            {"people": [{"key": "a", "name": "A"}],
             "shows": [{"key": "s", "title": "S"}],
             "credits": [{"show": "s", "person": "a", "role": "cast"},
                         {"show": "s", "person": "a", "role": "cast"}]},
            "credits[1]: duplicate credit",
        ),
        (
            {"shows": [{"key": "s", "title": "S", "kind": "podcast"}]},
            "shows[0].kind: 'podcast' is not one of",
        ),
        (
            {"shows": [{"key": "s", "title": "S", "year_start": 2020, "year_end": 2010}]},
            "shows[0].year_end: 2010 is before year_start 2020",
        ),
        (
            {"people": [{"key": "a", "name": "A", "imdb_id": "12345"}]},
            "people[0].imdb_id: '12345' does not look like an IMDb name id",
        ),
        (
            {"people": [{"key": "a", "name": "A", "nickname": "x"}]},
            "people[0]: unknown field 'nickname'",
        ),
        (
            {"credits": [{"show": "s", "person": "a", "role": "director", "character": "X"}]},
            "credits[0].character: only cast credits name a character",
        ),
        ({"films": []}, "unknown section 'films'"),
        ([], "expected an object"),
    ],
)
def test_invalid_records_are_refused_with_their_place(tmp_path, document, message):
    assert_refused(write_json(tmp_path, document), f"catalog.json: {message}")


def test_duplicate_member_in_one_object_is_refused(tmp_path):
    path = tmp_path / "twice.json"
    path.write_text('{"people": [{"key": "a", "name": "A", "name": "B"}]}', encoding="utf-8")
    assert_refused(path, "twice.json: an object gives the field 'name' twice")


def test_external_id_held_by_another_row_is_an_error_not_a_crash(tmp_path):
    factories.show("Someone's Show", imdb_id="tt3502248", key="elsewhere")
    assert_refused(SMALL, "small.json: shows[0].imdb_id: 'tt3502248' already belongs to show 'elsewhere'")


def test_a_later_bad_record_leaves_the_whole_file_unwritten(tmp_path):
    document = small_document()
    document["credits"].append({"show": "ballard", "person": "nobody", "role": "cast"})
    assert_refused(write_json(tmp_path, document), "credits[6].person: unknown person key 'nobody'")
    assert not Company.objects.exists()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ImportFailed, match="cannot be read"):
        read_catalog_file(tmp_path / "absent.json")


def test_import_catalog_function_reports_the_same_counts_as_the_command():
    stats = import_catalog(read_catalog_file(SMALL))
    assert stats.created["shows"] == 2 and stats.created["credits"] == 6
    again = import_catalog(read_catalog_file(SMALL))
    assert not again.changed
    assert again.unchanged["people"] == 4
