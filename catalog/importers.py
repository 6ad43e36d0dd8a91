"""Filling the catalog from files: the interchange JSON (import and export) and IMDb's datasets.

Each format is read in two steps that never mix: parsing turns a file into plain records and
rejects bad input with a message naming the file and the record; writing turns records into
rows. Writing upserts on the catalog's natural keys (``key`` for the interchange format, the
IMDb id for IMDb), so running an import twice changes nothing the second time, and it writes
in bulk: signals do not fire on bulk writes, so an import that changed something bumps the
catalog version itself, once, at the end.

Interchange JSON — the format of the design, plus optional fields, each written back by the
export: company ``website``, ``description``, ``wikidata_id``; show ``year_end``,
``status``, ``description``, ``seasons`` (``number``, ``premiere_date``,
``episode_count``, ``status``, ``is_final``), ``wikidata_id``, ``tvmaze_id``; person
``bio``, ``birth_year``, ``death_year``, ``wikidata_id``. A field left out of a record leaves
the stored value alone; a field given (even as null or ``[]``) sets it. Seasons and credits
are upserted and never deleted by an import (a renewal story may have added them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, models
from django.utils import timezone
from django.utils.text import slugify

from newsroom.cache import purge_all as purge_all_pages
from newsroom.importing import (
    ImportFailed,
    ImportStats,
    ProgressFactory,
    import_transaction,
    no_progress,
    tag_ids,
)

from .models import (
    COPIED_FROM_SHOW,
    Company,
    Credit,
    ImdbCreditsDigest,
    Person,
    Season,
    Show,
    TaggedShow,
    bump_catalog_version,
)

# Lists given to ``__in`` lookups and bulk writes are cut to this size: well under every
# database's limit on query parameters, large enough that round trips do not dominate.
CHUNK = 2000

_KEY = re.compile(r"^[-a-zA-Z0-9_]+$")
_IMDB_TITLE = re.compile(r"^tt\d{7,}$")
_IMDB_NAME = re.compile(r"^nm\d{7,}$")
_WIKIDATA = re.compile(r"^Q\d+$")


def chunked(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ---------------------------------------------------------------------------------------------
# Interchange JSON: records


@dataclass
class CompanyRecord:
    where: str
    key: str
    fields: dict[str, Any]


@dataclass
class SeasonRecord:
    where: str
    number: int
    fields: dict[str, Any]


@dataclass
class ShowRecord:
    where: str
    key: str
    fields: dict[str, Any]
    # References and relations, present only when the record gives them.
    refs: dict[str, str | None] = field(default_factory=dict)  # network, spinoff_of
    studios: list[str] | None = None
    tags: list[str] | None = None
    seasons: list[SeasonRecord] | None = None


@dataclass
class PersonRecord:
    where: str
    key: str
    fields: dict[str, Any]


@dataclass
class CreditRecord:
    where: str
    show: str
    person: str
    role: str
    character: str
    order: int | None


@dataclass
class CatalogData:
    """A parsed interchange file: what it says, checked, with no database access yet."""

    source: str
    companies: list[CompanyRecord] = field(default_factory=list)
    shows: list[ShowRecord] = field(default_factory=list)
    people: list[PersonRecord] = field(default_factory=list)
    credits: list[CreditRecord] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Interchange JSON: parsing


class _Fields:
    """Reads one JSON object field by field, naming the record in every error."""

    def __init__(self, source: str, where: str, obj: Any, known: Iterable[str]) -> None:
        self.source, self.where = source, where
        if not isinstance(obj, dict):
            self.fail(f"expected an object, got {_json_type(obj)}")
        unknown = sorted(set(obj) - set(known))
        if unknown:
            self.fail(f"unknown field {unknown[0]!r} (known: {', '.join(sorted(known))})")
        self.obj = obj

    def fail(self, message: str, name: str | None = None) -> None:
        where = f"{self.where}.{name}" if name else self.where
        raise ImportFailed(f"{self.source}: {where}: {message}")

    def __contains__(self, name: str) -> bool:
        return name in self.obj

    def key(self, name: str, *, required: bool = True) -> str | None:
        value = self.obj.get(name)
        if value is None:
            if required:
                self.fail("required", name)
            return None
        if not isinstance(value, str) or not _KEY.match(value) or len(value) > 200:
            self.fail(
                f"{value!r} is not a key (letters, digits, - and _, at most 200 characters)", name
            )
        return value

    def text(self, name: str, *, max_length: int | None = None, required: bool = False) -> str:
        value = self.obj.get(name)
        if value is None:
            if required:
                self.fail("required", name)
            return ""
        if not isinstance(value, str):
            self.fail(f"expected a string, got {_json_type(value)}", name)
        value = value.strip()
        if required and not value:
            self.fail("must not be empty", name)
        if max_length and len(value) > max_length:
            self.fail(f"longer than {max_length} characters", name)
        return value

    def choice(self, name: str, choices: Iterable[str], *, blank: bool = False) -> str:
        value = self.obj.get(name)
        if value is None and blank:
            return ""
        allowed = [c for c in choices if c or blank]
        if value not in allowed:
            self.fail(f"{value!r} is not one of {', '.join(repr(c) for c in allowed)}", name)
        return value

    def integer(self, name: str, *, low: int, high: int) -> int | None:
        value = self.obj.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"expected a whole number, got {_json_type(value)}", name)
        if not low <= value <= high:
            self.fail(f"{value} is outside {low} to {high}", name)
        return value

    def boolean(self, name: str) -> bool:
        value = self.obj.get(name, False)
        if not isinstance(value, bool):
            self.fail(f"expected true or false, got {_json_type(value)}", name)
        return value

    def pattern(self, name: str, regex: re.Pattern, example: str) -> str | None:
        value = self.obj.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str) or not regex.match(value):
            self.fail(f"{value!r} does not look like {example}", name)
        return value

    def strings(self, name: str, *, max_length: int | None = None) -> list[str]:
        value = self.obj.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail("expected a list of strings", name)
        cleaned = []
        for item in value:
            item = item.strip()
            if max_length and len(item) > max_length:
                self.fail(f"{item[:40]!r}… is longer than {max_length} characters", name)
            if item and item not in cleaned:
                cleaned.append(item)
        return cleaned

    def keys(self, name: str) -> list[str]:
        value = self.obj.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail("expected a list of keys", name)
        for index, item in enumerate(value):
            if not isinstance(item, str) or not _KEY.match(item):
                self.fail(f"{item!r} is not a key", f"{name}[{index}]")
        return list(dict.fromkeys(value))

    def url(self, name: str) -> str:
        value = self.text(name, max_length=200)
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                self.fail(f"{value!r} is not an http(s) address", name)
        return value

    def iso_date(self, name: str) -> date | None:
        value = self.obj.get(name)
        if value is None or value == "":
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a date (YYYY-MM-DD)", name)
        return None


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false"}.get(
        type(value), "null" if value is None else "a number"
    )


def _reject_duplicate_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for name, value in pairs:
        if name in seen:
            raise _DuplicateMember(name)
        seen[name] = value
    return seen


class _DuplicateMember(ValueError):
    pass


_COMPANY_FIELDS = {"key", "name", "kind", "aliases", "website", "description", "wikidata_id"}
_SHOW_FIELDS = {
    "key", "title", "kind", "year_start", "year_end", "network", "studios", "spinoff_of",
    "aliases", "imdb_id", "tvmaze_id", "wikidata_id", "tags", "status", "description", "seasons",
}  # fmt: skip
_SEASON_FIELDS = {"number", "premiere_date", "episode_count", "status", "is_final"}
_PERSON_FIELDS = {
    "key", "name", "aliases", "bio", "birth_year", "death_year", "imdb_id", "wikidata_id",
}  # fmt: skip
_CREDIT_FIELDS = {"show", "person", "role", "character", "order"}
_SECTIONS = ("companies", "shows", "people", "credits")


def parse_catalog(raw: bytes | str, *, source: str) -> CatalogData:
    """Check an interchange file and turn it into records; the database is not touched."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFailed(
                f"{source}: not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start})"
            ) from error
    try:
        document = json.loads(raw, object_pairs_hook=_reject_duplicate_members)
    except json.JSONDecodeError as error:
        raise ImportFailed(
            f"{source} line {error.lineno}, column {error.colno}: invalid JSON: {error.msg}"
        ) from error
    except _DuplicateMember as error:
        raise ImportFailed(f"{source}: an object gives the field {error.args[0]!r} twice") from error
    if not isinstance(document, dict):
        raise ImportFailed(f"{source}: expected an object with {', '.join(_SECTIONS)}")
    unknown = sorted(set(document) - set(_SECTIONS))
    if unknown:
        raise ImportFailed(
            f"{source}: unknown section {unknown[0]!r} (expected {', '.join(_SECTIONS)})"
        )
    for section in _SECTIONS:
        if not isinstance(document.get(section, []), list):
            raise ImportFailed(f"{source}: {section}: expected a list")

    data = CatalogData(source=source)
    data.companies = [
        _parse_company(source, f"companies[{i}]", obj)
        for i, obj in enumerate(document.get("companies", []))
    ]
    data.shows = [
        _parse_show(source, f"shows[{i}]", obj) for i, obj in enumerate(document.get("shows", []))
    ]
    data.people = [
        _parse_person(source, f"people[{i}]", obj)
        for i, obj in enumerate(document.get("people", []))
    ]
    data.credits = [
        _parse_credit(source, f"credits[{i}]", obj)
        for i, obj in enumerate(document.get("credits", []))
    ]
    _check_unique(source, "companies", data.companies, lambda r: r.key, "key")
    _check_unique(source, "shows", data.shows, lambda r: r.key, "key")
    _check_unique(source, "people", data.people, lambda r: r.key, "key")
    for name in ("imdb_id", "tvmaze_id", "wikidata_id"):
        _check_unique(source, "shows", data.shows, lambda r, n=name: r.fields.get(n), name)
    for name in ("imdb_id", "wikidata_id"):
        _check_unique(source, "people", data.people, lambda r, n=name: r.fields.get(n), name)
    _check_unique(source, "companies", data.companies, lambda r: r.fields.get("wikidata_id"), "wikidata_id")
    _check_unique(
        source,
        "credits",
        data.credits,
        lambda r: (r.show, r.person, r.role, r.character),
        None,
    )
    return data


def _check_unique(source: str, section: str, records: list, identity, name: str | None) -> None:
    first: dict[Any, str] = {}
    for record in records:
        value = identity(record)
        if value is None:
            continue
        if value in first:
            where = f"{record.where}.{name}" if name else record.where
            what = f"duplicate {name} {value!r}" if name else "duplicate credit (same show, person, role and character)"
            raise ImportFailed(f"{source}: {where}: {what} (first at {first[value]})")
        first[value] = record.where


def _parse_company(source: str, where: str, obj: Any) -> CompanyRecord:
    f = _Fields(source, where, obj, _COMPANY_FIELDS)
    key = f.key("key")
    values: dict[str, Any] = {"name": f.text("name", max_length=200, required=True)}
    if "kind" in f:
        values["kind"] = f.choice("kind", Company.Kind.values)
    if "aliases" in f:
        values["aliases"] = f.strings("aliases", max_length=200)
    if "website" in f:
        values["website"] = f.url("website")
    if "description" in f:
        values["description"] = f.text("description")
    if "wikidata_id" in f:
        values["wikidata_id"] = f.pattern("wikidata_id", _WIKIDATA, "a Wikidata id (Q12345)")
    return CompanyRecord(where=where, key=key, fields=values)


def _parse_show(source: str, where: str, obj: Any) -> ShowRecord:
    f = _Fields(source, where, obj, _SHOW_FIELDS)
    key = f.key("key")
    values: dict[str, Any] = {"title": f.text("title", max_length=255, required=True)}
    if "kind" in f:
        values["kind"] = f.choice("kind", Show.Kind.values)
    for name in ("year_start", "year_end"):
        if name in f:
            values[name] = f.integer(name, low=1880, high=2100)
    if values.get("year_start") and values.get("year_end") and values["year_end"] < values["year_start"]:
        f.fail(f"{values['year_end']} is before year_start {values['year_start']}", "year_end")
    if "status" in f:
        values["status"] = f.choice("status", Show.Status.values, blank=True)
    if "aliases" in f:
        values["aliases"] = f.strings("aliases", max_length=255)
    if "description" in f:
        values["description"] = f.text("description")
    if "imdb_id" in f:
        values["imdb_id"] = f.pattern("imdb_id", _IMDB_TITLE, "an IMDb title id (tt1234567)")
    if "tvmaze_id" in f:
        values["tvmaze_id"] = f.integer("tvmaze_id", low=1, high=2**31 - 1)
    if "wikidata_id" in f:
        values["wikidata_id"] = f.pattern("wikidata_id", _WIKIDATA, "a Wikidata id (Q12345)")
    record = ShowRecord(where=where, key=key, fields=values)
    for name in ("network", "spinoff_of"):
        if name in f:
            record.refs[name] = f.key(name, required=False)
    if record.refs.get("spinoff_of") == key:
        f.fail("a show cannot be a spinoff of itself", "spinoff_of")
    if "studios" in f:
        record.studios = f.keys("studios")
    if "tags" in f:
        record.tags = f.strings("tags", max_length=100)
    if "seasons" in f:
        seasons = obj["seasons"]
        if not isinstance(seasons, list):
            f.fail("expected a list", "seasons")
        record.seasons = [
            _parse_season(source, f"{where}.seasons[{i}]", item) for i, item in enumerate(seasons)
        ]
        _check_unique(source, "seasons", record.seasons, lambda s: s.number, "number")
    return record


def _parse_season(source: str, where: str, obj: Any) -> SeasonRecord:
    f = _Fields(source, where, obj, _SEASON_FIELDS)
    number = f.integer("number", low=1, high=200)
    if number is None:
        f.fail("required", "number")
    values: dict[str, Any] = {}
    if "premiere_date" in f:
        values["premiere_date"] = f.iso_date("premiere_date")
    if "episode_count" in f:
        values["episode_count"] = f.integer("episode_count", low=0, high=32767)
    if "status" in f:
        values["status"] = f.choice("status", Season.Status.values)
    if "is_final" in f:
        values["is_final"] = f.boolean("is_final")
    return SeasonRecord(where=where, number=number, fields=values)


def _parse_person(source: str, where: str, obj: Any) -> PersonRecord:
    f = _Fields(source, where, obj, _PERSON_FIELDS)
    key = f.key("key")
    values: dict[str, Any] = {"name": f.text("name", max_length=200, required=True)}
    if "aliases" in f:
        values["aliases"] = f.strings("aliases", max_length=200)
    if "bio" in f:
        values["bio"] = f.text("bio")
    for name in ("birth_year", "death_year"):
        if name in f:
            values[name] = f.integer(name, low=1, high=2100)
    if "imdb_id" in f:
        values["imdb_id"] = f.pattern("imdb_id", _IMDB_NAME, "an IMDb name id (nm1234567)")
    if "wikidata_id" in f:
        values["wikidata_id"] = f.pattern("wikidata_id", _WIKIDATA, "a Wikidata id (Q12345)")
    return PersonRecord(where=where, key=key, fields=values)


def _parse_credit(source: str, where: str, obj: Any) -> CreditRecord:
    f = _Fields(source, where, obj, _CREDIT_FIELDS)
    role = f.choice("role", Credit.Role.values)
    character = f.text("character", max_length=255)
    if character and role != Credit.Role.CAST:
        f.fail(f"only cast credits name a character (role is {role!r})", "character")
    order = f.integer("order", low=0, high=2**31 - 1) if "order" in f else None
    return CreditRecord(
        where=where,
        show=f.key("show"),
        person=f.key("person"),
        role=role,
        character=character,
        order=order,
    )


def read_catalog_file(path: Path) -> CatalogData:
    """Parse the interchange file at ``path`` (errors name the file by its name)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise ImportFailed(f"{path}: cannot be read ({error.strerror})") from error
    return parse_catalog(raw, source=Path(path).name)


# ---------------------------------------------------------------------------------------------
# Interchange JSON: writing


class _Outcomes:
    """What happened to each keyed record, so that a later step (studios, tags, spinoff) can
    turn "unchanged" into "updated" and every record is counted once."""

    def __init__(self) -> None:
        self.by_key: dict[str, str] = {}

    def set(self, key: str, outcome: str) -> None:
        self.by_key[key] = outcome

    def touch(self, key: str) -> None:
        if self.by_key.get(key) == "unchanged":
            self.by_key[key] = "updated"

    def count_into(self, stats: ImportStats, kind: str) -> None:
        for outcome in self.by_key.values():
            getattr(stats, outcome)[kind] += 1


def import_catalog(
    data: CatalogData, *, dry_run: bool = False, progress: ProgressFactory = no_progress
) -> ImportStats:
    """Write a parsed interchange file: upsert companies, shows, people and credits by key.

    One transaction for the file: an unknown reference anywhere rolls all of it back.
    """
    stats = ImportStats(dry_run=dry_run)
    bar = progress(data.source, len(data.companies) + len(data.shows) + len(data.people) + len(data.credits), "records")
    try:
        with import_transaction(dry_run=dry_run):
            writer = _CatalogWriter(data, stats)
            writer.write_companies()
            bar.update(len(data.companies))
            writer.write_shows()
            bar.update(len(data.shows))
            writer.write_people()
            bar.update(len(data.people))
            writer.write_credits()
            bar.update(len(data.credits))
            if stats.changed:
                bump_catalog_version()
                purge_all_pages()  # bulk writes send no signals
    except IntegrityError as error:
        raise ImportFailed(f"{data.source}: the database refused a record: {error}") from error
    finally:
        bar.close()
    return stats


class _CatalogWriter:
    def __init__(self, data: CatalogData, stats: ImportStats) -> None:
        self.data, self.stats, self.source = data, stats, data.source
        self.now = timezone.now()
        self.company_ids: dict[str, int] = {}
        self.show_ids: dict[str, int] = {}
        self.person_ids: dict[str, int] = {}

    def fail(self, where: str, message: str) -> None:
        raise ImportFailed(f"{self.source}: {where}: {message}")

    # -- keyed rows ---------------------------------------------------------------------------

    def _upsert_keyed(
        self, model: type[models.Model], records: list, name_field: str
    ) -> tuple[dict[str, models.Model], _Outcomes]:
        """Create or update rows by key; returns the rows by key and what happened to each."""
        outcomes = _Outcomes()
        keys = [r.key for r in records]
        existing: dict[str, models.Model] = {}
        for part in chunked(keys):
            existing.update((o.key, o) for o in model.objects.filter(key__in=part))
        self._check_external_ids(model, records, existing)

        to_create, to_update, changed_fields = [], [], set()
        for record in records:
            obj = existing.get(record.key)
            if obj is None:
                obj = model(key=record.key, **record.fields)
                obj.aliases = record.fields.get("aliases", [])
                to_create.append(obj)
                existing[record.key] = obj
                outcomes.set(record.key, "created")
                continue
            changed = [n for n, v in record.fields.items() if getattr(obj, n) != v]
            for n in changed:
                setattr(obj, n, record.fields[n])
            if changed:
                obj.updated_at = self.now
                changed_fields.update(changed)
                to_update.append(obj)
            outcomes.set(record.key, "updated" if changed else "unchanged")

        self._assign_slugs(model, to_create, name_field)
        for part in chunked(to_create, 500):
            model.objects.bulk_create(part)
        if to_update:
            model.objects.bulk_update(to_update, [*sorted(changed_fields), "updated_at"], batch_size=500)
        return existing, outcomes

    def _check_external_ids(self, model, records: list, existing: dict) -> None:
        """An external id held by another row is an error naming the record, not a crash."""
        for name in ("imdb_id", "tvmaze_id", "wikidata_id"):
            wanted = {
                r.fields[name]: r for r in records if r.fields.get(name) is not None
            }
            if not wanted:
                continue
            for part in chunked(list(wanted)):
                for key, value in model.objects.filter(**{f"{name}__in": part}).values_list("key", name):
                    record = wanted[value]
                    if key != record.key:
                        self.fail(
                            f"{record.where}.{name}",
                            f"{value!r} already belongs to {model._meta.verbose_name} {key!r}",
                        )

    @staticmethod
    def _assign_slugs(model, objs: list, name_field: str) -> None:
        """New rows get their key as slug when it is free (keys are slugs), else name-based."""
        if not objs:
            return
        candidates = {o.key for o in objs} | {
            slugify(getattr(o, name_field))[:190] or "item" for o in objs
        }
        taken: set[str] = set()
        for part in chunked(sorted(candidates)):
            taken.update(model.objects.filter(slug__in=part).values_list("slug", flat=True))
        for obj in objs:
            slug = obj.key
            if slug in taken:
                base, n = slugify(getattr(obj, name_field))[:190] or "item", 2
                slug = base
                while slug in taken or model.objects.filter(slug=slug).exists():
                    slug = f"{base}-{n}"
                    n += 1
            obj.slug = slug
            taken.add(slug)

    def _resolve(self, model, ids: dict[str, int], refs: list[tuple[str, str]], what: str) -> None:
        """Look up keys referenced but not in this file; an unknown one is an error."""
        missing = sorted({key for _where, key in refs if key not in ids})
        for part in chunked(missing):
            ids.update(model.objects.filter(key__in=part).values_list("key", "pk"))
        for where, key in refs:
            if key not in ids:
                self.fail(where, f"unknown {what} key {key!r}")

    # -- sections -----------------------------------------------------------------------------

    def write_companies(self) -> None:
        rows, outcomes = self._upsert_keyed(Company, self.data.companies, "name")
        self.company_ids = {key: obj.pk for key, obj in rows.items()}
        outcomes.count_into(self.stats, "companies")

    def write_shows(self) -> None:
        records = self.data.shows
        company_refs = [
            (f"{r.where}.network", r.refs["network"]) for r in records if r.refs.get("network")
        ] + [
            (f"{r.where}.studios[{i}]", key)
            for r in records
            for i, key in enumerate(r.studios or [])
        ]
        self._resolve(Company, self.company_ids, company_refs, "company")
        for record in records:
            if "network" in record.refs:
                key = record.refs["network"]
                record.fields["network_id"] = self.company_ids[key] if key else None

        rows, outcomes = self._upsert_keyed(Show, records, "title")
        self.show_ids = {key: obj.pk for key, obj in rows.items()}
        # Bulk updates skip Show.save(): a new title or first year goes to the show's credits here.
        renamed = [
            obj.pk
            for obj in rows.values()
            if hasattr(obj, "_loaded_title") and obj.changed_since_loaded()  # stored before, renamed now
        ]
        for part in chunked(renamed):
            Credit.objects.filter(show_id__in=part).sync_show_copies()

        spinoff_refs = [
            (f"{r.where}.spinoff_of", r.refs["spinoff_of"]) for r in records if r.refs.get("spinoff_of")
        ]
        self._resolve(Show, self.show_ids, spinoff_refs, "show")
        spinoff_changed = []
        for record in records:
            if "spinoff_of" not in record.refs:
                continue
            key = record.refs["spinoff_of"]
            target = self.show_ids[key] if key else None
            obj = rows[record.key]
            if obj.spinoff_of_id != target:
                obj.spinoff_of_id = target
                obj.updated_at = self.now
                spinoff_changed.append(obj)
                outcomes.touch(record.key)
        if spinoff_changed:
            Show.objects.bulk_update(spinoff_changed, ["spinoff_of", "updated_at"], batch_size=500)

        self._write_studios(records, outcomes)
        self._write_show_tags(records, outcomes)
        outcomes.count_into(self.stats, "shows")
        self._write_seasons(records)

    def _write_studios(self, records: list[ShowRecord], outcomes: _Outcomes) -> None:
        given = [r for r in records if r.studios is not None]
        if not given:
            return
        through = Show.studios.through
        show_pks = [self.show_ids[r.key] for r in given]
        current: dict[int, set[int]] = {pk: set() for pk in show_pks}
        for part in chunked(show_pks):
            for show_id, company_id in through.objects.filter(show_id__in=part).values_list(
                "show_id", "company_id"
            ):
                current[show_id].add(company_id)
        add, remove = [], []
        for record in given:
            pk = self.show_ids[record.key]
            wanted = {self.company_ids[k] for k in record.studios}
            if wanted != current[pk]:
                outcomes.touch(record.key)
                add += [through(show_id=pk, company_id=c) for c in wanted - current[pk]]
                remove += [(pk, c) for c in current[pk] - wanted]
        for pk, company_id in remove:
            through.objects.filter(show_id=pk, company_id=company_id).delete()
        through.objects.bulk_create(add, batch_size=500)

    def _write_show_tags(self, records: list[ShowRecord], outcomes: _Outcomes) -> None:
        given = [r for r in records if r.tags is not None]
        if not given:
            return
        ids = tag_ids([name for r in given for name in r.tags])
        show_pks = [self.show_ids[r.key] for r in given]
        current: dict[int, set[int]] = {pk: set() for pk in show_pks}
        for part in chunked(show_pks):
            for show_id, tag_id in TaggedShow.objects.filter(
                content_object_id__in=part
            ).values_list("content_object_id", "tag_id"):
                current[show_id].add(tag_id)
        add, remove = [], []
        for record in given:
            pk = self.show_ids[record.key]
            wanted = {ids[name.lower()] for name in record.tags}
            if wanted != current[pk]:
                outcomes.touch(record.key)
                add += [TaggedShow(content_object_id=pk, tag_id=t) for t in wanted - current[pk]]
                remove += [(pk, t) for t in current[pk] - wanted]
        for pk, tag_id in remove:
            TaggedShow.objects.filter(content_object_id=pk, tag_id=tag_id).delete()
        TaggedShow.objects.bulk_create(add, batch_size=500)

    def _write_seasons(self, records: list[ShowRecord]) -> None:
        given = [r for r in records if r.seasons]
        if not given:
            return
        show_pks = [self.show_ids[r.key] for r in given]
        existing: dict[tuple[int, int], Season] = {}
        for part in chunked(show_pks):
            existing.update(
                ((s.show_id, s.number), s) for s in Season.objects.filter(show_id__in=part)
            )
        to_create, to_update, changed_fields = [], [], set()
        for record in given:
            pk = self.show_ids[record.key]
            for season in record.seasons:
                obj = existing.get((pk, season.number))
                if obj is None:
                    to_create.append(Season(show_id=pk, number=season.number, **season.fields))
                    self.stats.created["seasons"] += 1
                    continue
                changed = [n for n, v in season.fields.items() if getattr(obj, n) != v]
                for n in changed:
                    setattr(obj, n, season.fields[n])
                if changed:
                    changed_fields.update(changed)
                    to_update.append(obj)
                    self.stats.updated["seasons"] += 1
                else:
                    self.stats.unchanged["seasons"] += 1
        Season.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Season.objects.bulk_update(to_update, sorted(changed_fields), batch_size=500)

    def write_people(self) -> None:
        rows, outcomes = self._upsert_keyed(Person, self.data.people, "name")
        self.person_ids = {key: obj.pk for key, obj in rows.items()}
        outcomes.count_into(self.stats, "people")

    def write_credits(self) -> None:
        records = self.data.credits
        if not records:
            return
        self._resolve(Show, self.show_ids, [(f"{r.where}.show", r.show) for r in records], "show")
        self._resolve(
            Person, self.person_ids, [(f"{r.where}.person", r.person) for r in records], "person"
        )
        show_pks = sorted({self.show_ids[r.show] for r in records})
        existing: dict[tuple, Credit] = {}
        copies: dict[int, dict] = {}  # what a new credit copies from its show
        for part in chunked(show_pks):
            for credit in Credit.objects.filter(show_id__in=part).only(
                "id", "show_id", "person_id", "role", "character", "order"
            ):
                existing[(credit.show_id, credit.person_id, credit.role, credit.character)] = credit
            for copied in Show.objects.filter(pk__in=part).values("pk", **COPIED_FROM_SHOW):
                copies[copied.pop("pk")] = copied
        to_create, to_update = [], []
        for record in records:
            identity = (
                self.show_ids[record.show],
                self.person_ids[record.person],
                record.role,
                record.character,
            )
            credit = existing.get(identity)
            if credit is None:
                to_create.append(
                    Credit(
                        show_id=identity[0],
                        person_id=identity[1],
                        role=record.role,
                        character=record.character,
                        order=record.order or 0,
                        **copies[identity[0]],
                    )
                )
                self.stats.created["credits"] += 1
            elif record.order is not None and credit.order != record.order:
                credit.order = record.order
                to_update.append(credit)
                self.stats.updated["credits"] += 1
            else:
                self.stats.unchanged["credits"] += 1
        Credit.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Credit.objects.bulk_update(to_update, ["order"], batch_size=500)
            # Bulk updates send no signals: the IMDb digests of these shows are stale now.
            shows = sorted({credit.show_id for credit in to_update})
            for part in chunked(shows):
                ImdbCreditsDigest.objects.filter(show_id__in=part).delete()


# ---------------------------------------------------------------------------------------------
# Interchange JSON: export


def export_catalog(out: IO[str]) -> dict[str, int]:
    """Write the whole catalog to ``out`` in the interchange format; returns counts per section.

    Rows are written as they are read, one per line, so exporting a large catalog needs no
    more memory than a small one, and the output diffs well between two exports.
    """
    counts: dict[str, int] = {}
    sections = {
        "companies": _export_companies(),
        "shows": _export_shows(),
        "people": _export_people(),
        "credits": _export_credits(),
    }
    out.write("{")
    for number, (section, records) in enumerate(sections.items()):
        out.write(f'{"," if number else ""}\n"{section}": [')
        count = 0
        for record in records:
            out.write(("," if count else "") + "\n " + json.dumps(record, ensure_ascii=False))
            count += 1
        out.write("\n]" if count else "]")
        counts[section] = count
    out.write("\n}\n")
    return counts


def _export_companies() -> Iterator[dict]:
    for c in Company.objects.order_by("key").iterator(chunk_size=CHUNK):
        yield {
            "key": c.key,
            "name": c.name,
            "kind": c.kind,
            "aliases": c.aliases,
            "website": c.website,
            "description": c.description,
            "wikidata_id": c.wikidata_id,
        }


def _export_shows() -> Iterator[dict]:
    shows = (
        Show.objects.order_by("key")
        .select_related("network", "spinoff_of")
        .prefetch_related("studios", "tags", "seasons")
    )
    for s in shows.iterator(chunk_size=CHUNK):
        yield {
            "key": s.key,
            "title": s.title,
            "kind": s.kind,
            "year_start": s.year_start,
            "year_end": s.year_end,
            "status": s.status,
            "network": s.network.key if s.network else None,
            "studios": sorted(c.key for c in s.studios.all()),
            "spinoff_of": s.spinoff_of.key if s.spinoff_of else None,
            "aliases": s.aliases,
            "description": s.description,
            "imdb_id": s.imdb_id,
            "tvmaze_id": s.tvmaze_id,
            "wikidata_id": s.wikidata_id,
            "tags": sorted((t.name for t in s.tags.all()), key=str.lower),
            "seasons": [
                {
                    "number": season.number,
                    "premiere_date": season.premiere_date.isoformat() if season.premiere_date else None,
                    "episode_count": season.episode_count,
                    "status": season.status,
                    "is_final": season.is_final,
                }
                for season in sorted(s.seasons.all(), key=lambda x: x.number)
            ],
        }


def _export_people() -> Iterator[dict]:
    for p in Person.objects.order_by("key").iterator(chunk_size=CHUNK):
        yield {
            "key": p.key,
            "name": p.name,
            "aliases": p.aliases,
            "bio": p.bio,
            "birth_year": p.birth_year,
            "death_year": p.death_year,
            "imdb_id": p.imdb_id,
            "wikidata_id": p.wikidata_id,
        }


def _export_credits() -> Iterator[dict]:
    credits = Credit.objects.order_by("show__key", "role", "order", "person__key", "character")
    for show_key, person_key, role, character, order in credits.values_list(
        "show__key", "person__key", "role", "character", "order"
    ).iterator(chunk_size=CHUNK):
        yield {
            "show": show_key,
            "person": person_key,
            "role": role,
            "character": character,
            "order": order,
        }


# IMDb's datasets have their own module (catalog.imdb); importable from here as well.
from .imdb import DEFAULT_TITLE_TYPES, ImdbOptions, import_imdb  # noqa: E402

__all__ = [
    "DEFAULT_TITLE_TYPES",
    "CatalogData",
    "ImdbOptions",
    "export_catalog",
    "import_catalog",
    "import_imdb",
    "parse_catalog",
    "read_catalog_file",
]
