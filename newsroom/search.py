"""Site search: published stories, shows, people and companies in one ranked list.

Two engines behind one function, ``search(query, page=...)``:

- PostgreSQL: full-text search (``django.contrib.postgres.search``) in the
  ``newsroom_search`` text search configuration, which runs every word through ``unaccent``
  before English stemming, so "Renee" finds "Renée" and "renewed" finds "renewal". The
  configuration and the GIN indexes matching the vectors below are created by the
  ``search_postgres`` migrations of the catalog and articles apps (PostgreSQL only); a
  story's vector is a stored column (``0009_search_document``).
- Anything else (SQLite in development and tests): every searched column is folded by
  ``fold()`` — registered as the SQL function ``newsroom_fold`` on each new connection — and
  each query word must appear in one of them. Ranked by where the words appear.

Both engines take at most ``CANDIDATES_PER_KIND`` best matches of each kind (stories on
PostgreSQL: the best of the newest ``STORIES_RANKED`` that match), merge them by
rank and paginate the merged list. Each kind's query also reads what its results show (a
story's card with its bylines, a show's network, year and status…), so the page is built
from those rows alone. A search costs the same queries whatever kinds it finds and however
large the archive is: one per kind.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Cast

from articles.cards import CARD_COLUMNS, StoryCard, cards_from_rows
from articles.models import Article
from catalog.models import Company, Person, Show

from .links import page_url

Kind = Literal["story", "show", "person", "company"]

MAX_QUERY_LENGTH = 200
CANDIDATES_PER_KIND = 200
# Stories are ranked among the newest this many that match (PostgreSQL engine).
STORIES_RANKED = 500
PER_PAGE = 20
POSTGRES_CONFIG = "newsroom_search"
# An entity whose name is exactly the query comes before any story that merely mentions it.
EXACT_NAME_BONUS = 10.0

_TAG = re.compile(r"<[^>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACE = re.compile(r"\s+")
# Letters that Unicode decomposition leaves alone but a reader types without the accent.
_LOOKALIKES = str.maketrans(
    {
        "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "þ": "th",
        "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "\u0131": "i",
        "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
    }
)


def fold(text: str | None) -> str:
    """Text as compared by search: tags stripped, entities decoded, accents off, casefolded."""
    if not text:
        return ""
    text = html.unescape(_TAG.sub(" ", text)) if "<" in text or "&" in text else text
    decomposed = unicodedata.normalize("NFKD", text.translate(_LOOKALIKES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.casefold().translate(_LOOKALIKES)


def fold_list(json_text: str | None) -> str:
    """A JSON list of names (``aliases``) folded into one searchable string."""
    if not json_text:
        return ""
    try:
        items = json.loads(json_text)
    except ValueError:
        return fold(json_text)
    if not isinstance(items, list):
        return fold(json_text)
    return " | ".join(fold(item) for item in items if isinstance(item, str))


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: give SQLite the folding functions search uses."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("newsroom_fold", 1, fold, deterministic=True)
        connection.connection.create_function(
            "newsroom_fold_list", 1, fold_list, deterministic=True
        )


def normalize_query(raw: str | None) -> str:
    """The query as typed, made safe to search and show: no control characters, one space
    between words, at most ``MAX_QUERY_LENGTH`` characters."""
    text = _CONTROL.sub(" ", raw or "")
    return _SPACE.sub(" ", text).strip()[:MAX_QUERY_LENGTH].strip()


@dataclass(frozen=True, slots=True)
class Entry:
    """A show, person or company as a result shows it, in plain text (the template escapes
    it). ``meta`` is the line under the name: ``None`` for a person without aliases, who has
    no such line; a show or a company always has one, even empty."""

    kicker: str
    name: str
    url: str
    meta: str | None


@dataclass(frozen=True)
class Hit:
    """One result: a story as its card (``card``), anything else as an ``entry``."""

    kind: Kind
    pk: int
    rank: float
    card: StoryCard | None = None
    entry: Entry | None = None


@dataclass(frozen=True)
class SearchResults:
    query: str
    page: Page
    total: int

    @property
    def hits(self) -> list[Hit]:
        return list(self.page.object_list)


@dataclass(frozen=True)
class _Candidate:
    kind: Kind
    pk: int
    rank: float
    row: tuple[Any, ...]  # the kind's ``shown`` columns


def search(query: str, *, page: int | str | None = 1, per_page: int = PER_PAGE) -> SearchResults:
    """Published stories, shows, people and companies matching ``query``, best first.

    ``query`` should come through ``normalize_query``; an empty one finds nothing. ``page``
    may be anything a reader typed: out-of-range or malformed numbers give the nearest page.
    """
    query = normalize_query(query)
    candidates = _candidates(query) if query else []
    paginator = Paginator(candidates, per_page)
    current = paginator.get_page(page)
    current.object_list = _hits(list(current.object_list))
    return SearchResults(query=query, page=current, total=paginator.count)


def _candidates(query: str) -> list[_Candidate]:
    engine = _postgres_candidates if connection.vendor == "postgresql" else _portable_candidates
    found = engine(query)
    folded = fold(query)
    ranked = [
        _Candidate(
            kind,
            row[0],
            rank + (EXACT_NAME_BONUS if kind != "story" and fold(row[1]) == folded else 0.0),
            row,
        )
        for kind, rank, row in found
    ]
    order = {"show": 0, "person": 1, "company": 2, "story": 3}
    return sorted(ranked, key=lambda c: (-c.rank, order[c.kind], -c.pk))


class _Source(NamedTuple):
    queryset: QuerySet  # what may be found
    searched: list[tuple[str, str]]  # (column, weight)
    shown: tuple[str, ...]  # what a result shows: the pk, the name (for the bonus), the rest
    # Columns of ``shown`` from another table, read by subqueries rather than joins:
    # PostgreSQL computes them after the sort and the limit, for the results kept only,
    # where a join would be read for every match ranked.
    joined: dict[str, Subquery]


# A story's card, its show's title and slug read by subqueries.
_STORY_JOINED = {"main_show__title": "show_title", "main_show__slug": "show_slug"}
_STORY_SHOWN = tuple(_STORY_JOINED.get(column, column) for column in CARD_COLUMNS)


def _sources() -> dict[Kind, _Source]:
    show = Show.objects.filter(pk=OuterRef("main_show_id")).order_by()
    network = Company.objects.filter(pk=OuterRef("network_id")).order_by()
    return {
        "story": _Source(
            Article.objects.published(),
            [("title", "A"), ("dek", "B"), ("body", "C")],
            _STORY_SHOWN,
            {
                "show_title": Subquery(show.values("title")),
                "show_slug": Subquery(show.values("slug")),
            },
        ),
        "show": _Source(
            Show.objects.all(),
            [("title", "A"), ("aliases", "B")],
            ("id", "title", "slug", "kind", "year_start", "status", "network_name"),
            {"network_name": Subquery(network.values("name"))},
        ),
        "person": _Source(
            Person.objects.all(),
            [("name", "A"), ("aliases", "B")],
            ("id", "name", "slug", "aliases"),
            {},
        ),
        "company": _Source(
            Company.objects.all(),
            [("name", "A"), ("aliases", "B")],
            ("id", "name", "slug", "kind"),
            {},
        ),
    }


def search_vector(columns: list[tuple[str, str]]) -> SearchVector:
    """The weighted vector for ``columns``; the GIN indexes are built on this same expression."""
    vector = None
    for column, weight in columns:
        source = Cast(column, TextField()) if column == "aliases" else column
        part = SearchVector(source, weight=weight, config=POSTGRES_CONFIG)
        vector = part if vector is None else vector + part
    return vector


# Stories carry their vector as a stored column (articles migration 0009_search_document):
# ranking thousands of matches must not parse thousands of bodies again.
class StoredStoryVector(Expression):
    """The story's ``search_document`` column, under whatever alias the query gives the
    stories' table (a subquery renames it, which raw SQL would not follow)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(compiler.query.base_table)}.search_document", []


def _postgres_candidates(query: str) -> list[tuple[Kind, float, tuple]]:
    search_query = SearchQuery(query, search_type="websearch", config=POSTGRES_CONFIG)
    found: list[tuple[Kind, float, tuple]] = []
    for kind, (queryset, columns, shown, joined) in _sources().items():
        vector = StoredStoryVector() if kind == "story" else search_vector(columns)
        if kind == "story":
            # Rank the newest matches only: a common word matches most of an archive, and
            # ranking every match made one search cost half a second at 100,000 stories
            # (the stored vectors of long bodies are read from TOAST, twice per match).
            newest = (
                queryset.annotate(document=vector)
                .filter(document=search_query)
                .order_by("-published_at", "-pk")
                .values("pk")[:STORIES_RANKED]
            )
            queryset = Article.objects.filter(pk__in=newest)
        rows = (
            queryset.annotate(document=vector)
            .filter(document=search_query)
            .annotate(rank=SearchRank(vector, search_query), **joined)
            .order_by("-rank", "-pk")
            .values_list("rank", *shown)[:CANDIDATES_PER_KIND]
        )
        found.extend((kind, row[0], row[1:]) for row in rows)
    return found


_WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2}


def _portable_candidates(query: str) -> list[tuple[Kind, float, tuple]]:
    # Quotes and a leading minus mean something to the PostgreSQL engine; here they are noise.
    words = [w.strip("\"'-") for w in fold(query).split()]
    words = [w for w in dict.fromkeys(words) if w]
    if not words:
        return []
    found: list[tuple[Kind, float, tuple]] = []
    for kind, (queryset, columns, shown, joined) in _sources().items():
        folded = {
            f"folded_{column}": Func(
                F(column),
                function="newsroom_fold_list" if column == "aliases" else "newsroom_fold",
                output_field=TextField(),
            )
            for column, _ in columns
        }
        every_word = Q()
        score = Value(0.0, output_field=FloatField())
        for word in words:
            anywhere = Q()
            for column, weight in columns:
                here = Q(**{f"folded_{column}__contains": word})
                anywhere |= here
                score += Case(
                    When(here, then=Value(_WEIGHTS[weight])),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
            every_word &= anywhere
        rows = (
            queryset.annotate(**folded)
            .filter(every_word)
            .annotate(rank=score, **joined)
            .order_by("-rank", "-pk")
            .values_list("rank", *shown)[:CANDIDATES_PER_KIND]
        )
        found.extend((kind, row[0], row[1:]) for row in rows)
    return found


_SHOW_KINDS = dict(Show.Kind.choices)
_SHOW_STATUSES = dict(Show.Status.choices)
_COMPANY_KINDS = dict(Company.Kind.choices)


def _label(labels: dict, value: str) -> str:
    """As ``get_FOO_display()``: the choice's label, or the value itself if not a choice."""
    return str(labels.get(value, value))


def _show(row: tuple) -> Entry:
    _, title, slug, kind, year_start, status, network = row
    place = [network] if network is not None else []
    if year_start:
        place.append(str(year_start))
    meta = ", ".join(place)
    if status:
        meta += f" · {_label(_SHOW_STATUSES, status)}"
    url = page_url("catalog:show_detail", slug=slug)
    return Entry(_label(_SHOW_KINDS, kind), title, url, meta)


def _person(row: tuple) -> Entry:
    _, name, slug, aliases = row
    meta = f"Also known as {', '.join(str(a) for a in aliases)}" if aliases else None
    return Entry("Person", name, page_url("catalog:person_detail", slug=slug), meta)


def _company(row: tuple) -> Entry:
    _, name, slug, kind = row
    url = page_url("catalog:company_detail", slug=slug)
    return Entry("Company", name, url, _label(_COMPANY_KINDS, kind))


_ENTRIES = {"show": _show, "person": _person, "company": _company}


def _hits(candidates: list[_Candidate]) -> list[Hit]:
    """The page's results from their candidate rows (a story's bylines are in its row): no
    query of their own."""
    stories = [c for c in candidates if c.kind == "story"]
    cards = dict(zip((c.pk for c in stories), cards_from_rows(c.row for c in stories), strict=True))
    return [
        Hit(c.kind, c.pk, c.rank, card=cards[c.pk])
        if c.kind == "story"
        else Hit(c.kind, c.pk, c.rank, entry=_ENTRIES[c.kind](c.row))
        for c in candidates
    ]
