"""The demo data files stay loadable: the catalog is consistent and every story parses.

``load_demo`` imports ``demo/catalog.json`` and ``demo/stories/*.md`` through the regular
importers; these checks catch a broken reference, an unknown role or a malformed front
matter in the files themselves, before anyone runs ``make run``.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from articles.models import Article
from catalog.models import Company, Credit, Person, Season, Show

DEMO = Path(__file__).resolve().parents[2] / "demo"
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER = re.compile(r"\A---\n(?P<meta>.*?\n)---\n(?P<body>.*)\Z", re.DOTALL)

COMPANY_FIELDS = {"key", "name", "kind", "aliases", "website", "description", "wikidata_id"}
SHOW_FIELDS = {
    "key", "title", "kind", "year_start", "year_end", "network", "studios", "spinoff_of",
    "aliases", "imdb_id", "tags", "status", "description", "seasons", "wikidata_id",
}  # fmt: skip
PERSON_FIELDS = {"key", "name", "aliases", "imdb_id", "bio", "birth_year"}
CREDIT_FIELDS = {"show", "person", "role", "character", "order"}
STORY_REQUIRED = {"title", "dek", "kind", "status", "published", "tags", "authors"}
STORY_OPTIONAL = {"source", "source_url", "show"}


@pytest.fixture(scope="module")
def catalog() -> dict:
    return json.loads((DEMO / "catalog.json").read_text(encoding="utf-8"))


def stories() -> list[Path]:
    return sorted((DEMO / "stories").glob("*.md"))


def parse_story(path: Path) -> tuple[dict, str]:
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    assert match, f"{path.name}: no front matter between --- lines"
    meta = yaml.safe_load(match["meta"])
    assert isinstance(meta, dict), f"{path.name}: front matter is not a mapping"
    return meta, match["body"]


def _aliases_ok(entry: dict, name: str) -> None:
    aliases = entry["aliases"]
    assert isinstance(aliases, list), entry["key"]
    assert all(isinstance(a, str) and len(a.strip()) >= 2 for a in aliases), entry["key"]
    assert name.casefold() not in {a.casefold() for a in aliases}, entry["key"]
    assert len({a.casefold() for a in aliases}) == len(aliases), entry["key"]


def test_catalog_has_exactly_the_four_sections(catalog):
    assert set(catalog) == {"companies", "shows", "people", "credits"}
    assert all(isinstance(rows, list) and rows for rows in catalog.values())


@pytest.mark.parametrize(
    ("section", "name"), [("companies", "name"), ("shows", "title"), ("people", "name")]
)
def test_keys_are_unique_lowercase_slugs(catalog, section, name):
    keys = [row["key"] for row in catalog[section]]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    assert all(KEY.match(k) for k in keys), [k for k in keys if not KEY.match(k)]
    assert all(isinstance(row[name], str) and row[name].strip() for row in catalog[section])


def test_companies(catalog):
    kinds = set(Company.Kind.values)
    for row in catalog["companies"]:
        assert set(row) <= COMPANY_FIELDS, (row["key"], set(row) - COMPANY_FIELDS)
        assert row["kind"] in kinds, row["key"]
        _aliases_ok(row, row["name"])


def test_shows_refer_to_known_companies_and_shows(catalog):
    companies = {row["key"]: row["kind"] for row in catalog["companies"]}
    shows = {row["key"] for row in catalog["shows"]}
    for row in catalog["shows"]:
        key = row["key"]
        assert set(row) <= SHOW_FIELDS, (key, set(row) - SHOW_FIELDS)
        assert row["kind"] in Show.Kind.values, key
        assert row.get("status", "") in Show.Status.values, key
        if row["network"] is not None:
            assert companies.get(row["network"]) in {"network", "streamer"}, key
        assert all(companies.get(studio) == "studio" for studio in row["studios"]), key
        assert len(set(row["studios"])) == len(row["studios"]), key
        if row["spinoff_of"] is not None:
            assert row["spinoff_of"] in shows and row["spinoff_of"] != key, key
        assert isinstance(row["year_start"], int), key
        if row.get("year_end") is not None:
            assert row["year_end"] >= row["year_start"], key
        assert all(isinstance(tag, str) and tag.strip() for tag in row["tags"]), key
        _aliases_ok(row, row["title"])
        numbers = [season["number"] for season in row.get("seasons", [])]
        assert numbers == sorted(set(numbers)) and all(n >= 1 for n in numbers), key
        for season in row.get("seasons", []):
            assert set(season) <= {"number", "premiere_date", "episode_count"}, key
            premiere = date.fromisoformat(season["premiere_date"])
            assert premiere.year >= row["year_start"], key


def test_spinoffs_do_not_loop(catalog):
    parent = {row["key"]: row["spinoff_of"] for row in catalog["shows"]}
    for key in parent:
        seen = {key}
        while parent[key] is not None:
            key = parent[key]
            assert key not in seen, f"spinoff loop through {key}"
            seen.add(key)


def test_people(catalog):
    for row in catalog["people"]:
        assert set(row) <= PERSON_FIELDS, (row["key"], set(row) - PERSON_FIELDS)
        _aliases_ok(row, row["name"])


def test_credits_refer_to_known_entries_and_are_unique(catalog):
    shows = {row["key"] for row in catalog["shows"]}
    people = {row["key"] for row in catalog["people"]}
    seen = set()
    for row in catalog["credits"]:
        assert set(row) == CREDIT_FIELDS, row
        assert row["show"] in shows and row["person"] in people, row
        assert row["role"] in Credit.Role.values, row
        assert isinstance(row["order"], int) and row["order"] >= 0, row
        if row["role"] != Credit.Role.CAST:
            assert row["character"] == "", row
        identity = (row["show"], row["person"], row["role"], row["character"])
        assert identity not in seen, f"duplicate credit {identity}"
        seen.add(identity)


@pytest.mark.django_db
def test_catalog_satisfies_the_models(catalog):
    """Every row passes the models' own validation and constraints (ids, years, roles)."""
    companies = {}
    for row in catalog["companies"]:
        fields = {k: v for k, v in row.items() if k in COMPANY_FIELDS}
        companies[row["key"]] = _saved(Company(slug=row["key"], **fields))
    shows = {}
    for row in catalog["shows"]:
        show = Show(
            key=row["key"],
            slug=row["key"],
            title=row["title"],
            kind=row["kind"],
            year_start=row["year_start"],
            year_end=row.get("year_end"),
            network=companies.get(row["network"]),
            status=row.get("status", ""),
            aliases=row["aliases"],
            imdb_id=row["imdb_id"],
            description=row.get("description", ""),
        )
        shows[row["key"]] = _saved(show)
        show.studios.set(companies[key] for key in row["studios"])
        for season in row.get("seasons", []):
            _saved(Season(show=show, **season))
    for row in catalog["shows"]:
        if row["spinoff_of"]:
            show = shows[row["key"]]
            show.spinoff_of = shows[row["spinoff_of"]]
            _saved(show)
    people = {row["key"]: _saved(Person(slug=row["key"], **row)) for row in catalog["people"]}
    for row in catalog["credits"]:
        _saved(
            Credit(
                show=shows[row["show"]],
                person=people[row["person"]],
                role=row["role"],
                character=row["character"],
                order=row["order"],
            )
        )
    assert Credit.objects.count() == len(catalog["credits"])
    assert Show.objects.get(key="ballard").spinoff_of.key == "bosch"


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


# Stories ------------------------------------------------------------------------------------


def test_there_are_enough_stories_of_every_kind():
    metas = [parse_story(path)[0] for path in stories()]
    assert len(metas) >= 8
    assert {meta["kind"] for meta in metas} == set(Article.Kind.values)
    assert any(meta["status"] == "draft" for meta in metas)
    assert any(meta["kind"] == "renewal" and meta.get("show") == "ballard" for meta in metas)
    titles = [meta["title"] for meta in metas]
    assert len(titles) == len(set(titles))


@pytest.mark.parametrize("path", stories(), ids=lambda p: p.stem)
def test_story_front_matter(catalog, path):
    meta, body = parse_story(path)
    assert set(meta) >= STORY_REQUIRED, STORY_REQUIRED - set(meta)
    assert set(meta) <= STORY_REQUIRED | STORY_OPTIONAL, set(meta) - STORY_REQUIRED - STORY_OPTIONAL
    assert isinstance(meta["title"], str) and meta["title"].strip()
    assert isinstance(meta["dek"], str) and meta["dek"].strip()
    assert meta["kind"] in Article.Kind.values
    assert meta["status"] in Article.Status.values
    assert isinstance(meta["published"], datetime) and meta["published"].tzinfo is not None
    assert isinstance(meta["tags"], list) and all(isinstance(t, str) for t in meta["tags"])
    # Bylines are desks, never invented people.
    assert meta["authors"] and all(a == "Staff" or a.endswith(" Desk") for a in meta["authors"])
    if "show" in meta:
        assert meta["show"] in {row["key"] for row in catalog["shows"]}
    if "source" in meta:
        publications = {r["name"] for r in catalog["companies"] if r["kind"] == "publication"}
        assert meta["source"] in publications
        assert meta["source_url"].startswith("https://example.com/")
    assert len(body.split()) >= 100, "a story needs a body"
    assert path.name.startswith(meta["published"].strftime("%Y-%m-%d"))
