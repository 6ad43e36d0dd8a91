"""What the show and person pages list beside the entry itself, read as plain rows.

Each list is a prepared query on the entry's id (``newsroom.prepared``): compiled once, run
with the id, rows turned into links and credit rows without model instances. Every list is
bounded: a show's page lists the top of its billing (:data:`~catalog.models.PANEL_CREDITS`)
and a person's page their :data:`PERSON_PAGE_SHOWS` newest shows, each linking to a full list
paginated by :data:`CREDIT_PAGE_CREDITS` credits or :data:`CREDIT_PAGE_SHOWS` shows; a show
with 3,000 credits costs its page what one with 41 does.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Cast
from django.utils import timezone
from taggit.models import Tag

from articles.cards import CardList, CardLists
from articles.models import Article
from newsroom.links import Link, TagLink, url_maker
from newsroom.prepared import PreparedQuery

from .models import PANEL_CREDITS, Company, Credit, Person, Season, Show
from .panels import SHOW_LIST_COLUMNS, show_rows

# The pages' own rows: the show with its network, the show it spun off from and what the
# public is told about its future (``with_effective_status``); the person.
PUBLIC_SHOW = PreparedQuery(
    lambda slug, now: Show.objects.for_detail().with_effective_status(now).filter(slug=slug),
    "slug",
    "now",
)
PERSON = PreparedQuery(lambda slug: Person.objects.for_detail().filter(slug=slug), "slug")
COMPANY = PreparedQuery(lambda slug: Company.objects.for_detail().filter(slug=slug), "slug")

# The top of a show's billing (its panel), one credit more to know whether there are more.
TOP_CREDITS = PreparedQuery(
    lambda show_id: Credit.objects.top_of_billing(show_id, PANEL_CREDITS + 1), "show_id"
)
# A person's credits on their ``first``-th to ``last``-th shows, newest show first.
PERSON_CREDITS = PreparedQuery(
    lambda person_id, first, last: Credit.objects.filter(person_id=person_id)
    .of_shows_ranked(first, last)
    .person_page_values(),
    "person_id",
    "first",
    "last",
)
# A show's studios, spinoffs, tags and public seasons: four short lists read as one query
# (each a round trip of its own cost more than the database spends on all four). Rows are
# (part, label, link, sort_year, sort_id, day, final), ordered as each list reads (the parts
# lose their own default ordering, which a compound statement may not have): studios by
# name, spinoffs by first year (undated last) and title, tags by name, seasons by number.
# A season's row is (part, status, None, number, episode count, premiere date, is final).
_STUDIO, _SPINOFF, _TAG, _SEASON = 1, 2, 3, 4
# Typed NULLs: a bound parameter's NULL is text to PostgreSQL, which no date column unites with.
_NO_YEAR = Cast(Value(None), models.IntegerField())
_NO_LINK = Cast(Value(None), models.CharField())
_NO_DAY = Cast(Value(None), models.DateField())
_NO_FLAG = Cast(Value(None), models.BooleanField())
_SHOW_LIST_COLUMNS = ("part", "label", "link", "sort_year", "sort_id", "day", "final")
SHOW_LISTS = PreparedQuery(
    lambda show_id, now: Show.studios.through.objects.filter(show_id=show_id)
    .annotate(
        part=Value(_STUDIO), label=F("company__name"), link=F("company__slug"),
        sort_year=_NO_YEAR, sort_id=F("company_id"), day=_NO_DAY, final=_NO_FLAG,
    )
    .order_by()
    .values_list(*_SHOW_LIST_COLUMNS)
    .union(
        Show.objects.filter(spinoff_of_id=show_id)
        .annotate(
            part=Value(_SPINOFF), label=F("title"), link=F("slug"), sort_year=F("year_start"),
            sort_id=F("id"), day=_NO_DAY, final=_NO_FLAG,
        )
        .order_by()
        .values_list(*_SHOW_LIST_COLUMNS),
        Tag.objects.filter(catalog_taggedshow_items__content_object_id=show_id)
        .annotate(
            part=Value(_TAG), label=F("name"), link=F("slug"), sort_year=_NO_YEAR,
            sort_id=F("id"), day=_NO_DAY, final=_NO_FLAG,
        )
        .order_by()
        .values_list(*_SHOW_LIST_COLUMNS),
        Season.objects.filter(show_id=show_id)
        .visible(now)
        .annotate(
            part=Value(_SEASON), label=F("status"), link=_NO_LINK, sort_year=F("number"),
            sort_id=F("episode_count"), day=F("premiere_date"), final=F("is_final"),
        )
        .order_by()
        .values_list(*_SHOW_LIST_COLUMNS),
        all=True,
    )
    .order_by("part", F("sort_year").asc(nulls_last=True), "label", "sort_id"),
    "show_id",
    "now",
)

# How many stories each list on a profile page shows (the newest); the paginated story list
# and the feeds have the rest.
PROFILE_LIMIT = 20
# How many of a person's shows their page lists with their credits (the newest); their full
# credits page has the rest, this many shows a page.
PERSON_PAGE_SHOWS = 40
CREDIT_PAGE_SHOWS = 200
# How many credits a show's full cast & crew page lists at a time.
CREDIT_PAGE_CREDITS = 500

# A show's stories: about it, and mentioning it (those about it left out), one query.
SHOW_STORIES = CardLists(
    (lambda show_id, now: Article.objects.published(now).about(show_id).newest(), PROFILE_LIMIT),
    (
        lambda show_id, now: Article.objects.newest_mentioning(
            show=show_id, at=now, limit=PROFILE_LIMIT
        ).exclude(main_show=show_id),
        PROFILE_LIMIT,
    ),
    params=("show_id",),
)
# A person's stories: naming them, and about the shows they are credited on, one query. Twice
# the second list's length: the page leaves out those it lists as naming the person (at most
# PROFILE_LIMIT), and still has PROFILE_LIMIT others when there are that many.
PERSON_STORIES = CardLists(
    (
        lambda person_id, now: Article.objects.newest_mentioning(
            person=person_id, at=now, limit=PROFILE_LIMIT
        ),
        PROFILE_LIMIT,
    ),
    (
        lambda person_id, now: Article.objects.newest_about_shows_of(
            person_id, at=now, limit=2 * PROFILE_LIMIT
        ),
        2 * PROFILE_LIMIT,
    ),
    params=("person_id",),
)


STORIES_CONCERNING_COMPANY = CardList(
    lambda company_id, now: Article.objects.published(now).concerning_company(company_id).newest(),
    "company_id", limit=PROFILE_LIMIT,
)

# How many shows a company's or a tag's page lists in each of its show lists (the newest).
SHOW_LIST_LIMIT = 50


def show_list(shows, name: str) -> PreparedQuery:
    """The newest :data:`SHOW_LIST_LIMIT` of ``shows(id)``, and one more to know whether there
    are more, as ``catalog.panels.SHOW_LIST_COLUMNS`` rows; ``name`` names the id."""
    return PreparedQuery(
        lambda **ids: shows(*ids.values()).newest_first().values_list(*SHOW_LIST_COLUMNS)[: SHOW_LIST_LIMIT + 1],
        name,
    )


NETWORK_SHOWS = show_list(lambda company_id: Show.objects.on_network(company_id), "company_id")
STUDIO_SHOWS = show_list(lambda company_id: Show.objects.from_studio(company_id), "company_id")
TAGGED_SHOWS = show_list(lambda tag_id: Show.objects.tagged(tag_id), "tag_id")


SEASON_LABELS: dict[str, str] = dict(Season.Status.choices)


class SeasonRow(NamedTuple):
    number: int
    is_final: bool
    status: str
    premiere_date: date | None
    episode_count: int | None

    @property
    def status_label(self) -> str:
        return SEASON_LABELS.get(self.status, self.status)


class Listed(NamedTuple):
    """Part of a longer list: the rows shown, and whether more come after them."""

    rows: list
    more: bool

    @classmethod
    def first(cls, rows: list, limit: int) -> Listed:
        """The first ``limit`` of ``rows``, read with one more than that to know whether
        there are more."""
        return cls(rows[:limit], len(rows) > limit)


def top_credits(show_id: int) -> Listed:
    """The show's panel: its first :data:`PANEL_CREDITS` credits in billing order."""
    return Listed.first(show_rows(TOP_CREDITS.rows(show_id=show_id)), PANEL_CREDITS)


def show_credits_page(show_id: int, page: int) -> Listed:
    """The ``page``-th :data:`CREDIT_PAGE_CREDITS` credits of a show, in billing order."""
    start = (page - 1) * CREDIT_PAGE_CREDITS
    values = Credit.objects.filter(show_id=show_id).show_page_values()[start : start + CREDIT_PAGE_CREDITS + 1]
    return Listed.first(show_rows(values), CREDIT_PAGE_CREDITS)


def person_credits(person_id: int, *, shows: int = PERSON_PAGE_SHOWS, page: int = 1) -> Listed:
    """The person's credits on the ``page``-th ``shows`` of their shows, newest first, as
    ``person_page_values()`` rows; every credit of each of those shows."""
    first = (page - 1) * shows + 1
    rows = PERSON_CREDITS.rows(person_id=person_id, first=first, last=first + shows)
    # The rows of one show more than asked for, if there is one, come last.
    seen: set[int] = set()
    for index, row in enumerate(rows):
        seen.add(row[0])
        if len(seen) > shows:
            return Listed(rows[:index], True)
    return Listed(rows, False)


def newest_shows(shows: PreparedQuery, **ids: int) -> Listed:
    """A :func:`show_list` (:data:`NETWORK_SHOWS`, :data:`STUDIO_SHOWS`, :data:`TAGGED_SHOWS`)
    for these ids, and whether it has more."""
    return Listed.first(shows.rows(**ids), SHOW_LIST_LIMIT)


def person_credits_page(person_id: int, page: int) -> Listed:
    """The person's credits on the ``page``-th :data:`CREDIT_PAGE_SHOWS` of their shows."""
    return person_credits(person_id, shows=CREDIT_PAGE_SHOWS, page=page)


class ShowLists(NamedTuple):
    studios: list[Link]
    spinoffs: list[Link]
    tags: list[TagLink]
    seasons: list[SeasonRow]


def lists_of_show(show_id: int) -> ShowLists:
    """The show's studios, spinoffs, tags and the seasons the public may see
    (``Season.objects.visible()``), in the order its page lists them."""
    company_url = url_maker("catalog:company_detail", "slug")
    show_url = url_maker("catalog:show_detail", "slug")
    lists = ShowLists([], [], [], [])
    for part, label, slug, number, count, day, final in SHOW_LISTS.rows(show_id=show_id, now=timezone.now()):
        if part == _STUDIO:
            lists.studios.append(Link(label, company_url(slug)))
        elif part == _SPINOFF:
            lists.spinoffs.append(Link(label, show_url(slug)))
        elif part == _TAG:
            lists.tags.append(TagLink(label, slug))
        else:
            lists.seasons.append(SeasonRow(number, final, label, day, count))
    return lists
