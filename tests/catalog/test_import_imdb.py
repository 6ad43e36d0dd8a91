"""import_imdb: IMDb's TSV datasets (plain and gzipped) into shows, people, credits and tags."""

from __future__ import annotations

import fcntl
import gzip
import os
import shutil
import struct
import termios
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog.imdb import ImdbOptions, SeenIds, credit_role, import_imdb
from catalog.models import Credit, Person, Show, TaggedShow, current_catalog_version
from newsroom.importing import ImportFailed
from tests import factories

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imdb"
DATASETS = ("title.basics", "name.basics", "title.principals", "title.crew")


@pytest.fixture(params=[".tsv", ".tsv.gz"])
def imdb_dir(request, tmp_path) -> Path:
    """The fixture files, as plain TSV or gzipped as IMDb publishes them."""
    folder = tmp_path / "imdb"
    folder.mkdir()
    for name in DATASETS:
        source = FIXTURES / f"{name}.tsv"
        if request.param == ".tsv":
            shutil.copy(source, folder / source.name)
        else:
            with gzip.open(folder / f"{name}.tsv.gz", "wb") as out:
                out.write(source.read_bytes())
    return folder


@pytest.fixture
def plain_dir(tmp_path) -> Path:
    folder = tmp_path / "plain"
    shutil.copytree(FIXTURES, folder)
    return folder


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_imdb", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "shows": Show.objects.count(),
        "people": Person.objects.count(),
        "credits": Credit.objects.count(),
        "tags": TaggedShow.objects.count(),
    }


def credits_of(imdb_id: str) -> set[tuple[str, str, str]]:
    return set(
        Credit.objects.filter(show__imdb_id=imdb_id).values_list(
            "person__name", "role", "character"
        )
    )


def test_titles_become_shows_with_their_kind(imdb_dir):
    run(str(imdb_dir))
    kinds = dict(Show.objects.values_list("imdb_id", "kind"))
    assert kinds == {
        "tt0116282": "film",
        "tt2802850": "series",
        "tt3502248": "series",
        "tt5000003": "miniseries",
        "tt5000004": "special",
        "tt5000005": "film",
        "tt30301245": "series",
    }
    bosch = Show.objects.get(imdb_id="tt3502248")
    assert (bosch.title, bosch.year_start, bosch.year_end) == ("Bosch", 2014, 2021)
    assert bosch.key == "tt3502248"
    assert bosch.slug == "bosch"


def test_null_fields_stay_empty(imdb_dir):
    run(str(imdb_dir))
    special = Show.objects.get(imdb_id="tt5000004")
    assert (special.year_start, special.year_end, special.aliases) == (None, None, [])
    assert not special.tags.exists()
    assert Person.objects.get(imdb_id="nm0920038").death_year is None


def test_same_titled_shows_get_distinct_slugs_by_year(imdb_dir):
    run(str(imdb_dir))
    assert Show.objects.get(imdb_id="tt0116282").slug == "fargo"
    assert Show.objects.get(imdb_id="tt2802850").slug == "fargo-2014"


def test_original_title_becomes_an_alias(imdb_dir):
    run(str(imdb_dir))
    assert Show.objects.get(imdb_id="tt5000003").aliases == ["Los Años del Puerto"]
    assert Show.objects.get(imdb_id="tt3502248").aliases == []


def test_other_title_types_and_adult_titles_are_skipped_with_reasons(imdb_dir):
    output = run(str(imdb_dir))
    imported = set(Show.objects.values_list("imdb_id", flat=True))
    assert not imported & {"tt3502249", "tt5000001", "tt5000002", "tt5000006"}
    assert "skipped 1 shows: title type tvEpisode not selected" in output
    assert "skipped 1 shows: title type short not selected" in output
    assert "skipped 1 shows: title type videoGame not selected" in output
    assert "skipped 1 shows: adult title" in output


def test_title_types_option_takes_other_types_when_asked(imdb_dir):
    run(str(imdb_dir), "--title-types", "short,tvSeries")
    assert dict(Show.objects.values_list("imdb_id", "kind")) == {
        "tt5000001": "film",
        "tt2802850": "series",
        "tt3502248": "series",
        "tt30301245": "series",
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [("tvEpisode", "are not shows"), ("podcast", "unknown title type 'podcast'"), (",", "at least one")],
)
def test_title_types_option_refuses_what_cannot_be_a_show(imdb_dir, value, message):
    with pytest.raises(CommandError, match=message):
        run(str(imdb_dir), "--title-types", value)
    assert counts()["shows"] == 0


def test_people_are_imported_with_their_years(imdb_dir):
    run(str(imdb_dir))
    connelly = Person.objects.get(imdb_id="nm0176165")
    assert (connelly.name, connelly.birth_year, connelly.key, connelly.slug) == (
        "Michael Connelly",
        1956,
        "nm0176165",
        "michael-connelly",
    )
    assert Person.objects.get(imdb_id="nm4000001").death_year == 1980


def test_categories_become_roles_and_characters_come_from_the_json_list(imdb_dir):
    run(str(imdb_dir))
    assert credits_of("tt30301245") == {
        ("Maggie Q", "cast", "Renée Ballard"),
        ("Titus Welliver", "cast", "Harry Bosch / Himself"),
        ("Michael Connelly", "cast", "Self"),
        ("Michael Connelly", "producer", ""),
    }
    assert credits_of("tt3502248") == {
        ("Titus Welliver", "cast", "Harry Bosch"),
        ("Michael Connelly", "source_author", ""),
        ("Michael Connelly", "co_executive_producer", ""),
        ("Michael Connelly", "director", ""),  # from title.crew
    }
    assert credits_of("tt2802850") == {
        ("Noah Hawley", "creator", ""),
        ("Noah Hawley", "executive_producer", ""),
        ("Noah Hawley", "writer", ""),  # from title.crew
    }
    assert credits_of("tt0116282") == {
        ("Frances McDormand", "cast", "Marge Gunderson"),
        ("Joel Coen", "director", ""),
        ("Joel Coen", "writer", ""),
    }
    lead = Credit.objects.get(show__imdb_id="tt30301245", person__name="Maggie Q")
    assert lead.order == 1


@pytest.mark.parametrize(
    ("category", "job", "role"),
    [
        ("actor", "\\N", "cast"),
        ("actress", "\\N", "cast"),
        ("self", "\\N", "cast"),
        ("director", "\\N", "director"),
        ("writer", "\\N", "writer"),
        ("writer", "created by", "creator"),
        ("writer", "based on the book by", "source_author"),
        ("producer", "executive producer", "executive_producer"),
        ("producer", "co-executive producer", "co_executive_producer"),
        ("producer", "producer", "producer"),
        ("composer", "\\N", None),
        ("editor", "\\N", None),
    ],
)
def test_credit_role_mapping(category, job, role):
    assert credit_role(category, job) == role


def test_credits_whose_title_or_person_is_missing_are_skipped_with_reasons(imdb_dir):
    output = run(str(imdb_dir))
    assert "skipped 1 credits: category 'composer' is not a catalog role" in output
    assert (
        "skipped 1 credits: title not in the catalog (not imported or filtered out)" in output
    )
    assert "skipped 1 credits: person not in the catalog" in output


def test_genres_become_tags(imdb_dir):
    run(str(imdb_dir))
    ballard = Show.objects.get(imdb_id="tt30301245")
    assert sorted(t.name for t in ballard.tags.all()) == ["Crime", "Drama", "Mystery"]
    bosch = Show.objects.get(imdb_id="tt3502248")
    assert {t.pk for t in bosch.tags.all()} <= {t.pk for t in ballard.tags.all()}


def test_genres_join_existing_tags_whatever_their_case_and_keep_editors_tags(plain_dir):
    factories.show("Bosch", imdb_id="tt3502248", key="bosch", tags=["crime", "Bosch franchise"])
    run(str(plain_dir))
    bosch = Show.objects.get(imdb_id="tt3502248")
    names = sorted((t.name for t in bosch.tags.all()), key=str.lower)
    assert names == ["Bosch franchise", "crime", "Drama"]


def test_since_year_keeps_later_titles_and_their_credits_only(imdb_dir):
    output = run(str(imdb_dir), "--since-year", "2014")
    assert set(Show.objects.values_list("imdb_id", flat=True)) == {
        "tt2802850",
        "tt3502248",
        "tt5000005",
        "tt30301245",
    }
    assert not Credit.objects.filter(show__year_start__lt=2014).exists()
    assert "started before 2014 or year unknown" in output


def test_limit_reads_only_the_first_rows_of_each_file(imdb_dir):
    output = run(str(imdb_dir), "--limit", "3")
    assert set(Show.objects.values_list("imdb_id", flat=True)) == {
        "tt0116282",
        "tt2802850",
        "tt3502248",
    }
    assert Person.objects.count() == 3
    assert "title.basics.tsv" in output and "3 rows read" in output


def credit_summary(output: str) -> tuple[int, int, int]:
    line = next(line for line in output.splitlines() if line.startswith("credits: "))
    created, updated, unchanged = (int(part.split()[0]) for part in line[9:].split(", ")[:3])
    return created, updated, unchanged


def test_second_run_changes_nothing_and_says_so(imdb_dir):
    first = run(str(imdb_dir))
    before = counts()
    version = current_catalog_version()
    stamps = sorted(Person.objects.values_list("updated_at", flat=True))

    output = run(str(imdb_dir))

    assert counts() == before
    assert current_catalog_version() == version
    assert sorted(Person.objects.values_list("updated_at", flat=True)) == stamps
    assert "shows: 0 created, 0 updated, 7 unchanged" in output
    assert "people: 0 created, 0 updated, 7 unchanged" in output
    assert "show genre tags" not in output  # nothing to tell: no line, on either database
    # Every credit row read the first time (title.crew repeats some of title.principals').
    created, updated, unchanged = credit_summary(first)
    assert created == before["credits"]
    assert credit_summary(output) == (0, 0, created + updated + unchanged)


def test_import_bumps_the_catalog_version(imdb_dir):
    version = current_catalog_version()
    run(str(imdb_dir))
    assert current_catalog_version() > version


def test_upserts_by_imdb_id_keeping_the_rows_key_and_slug(plain_dir):
    bosch = factories.show("Bosch (old title)", imdb_id="tt3502248", key="bosch", slug="bosch-tv")
    welliver = factories.person("T. Welliver", imdb_id="nm0920038", key="titus")
    factories.credit(welliver, bosch, character="Harry Bosch", order=9)

    output = run(str(plain_dir))

    bosch.refresh_from_db()
    welliver.refresh_from_db()
    assert (bosch.key, bosch.slug, bosch.title, bosch.year_end) == (
        "bosch",
        "bosch-tv",
        "Bosch",
        2021,
    )
    assert (welliver.key, welliver.name) == ("titus", "Titus Welliver")
    assert Show.objects.filter(imdb_id="tt3502248").count() == 1
    credit = Credit.objects.get(show=bosch, person=welliver)
    assert credit.order == 1
    assert "shows: 6 created, 1 updated, 0 unchanged" in output
    assert "people: 6 created, 1 updated, 0 unchanged" in output


def test_a_catalog_key_equal_to_an_imdb_id_is_not_taken_over(plain_dir):
    factories.show("Something else", key="tt3502248", slug="something-else")
    run(str(plain_dir))
    assert Show.objects.get(imdb_id="tt3502248").key == "tt3502248-imdb"


def test_changed_rows_are_updated_on_the_next_run(plain_dir):
    run(str(plain_dir))
    path = plain_dir / "name.basics.tsv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Maggie Q\t1979", "Maggie Q\t1980"),
        encoding="utf-8",
    )
    output = run(str(plain_dir))
    assert Person.objects.get(imdb_id="nm0702572").birth_year == 1980
    assert "people: 0 created, 1 updated, 6 unchanged" in output


# -- dry run ------------------------------------------------------------------------------------


def test_dry_run_writes_nothing_and_prints_the_same_summary(imdb_dir):
    version = current_catalog_version()
    dry = run(str(imdb_dir), "--dry-run")
    assert counts() == {"shows": 0, "people": 0, "credits": 0, "tags": 0}
    assert current_catalog_version() == version
    assert "nothing was written" in dry

    real = run(str(imdb_dir))

    def summary(text: str) -> list[str]:
        return [line for line in text.splitlines() if " created, " in line or "skipped" in line]

    assert summary(dry)
    assert summary(dry) == summary(real)


# -- bad input ----------------------------------------------------------------------------------


def replace_line(path: Path, number: int, text: str) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[number - 1] = text.encode("utf-8") if isinstance(text, str) else text
    path.write_bytes(b"\n".join(lines))


def refused(folder: Path, *messages: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(str(folder))
    text = str(caught.value)
    for message in messages:
        assert message in text
    assert "Nothing from that file was written" in text
    return text


def test_wrong_column_count_names_file_and_line_and_writes_nothing_of_that_file(plain_dir):
    path = plain_dir / "title.principals.tsv"
    replace_line(path, 12, "tt3502249\t1\tnm0920038\tactor\t\\N")
    refused(plain_dir, "title.principals.tsv line 12: 5 columns, expected 6")
    # The files before it are imported; nothing of the principals is.
    assert Show.objects.count() == 7 and Person.objects.count() == 7
    assert not Credit.objects.exists()


def test_a_bad_line_after_many_batches_still_leaves_that_file_unwritten(plain_dir, monkeypatch):
    monkeypatch.setattr("catalog.imdb.BATCH", 2)
    path = plain_dir / "name.basics.tsv"
    path.write_text(path.read_text(encoding="utf-8") + "nm7000000\tCut Short\n", encoding="utf-8")
    refused(plain_dir, "name.basics.tsv line 9: 2 columns, expected 6")
    assert Show.objects.count() == 7
    assert not Person.objects.exists()


def test_gzipped_file_cut_short_is_refused(plain_dir):
    source = plain_dir / "title.basics.tsv"
    whole = gzip.compress(source.read_bytes())
    source.unlink()
    (plain_dir / "title.basics.tsv.gz").write_bytes(whole[:-20])
    refused(plain_dir, "title.basics.tsv.gz line ", "cannot be read")
    assert not Show.objects.exists()


def test_bad_encoding_names_the_line(plain_dir):
    replace_line(plain_dir / "name.basics.tsv", 3, "nm0702572\tMaggie \xe9\t1979\t\\N\tx\t\\N".encode("latin-1"))
    refused(plain_dir, "name.basics.tsv line 3: not UTF-8 (byte 0xe9")
    assert not Person.objects.exists()


def test_duplicate_ids_are_refused(plain_dir):
    path = plain_dir / "title.basics.tsv"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "tt3502248\ttvSeries\tBosch Again\t\\N\t0\t2014\t\\N\t\\N\t\\N\n",
        encoding="utf-8",
    )
    refused(plain_dir, "title.basics.tsv line 13: tt3502248 is given a second time")
    assert not Show.objects.exists()


@pytest.mark.parametrize(
    ("dataset", "line", "text", "message"),
    [
        ("title.basics", 1, "tconst\ttitleType\ttitle\toriginal\tadult\tstart\tend\truntime\tgenres",
         "title.basics.tsv line 1: header is"),
        ("title.basics", 2, "x116282\tmovie\tFargo\tFargo\t0\t1996\t\\N\t98\tCrime",
         "title.basics.tsv line 2: tconst 'x116282' is not an IMDb title id"),
        ("title.basics", 2, "tt0116282\tmovie\tFargo\tFargo\t0\tsoon\t\\N\t98\tCrime",
         "title.basics.tsv line 2: startYear 'soon' is not a year"),
        ("title.principals", 2, "tt0116282\tfirst\tnm0000531\tactress\t\\N\t\\N",
         "title.principals.tsv line 2: ordering 'first' is not a number"),
        ("title.principals", 2, "tt0116282\t1\tnm0000531\tactress\t\\N\t[Marge",
         "title.principals.tsv line 2: characters '[Marge' is not a JSON list of names"),
        ("title.crew", 3, "tt2802850\t\\N\tHawley",
         "title.crew.tsv line 3: 'Hawley' is not an IMDb name id"),
    ],
)  # fmt: skip
def test_malformed_fields_are_refused_with_file_and_line(plain_dir, dataset, line, text, message):
    replace_line(plain_dir / f"{dataset}.tsv", line, text)
    refused(plain_dir, message)


def test_empty_file_and_missing_folder_are_clear_errors(plain_dir, tmp_path):
    (plain_dir / "title.crew.tsv").write_text("", encoding="utf-8")
    refused(plain_dir, "title.crew.tsv: empty file")
    with pytest.raises(CommandError, match="not a folder"):
        run(str(tmp_path / "absent"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match="no IMDb dataset files"):
        run(str(tmp_path / "empty"))


def test_both_plain_and_gzipped_copies_are_refused(plain_dir):
    with gzip.open(plain_dir / "title.crew.tsv.gz", "wb") as out:
        out.write((plain_dir / "title.crew.tsv").read_bytes())
    with pytest.raises(CommandError, match=r"both title\.crew\.tsv\.gz and title\.crew\.tsv"):
        run(str(plain_dir))


# -- progress -----------------------------------------------------------------------------------


def test_quiet_lines_when_not_on_a_terminal(plain_dir):
    output = run(str(plain_dir))
    for name in DATASETS:
        assert any(
            line.startswith(f"{name}.tsv: ") and " MB in " in line for line in output.splitlines()
        )
    assert "\r" not in output


def test_progress_bar_on_a_terminal(plain_dir):
    master, slave = os.openpty()
    # A new pseudo-terminal is 0 columns wide; give it the size of a usual window.
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        with os.fdopen(slave, "w", closefd=False) as terminal:
            out = StringIO()
            call_command("import_imdb", str(plain_dir), stdout=out, stderr=terminal)
            terminal.flush()
        drawn = b""
        os.set_blocking(master, False)
        while True:
            try:
                chunk = os.read(master, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(master)
        os.close(slave)
    text = drawn.decode("utf-8", "replace")
    for name in DATASETS:
        assert f"\r{name}.tsv:   0%|" in text
    assert text.endswith("\r")  # the bars are cleared when their file is done
    assert " MB in " not in out.getvalue()
    assert "shows: 7 created" in out.getvalue()


def test_no_progress_at_verbosity_zero(plain_dir):
    out = StringIO()
    call_command("import_imdb", str(plain_dir), "-v0", stdout=out, stderr=StringIO())
    assert out.getvalue() == ""
    assert Show.objects.count() == 7


# -- the importable function ----------------------------------------------------------------------


def test_import_imdb_function_options_and_stats(plain_dir):
    stats = import_imdb(plain_dir, options=ImdbOptions(title_types=("movie",)))
    assert stats.created["shows"] == 1
    assert stats.unchanged["shows"] == 0
    assert set(Credit.objects.values_list("show__imdb_id", flat=True)) == {"tt0116282"}
    with pytest.raises(ImportFailed, match="--limit"):
        ImdbOptions(limit=-1)


def test_seen_ids_tell_a_second_occurrence():
    seen = SeenIds()
    assert seen.add("tt0000001") and seen.add("tt9999999") and seen.add("nm99999999999")
    assert not seen.add("tt0000001")
    assert not seen.add("nm99999999999")
    assert seen.add("tt0000002")
    assert "tt0000001" in seen and "nm99999999999" in seen and "tt9999999" in seen
    assert "tt0000003" not in seen and "tt99999999" not in seen and "nm99999999998" not in seen


@pytest.mark.parametrize(
    ("characters", "expected"),
    [
        ('["Harry Bosch"]', "Harry Bosch"),
        ('[" Harry Bosch "]', "Harry Bosch"),
        ('["A \\"Nick\\" Name"]', 'A "Nick" Name'),
        ('["One", "Two"]', "One / Two"),
        ('[""]', ""),
        ("\\N", ""),
    ],
)
def test_characters_are_read_as_json(plain_dir, characters, expected):
    replace_line(
        plain_dir / "title.principals.tsv", 2, f"tt0116282\t1\tnm0000531\tactress\t\\N\t{characters}"
    )
    run(str(plain_dir))
    assert Credit.objects.get(show__imdb_id="tt0116282", role="cast").character == expected


def test_a_bracket_alone_is_not_a_list_of_characters(plain_dir):
    replace_line(plain_dir / "title.principals.tsv", 2, 'tt0116282\t1\tnm0000531\tactress\t\\N\t["]')
    refused(plain_dir, "title.principals.tsv line 2: characters '[\"]' is not a JSON list")


def test_bad_byte_far_into_a_large_file_names_its_line(plain_dir):
    """Files are decoded a megabyte at a time; the error still names the line."""
    path = plain_dir / "name.basics.tsv"
    lines = path.read_bytes().splitlines()
    row = "nm{:07d}\tSomeone Number {}\t\\N\t\\N\tactor\t\\N"
    filler = [row.format(n, n).encode() for n in range(5000000, 5040000)]
    bad = "nm6000000\tA Name \xe9\t\\N\t\\N\tactor\t\\N".encode("latin-1")
    path.write_bytes(b"\n".join([*lines, *filler, bad, *filler[:10]]) + b"\n")
    assert path.stat().st_size > 1 << 20  # the bad line is in the second megabyte
    refused(plain_dir, f"name.basics.tsv line {len(lines) + len(filler) + 1}: not UTF-8 (byte 0xe9")
    assert not Person.objects.exists()


# -- indexes rebuilt after filling an empty table -----------------------------------------------


def schema_of_catalog_tables() -> dict[str, dict]:
    from django.db import connection

    tables = [m._meta.db_table for m in (Show, Person, Credit, TaggedShow)]
    with connection.cursor() as cursor:
        return {t: connection.introspection.get_constraints(cursor, t) for t in tables}


def test_indexes_dropped_while_filling_come_back_identical(plain_dir):
    from django.db import connection

    before = schema_of_catalog_tables()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'catalog_%%'"
            )
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
        definitions = sorted(cursor.fetchall())
    assert any(name.endswith("_idx") for name, _sql in definitions)  # plain indexes exist

    run(str(plain_dir))  # an empty catalog: the plain indexes are dropped and rebuilt

    assert Show.objects.count() and Credit.objects.count()
    assert schema_of_catalog_tables() == before
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'catalog_%%'"
            if connection.vendor == "postgresql"
            else "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
        )
        assert sorted(cursor.fetchall()) == definitions


def test_a_failed_file_gets_its_dropped_indexes_back(plain_dir):
    before = schema_of_catalog_tables()
    path = plain_dir / "name.basics.tsv"
    path.write_text(path.read_text(encoding="utf-8") + "nm9999999\tOnly two\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"name\.basics\.tsv line"):
        run(str(plain_dir))
    assert Person.objects.count() == 0
    assert schema_of_catalog_tables() == before


# -- slugs of new rows: the same whichever way the database chooses them --------------------------


def dataset_folder(tmp_path: Path, name: str, rows: list[str]) -> Path:
    """A folder holding one dataset file with the header and ``rows`` (tab-separated)."""
    from catalog.imdb import IMDB_COLUMNS

    folder = tmp_path / name
    folder.mkdir()
    lines = ["\t".join(IMDB_COLUMNS[name]), *rows]
    (folder / f"{name}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def title_row(tconst: str, title: str, year: str) -> str:
    return f"{tconst}\tmovie\t{title}\t{title}\t0\t{year}\t\\N\t90\tDrama"


def test_a_title_ending_in_a_year_does_not_take_a_slug_another_row_needs(tmp_path):
    """"Harbor Lights 2019" wants the slug the second 2019 "Harbor Lights" would take next:
    first come, first served, in file order."""
    folder = dataset_folder(
        tmp_path,
        "title.basics",
        [
            title_row("tt9000001", "Harbor Lights 2019", "2020"),
            title_row("tt9000002", "Harbor Lights", "2019"),
            title_row("tt9000003", "Harbor Lights", "2019"),
            title_row("tt9000004", "Harbor Lights", "2021"),
        ],
    )
    output = run(str(folder))
    assert dict(Show.objects.values_list("imdb_id", "slug")) == {
        "tt9000001": "harbor-lights-2019",
        "tt9000002": "harbor-lights",
        "tt9000003": "harbor-lights-tt9000003",
        "tt9000004": "harbor-lights-2021",
    }
    assert "shows: 4 created, 0 updated, 0 unchanged" in output
    assert TaggedShow.objects.count() == 4


def test_a_row_whose_every_slug_is_taken_gets_a_number(tmp_path):
    for slug in ("harbor-lights", "harbor-lights-2019", "harbor-lights-tt9000003"):
        factories.show("Harbor Lights", slug=slug, key=slug)
    folder = dataset_folder(
        tmp_path,
        "title.basics",
        [title_row("tt9000003", "Harbor Lights", "2019"), title_row("tt9000005", "Harbor Lights", "2019")],
    )
    output = run(str(folder))
    assert Show.objects.get(imdb_id="tt9000003").slug == "harbor-lights-tt9000003-2"
    assert Show.objects.get(imdb_id="tt9000005").slug == "harbor-lights-tt9000005"
    assert "shows: 2 created, 0 updated, 0 unchanged" in output


def test_people_sharing_a_name_take_name_year_then_name_id(tmp_path):
    factories.person("Ana Abara", slug="ana-abara", key="nm9000001")
    folder = dataset_folder(
        tmp_path,
        "name.basics",
        [
            "nm9000001\tAna Abara\t1970\t\\N\tactress\t\\N",
            "nm9000002\tAna Abara\t1970\t\\N\tactress\t\\N",
            "nm9000003\tAna Abara\t\\N\t\\N\tactress\t\\N",
            "nm9000004\tBo Castell\t\\N\t\\N\tactor\t\\N",
            "nm9000005\tBo Castell\t1981\t\\N\tactor\t\\N",
            "nm9000006\t!!!\t\\N\t\\N\tactor\t\\N",
        ],
    )
    output = run(str(folder))
    assert dict(Person.objects.filter(imdb_id__isnull=False).values_list("imdb_id", "slug")) == {
        "nm9000001": "ana-abara-1970",
        "nm9000002": "ana-abara-nm9000002",
        "nm9000003": "ana-abara-nm9000003",
        "nm9000004": "bo-castell",
        "nm9000005": "bo-castell-1981",
        "nm9000006": "nm9000006",
    }
    assert Person.objects.get(imdb_id="nm9000001").key == "nm9000001-imdb"
    assert "people: 6 created, 0 updated, 0 unchanged" in output
    assert "people: 0 created, 0 updated, 6 unchanged" in run(str(folder))


def test_an_updated_title_gains_its_original_title_as_an_alias_once(tmp_path):
    folder = dataset_folder(tmp_path, "title.basics", [title_row("tt9000001", "Harbor Lights", "2019")])
    run(str(folder))
    (folder / "title.basics.tsv").write_text(
        (folder / "title.basics.tsv").read_text(encoding="utf-8").replace(
            "Harbor Lights\tHarbor Lights", "Harbor Lights\tLuces del Puerto"
        ),
        encoding="utf-8",
    )
    assert "shows: 0 created, 1 updated, 0 unchanged" in run(str(folder))
    assert "shows: 0 created, 0 updated, 1 unchanged" in run(str(folder))
    assert Show.objects.get(imdb_id="tt9000001").aliases == ["Luces del Puerto"]


# -- re-runs: a title whose credit rows are unchanged is skipped by its digest -------------------


def digested(column: str) -> set[str]:
    from catalog.models import ImdbCreditsDigest

    return set(
        ImdbCreditsDigest.objects.filter(**{f"{column}__isnull": False}).values_list(
            "show__imdb_id", flat=True
        )
    )


def test_titles_whose_every_credit_was_applied_get_a_digest(plain_dir):
    run(str(plain_dir))
    # tt5000003's only principal is not in the catalog: it is matched again next time.
    assert digested("principals") == {"tt0116282", "tt2802850", "tt3502248", "tt30301245"}
    assert digested("crew") == {"tt0116282", "tt2802850", "tt3502248"}


def test_one_credit_changed_in_a_rerun_is_exactly_what_is_updated(plain_dir):
    first = credit_summary(run(str(plain_dir)))
    before = set(Credit.objects.values_list("show__imdb_id", "person__imdb_id", "role", "character", "order"))
    replace_line(
        plain_dir / "title.principals.tsv", 14, 'tt30301245\t7\tnm0920038\tactor\t\\N\t["Harry Bosch", "Himself"]'
    )

    output = run(str(plain_dir))

    assert credit_summary(output) == (0, 1, sum(first) - 1)
    after = set(Credit.objects.values_list("show__imdb_id", "person__imdb_id", "role", "character", "order"))
    assert before - after == {("tt30301245", "nm0920038", "cast", "Harry Bosch / Himself", 2)}
    assert after - before == {("tt30301245", "nm0920038", "cast", "Harry Bosch / Himself", 7)}
    assert credit_summary(run(str(plain_dir))) == (0, 0, sum(first))


def test_a_credit_an_editor_removed_or_reordered_is_put_back_on_the_next_run(plain_dir):
    first = credit_summary(run(str(plain_dir)))
    Credit.objects.get(show__imdb_id="tt30301245", person__imdb_id="nm0702572").delete()
    bosch = Credit.objects.get(show__imdb_id="tt3502248", role="cast")
    bosch.order = 9
    bosch.save()
    assert digested("principals") == {"tt0116282", "tt2802850"}

    output = run(str(plain_dir))

    assert credit_summary(output) == (1, 1, sum(first) - 2)
    assert Credit.objects.get(show__imdb_id="tt3502248", role="cast").order == 1
    assert digested("principals") == {"tt0116282", "tt2802850", "tt3502248", "tt30301245"}


def test_a_person_imported_later_gets_the_credits_of_an_already_imported_title(plain_dir):
    run(str(plain_dir))
    path = plain_dir / "name.basics.tsv"
    path.write_text(
        path.read_text(encoding="utf-8") + "nm9999999\tA Sailor Player\t\\N\t\\N\tactor\t\\N\n",
        encoding="utf-8",
    )
    output = run(str(plain_dir))
    assert "skipped 1 credits: person not in the catalog" not in output
    assert credits_of("tt5000003") == {("A Sailor Player", "cast", "A Sailor")}
    assert "tt5000003" in digested("principals")


def test_a_person_given_another_imdb_id_is_matched_again(plain_dir):
    run(str(plain_dir))
    coen = Person.objects.get(imdb_id="nm0001054")
    coen.imdb_id = "nm0000001"
    coen.save()
    assert "tt0116282" not in digested("principals") | digested("crew")
    assert "tt2802850" in digested("principals")

    output = run(str(plain_dir))

    # The file's nm0001054 is someone new now: their two principals become credits of that
    # new person (title.crew repeats them).
    assert "people: 1 created" in output
    assert credit_summary(output)[0] == 2
    assert Credit.objects.filter(person__imdb_id="nm0001054").count() == 2


def test_an_order_changed_by_a_catalog_import_drops_the_digest(plain_dir, tmp_path):
    import json

    from catalog.importers import export_catalog

    run(str(plain_dir))
    out = StringIO()
    export_catalog(out)
    document = json.loads(out.getvalue())
    bosch = Show.objects.get(imdb_id="tt3502248")
    for credit in document["credits"]:
        if credit["show"] == bosch.key and credit["role"] == "cast":
            credit["order"] = 4
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    call_command("import_catalog", str(path), stdout=StringIO(), stderr=StringIO())
    assert Credit.objects.get(show=bosch, role="cast").order == 4
    assert "tt3502248" not in digested("principals")

    assert credit_summary(run(str(plain_dir)))[1] == 1
    assert Credit.objects.get(show=bosch, role="cast").order == 1


def test_a_dry_rerun_reports_the_same_as_a_real_one(imdb_dir):
    run(str(imdb_dir))
    dry = run(str(imdb_dir), "--dry-run")
    real = run(str(imdb_dir))
    assert [line for line in dry.splitlines() if "created" in line or "skipped" in line] == [
        line for line in real.splitlines() if "created" in line or "skipped" in line
    ]


@pytest.mark.parametrize(
    "name",
    [
        "Harry Bosch", "  Fargo  ", "Los Años del Puerto", "Zoë Kravitz", "İstanbul", "Ørsted",
        "M*A*S*H", "Mr. & Mrs. Smith", "--Dash__", "tab\there", "a\x1cb", "9-1-1: Lone Star",
        "東京", "Ballard (2025)", "\uff26\uff55\uff4c\uff4c (fullwidth)", "_under_", "Señor—Dash",
    ],
)  # fmt: skip
def test_slugs_are_those_of_djangos_slugify(name):
    from django.utils.text import slugify

    from catalog.imdb import _slugify

    assert _slugify(name) == slugify(name)


def test_people_are_found_by_the_number_of_their_imdb_id_however_large():
    from catalog.imdb import IdsByNumber

    small = factories.person("A Small Number", imdb_id="nm0000007")
    large = factories.person("A Large Number", imdb_id="nm99999999999")
    factories.person("No IMDb Id")
    people = IdsByNumber(Person._meta.db_table)
    assert people.get("nm0000007") == small.pk
    assert people.get("nm99999999999") == large.pk
    assert people.get("nm0000008") is None and people.get("nm99999999998") is None
    assert people.get("nm123456789") is None


@pytest.mark.parametrize("batch", [1, 2, 5000])
def test_slugs_taken_by_earlier_batches_of_the_same_file_are_not_given_again(tmp_path, monkeypatch, batch):
    """Into an empty table, only the slugs the file's earlier batches may hold are looked
    up: whatever the batch size, a name seen before takes name-year, then name-id."""
    monkeypatch.setattr("catalog.imdb.BATCH", batch)
    folder = dataset_folder(
        tmp_path,
        "name.basics",
        [
            "nm9000001\tAna Abara\t1970\t\\N\tactress\t\\N",
            "nm9000002\tBo Castell\t\\N\t\\N\tactor\t\\N",
            "nm9000003\tAna Abara\t1970\t\\N\tactress\t\\N",
            "nm9000004\tAna Abara\t1970\t\\N\tactress\t\\N",
            "nm9000005\tBo Castell\t1981\t\\N\tactor\t\\N",
            "nm9000006\tAna Abara\t\\N\t\\N\tactress\t\\N",
        ],
    )
    output = run(str(folder))
    assert dict(Person.objects.values_list("imdb_id", "slug")) == {
        "nm9000001": "ana-abara",
        "nm9000002": "bo-castell",
        "nm9000003": "ana-abara-1970",
        "nm9000004": "ana-abara-nm9000004",
        "nm9000005": "bo-castell-1981",
        "nm9000006": "ana-abara-nm9000006",
    }
    assert "people: 6 created, 0 updated, 0 unchanged" in output


@pytest.mark.parametrize("between", [0, 3, 12])
def test_stored_rows_are_found_however_many_catalog_rows_lie_between_a_batchs_ids(tmp_path, between):
    """A batch's stored rows are read as one range of IMDb ids when few other rows lie in
    it, and looked up one by one when many do: both find them (SQLite; PostgreSQL always
    looks them up)."""
    first = factories.person("Ana Abara", imdb_id="nm1000000", birth_year=1970)
    last = factories.person("Bo Castell", imdb_id="nm1000099", birth_year=1981)
    for number in range(between):
        factories.person(f"In Between {number}", imdb_id=f"nm10000{number + 10}")
    folder = dataset_folder(
        tmp_path,
        "name.basics",
        ["nm1000000\tAna Abara\t1971\t\\N\tactress\t\\N", "nm1000099\tBo Castell\t1981\t\\N\tactor\t\\N"],
    )
    output = run(str(folder))
    assert "people: 0 created, 1 updated, 1 unchanged" in output
    first.refresh_from_db()
    last.refresh_from_db()
    assert (first.birth_year, last.birth_year) == (1971, 1981)
    assert Person.objects.count() == 2 + between
