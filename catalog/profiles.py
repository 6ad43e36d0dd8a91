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
from taggit.models import Tag

from articles.cards import CardList
from articles.models import Article
from newsroom.links import Link, TagLink, page_url
from newsroom.prepared import PreparedQuery

from .models import Credit, Season, Show
from .panels import CreditRow, PersonCreditRow, person_rows, show_rows

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
SHOW_TAGS = PreparedQuery(
    lambda show_id: Tag.objects.filter(catalog_taggedshow_items__content_object_id=show_id)
    .order_by("name")
    .values_list("name", "slug"),
    "show_id",
)

# The story that decides what the public is told about a show's future (the rule of
# ``Show.objects.with_effective_status``): its latest published renewal or cancellation.
STATUS_STORY = PreparedQuery(
    lambda show_id, now: Article.objects.published(now)
    .renewal_news()
    .filter(main_show_id=show_id)
    .order_by("-published_at", "-pk")
    .values_list("kind", "is_final_season", "pk")[:1],
    "show_id",
    "now",
)

# How many stories each list on a profile page shows (the newest); the paginated story list
# and the feeds have the rest.
PROFILE_LIMIT = 20

STORIES_ABOUT_SHOW = CardList(
    lambda show_id, now: Article.objects.published(now).about(show_id).newest(),
    "show_id", limit=PROFILE_LIMIT,
)
STORIES_MENTIONING_SHOW = CardList(
    lambda show_id, now: Article.objects.published(now)
    .mentioning(show=show_id)
    .exclude(main_show=show_id)
    .newest(),
    "show_id", limit=PROFILE_LIMIT,
)
STORIES_MENTIONING_PERSON = CardList(
    lambda person_id, now: Article.objects.published(now).mentioning(person=person_id).newest(),
    "person_id", limit=PROFILE_LIMIT,
)
STORIES_ABOUT_THEIR_SHOWS = CardList(
    lambda person_id, now: Article.objects.published(now)
    .about_shows_of(person_id)
    .exclude(pk__in=Article.objects.mentioning(person=person_id).values("pk"))
    .newest(),
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


def decide_status(show: Show) -> None:
    """Give ``show`` its ``effective_status`` as of now (``Show.decide_status``)."""
    rows = STATUS_STORY.rows(show_id=show.pk, now=timezone.now())
    show.decide_status(*(rows[0] if rows else (None, None, None)))


def show_credits(show_id: int) -> list[CreditRow]:
    """Every credit of a show, in billing order."""
    return show_rows(SHOW_CREDITS.rows(show_id=show_id))


def person_credits(person_id: int) -> list[PersonCreditRow]:
    """Every credit of a person, newest show first."""
    return person_rows(PERSON_CREDITS.rows(person_id=person_id))


def studios_of(show_id: int) -> list[Link]:
    return [Link(name, page_url("catalog:company_detail", slug=slug)) for name, slug in STUDIOS.rows(show_id=show_id)]


def spinoffs_of(show_id: int) -> list[Link]:
    return [Link(title, page_url("catalog:show_detail", slug=slug)) for title, slug in SPINOFFS.rows(show_id=show_id)]


def tags_of_show(show_id: int) -> list[TagLink]:
    return [TagLink(name, slug) for name, slug in SHOW_TAGS.rows(show_id=show_id)]
