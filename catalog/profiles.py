"""What the show and person pages list beside the entry itself, read as plain rows.

Each list is a prepared query on the entry's id (``newsroom.prepared``): compiled once, run
with the id, rows turned into links and credit rows without model instances. A show page
with 300 credits and a person page with 300 credits are a handful of queries whose Python
cost does not grow with anything but the rows they show.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.db import models
from django.db.models import F, Value
from django.utils import timezone
from taggit.models import Tag

from articles.cards import CardList
from articles.models import Article
from newsroom.links import Link, TagLink, url_maker
from newsroom.prepared import PreparedQuery

from .models import Credit, Person, Season, Show
from .panels import CreditRow, show_rows

# The pages' own rows: the show with its network, the show it spun off from and what the
# public is told about its future (``with_effective_status``); the person.
PUBLIC_SHOW = PreparedQuery(
    lambda slug, now: Show.objects.for_detail().with_effective_status(now).filter(slug=slug),
    "slug",
    "now",
)
PERSON = PreparedQuery(lambda slug: Person.objects.for_detail().filter(slug=slug), "slug")

SHOW_CREDITS = PreparedQuery(
    lambda show_id: Credit.objects.filter(show_id=show_id).show_page_values(), "show_id"
)
PERSON_CREDITS = PreparedQuery(
    lambda person_id: Credit.objects.filter(person_id=person_id).person_page_values(), "person_id"
)
# A show's studios, spinoffs and tags: three short lists read as one query (each a round
# trip of its own cost more than the database spends on all three). Rows are (kind, name,
# slug, year, id), ordered as each list reads (the parts lose their own default ordering,
# which a compound statement may not have): studios by name, spinoffs by first year and
# title, tags by name.
_STUDIO, _SPINOFF, _TAG = 1, 2, 3
_NO_YEAR = Value(None, output_field=models.IntegerField())
SHOW_LINKS = PreparedQuery(
    lambda show_id: Show.studios.through.objects.filter(show_id=show_id)
    .annotate(
        part=Value(_STUDIO), label=F("company__name"), link=F("company__slug"),
        sort_year=_NO_YEAR, sort_id=F("company_id"),
    )
    .order_by()
    .values_list("part", "label", "link", "sort_year", "sort_id")
    .union(
        Show.objects.filter(spinoff_of_id=show_id)
        .annotate(part=Value(_SPINOFF), label=F("title"), link=F("slug"), sort_year=F("year_start"), sort_id=F("id"))
        .order_by()
        .values_list("part", "label", "link", "sort_year", "sort_id"),
        Tag.objects.filter(catalog_taggedshow_items__content_object_id=show_id)
        .annotate(part=Value(_TAG), label=F("name"), link=F("slug"), sort_year=_NO_YEAR, sort_id=F("id"))
        .order_by()
        .values_list("part", "label", "link", "sort_year", "sort_id"),
        all=True,
    )
    .order_by("part", "sort_year", "label", "sort_id"),
    "show_id",
)

# How many stories each list on a profile page shows (the newest); the paginated story list
# and the feeds have the rest.
PROFILE_LIMIT = 20

STORIES_ABOUT_SHOW = CardList(
    lambda show_id, now: Article.objects.published(now).about(show_id).newest(),
    "show_id", limit=PROFILE_LIMIT,
)
STORIES_MENTIONING_SHOW = CardList(
    lambda show_id, now: Article.objects.newest_mentioning(
        show=show_id, at=now, limit=PROFILE_LIMIT
    ).exclude(main_show=show_id),
    "show_id", limit=PROFILE_LIMIT,
)
STORIES_MENTIONING_PERSON = CardList(
    lambda person_id, now: Article.objects.newest_mentioning(
        person=person_id, at=now, limit=PROFILE_LIMIT
    ),
    "person_id", limit=PROFILE_LIMIT,
)
STORIES_ABOUT_THEIR_SHOWS = CardList(
    lambda person_id, now: Article.objects.newest_about_shows_of(
        person_id, at=now, limit=PROFILE_LIMIT
    ),
    "person_id", limit=PROFILE_LIMIT,
)


SEASONS = PreparedQuery(
    lambda show_id, now: Season.objects.filter(show_id=show_id)
    .visible(now)
    .order_by("number")
    .values_list("number", "is_final", "status", "premiere_date", "episode_count"),
    "show_id",
    "now",
)

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


def public_seasons(show_id: int) -> list[SeasonRow]:
    """The show's seasons the public may see (``Season.objects.visible()``), in order."""
    return [SeasonRow(*row) for row in SEASONS.rows(show_id=show_id, now=timezone.now())]


def show_credits(show_id: int) -> list[CreditRow]:
    """Every credit of a show, in billing order."""
    return show_rows(SHOW_CREDITS.rows(show_id=show_id))


def person_credits(person_id: int) -> list[tuple]:
    """Every credit of a person as ``person_page_values()`` rows, newest show first."""
    return PERSON_CREDITS.rows(person_id=person_id)


class ShowLinks(NamedTuple):
    studios: list[Link]
    spinoffs: list[Link]
    tags: list[TagLink]


def links_of_show(show_id: int) -> ShowLinks:
    """The show's studios, its spinoffs and its tags, in the order its page lists them."""
    company_url = url_maker("catalog:company_detail", "slug")
    show_url = url_maker("catalog:show_detail", "slug")
    links = ShowLinks([], [], [])
    for kind, name, slug, _year, _key in SHOW_LINKS.rows(show_id=show_id):
        if kind == _STUDIO:
            links.studios.append(Link(name, company_url(slug)))
        elif kind == _SPINOFF:
            links.spinoffs.append(Link(name, show_url(slug)))
        else:
            links.tags.append(TagLink(name, slug))
    return links
