"""What the show and person pages list beside the entry itself, read as plain rows.

Each list is a prepared query on the entry's id (``newsroom.prepared``): compiled once, run
with the id, rows turned into links and credit rows without model instances. A show page
with 300 credits and a person page with 300 credits are a handful of queries whose Python
cost does not grow with anything but the rows they show.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.utils import timezone

from articles.cards import CardList
from articles.models import Article
from newsroom.links import Link, TagLink, page_url
from newsroom.prepared import PreparedQuery

from .models import Credit, Person, Season, Show
from .panels import CreditRow, show_rows
from .tags import prepared_tags

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
STUDIOS = PreparedQuery(
    lambda show_id: Show.studios.through.objects.filter(show_id=show_id)
    .order_by("company__name", "company_id")
    .values_list("company__name", "company__slug"),
    "show_id",
)
SPINOFFS = PreparedQuery(
    lambda show_id: Show.objects.filter(spinoff_of_id=show_id)
    .order_by("year_start", "title", "id")
    .values_list("title", "slug"),
    "show_id",
)
SHOW_TAGS = prepared_tags("catalog_taggedshow_items", "show_id")

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


def studios_of(show_id: int) -> list[Link]:
    return [Link(name, page_url("catalog:company_detail", slug=slug)) for name, slug in STUDIOS.rows(show_id=show_id)]


def spinoffs_of(show_id: int) -> list[Link]:
    return [Link(title, page_url("catalog:show_detail", slug=slug)) for title, slug in SPINOFFS.rows(show_id=show_id)]


def tags_of_show(show_id: int) -> list[TagLink]:
    return [TagLink(name, slug) for name, slug in SHOW_TAGS.rows(show_id=show_id)]
