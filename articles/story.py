"""What a story's page shows beside the story itself, read in one plain query each.

The story page is the site's busiest, so its reads are kept to what it shows: the bylines
with their authors, the tags, the active mentions with each entity's name and page, and the
top of the main show's billing for the cast & crew panel. Each is a prepared query on the
story's (or its show's) id returning plain rows (``newsroom.prepared``): model instances,
``prefetch_related`` and compiling the SQL anew on every view cost several times what the
database spends on these queries, and a sliced prefetch would turn the panel into a window
over every credit of the show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.db import models

from catalog.models import Show
from catalog.panels import CreditRow
from catalog.profiles import Listed, top_credits
from catalog.tags import prepared_tags
from newsroom.links import TagLink, url_maker
from newsroom.prepared import PreparedQuery

from .cards import AuthorLink
from .models import Article, Byline, Mention


class MentionRow(NamedTuple):
    """An active mention: the entity it links to (exactly one of the three ids is set)."""

    person_id: int | None
    show_id: int | None
    company_id: int | None
    name: str
    url: str
    schema_type: str  # schema.org type of the entity: Person, TVSeries, Movie, Organization
    character: str

    def get_absolute_url(self) -> str:
        return self.url


@dataclass(frozen=True)
class StoryParts:
    bylines: list[AuthorLink]
    tags: list[TagLink]
    mentions: list[MentionRow]
    credits: list[CreditRow]  # the panel: the top of the main show's billing
    more_credits: bool  # the show has more credits than the panel shows


BYLINES = PreparedQuery(
    lambda article_id: Byline.objects.filter(article_id=article_id)
    .order_by("order", "id")
    .values_list("author__name", "author__slug"),
    "article_id",
)
TAGS = prepared_tags("articles_taggedarticle_items", "article_id")
MENTIONS = PreparedQuery(
    lambda article_id: Mention.objects.active()
    .filter(article_id=article_id)
    .order_by(models.F("position").asc(nulls_last=True), "id")
    .values_list(
        "person_id", "show_id", "company_id", "character",
        "person__name", "person__slug", "show__title", "show__slug", "show__kind",
        "company__name", "company__slug",
    ),
    "article_id",
)


def _mention_rows(rows: list[tuple]) -> list[MentionRow]:
    person_url = url_maker("catalog:person_detail", "slug")
    show_url = url_maker("catalog:show_detail", "slug")
    company_url = url_maker("catalog:company_detail", "slug")
    mentions = []
    for person_id, show_id, company_id, character, person, person_slug, show, show_slug, kind, company, company_slug in rows:
        if person_id:
            mention = MentionRow(person_id, None, None, person, person_url(person_slug), "Person", character)
        elif show_id:
            mention = MentionRow(None, show_id, None, show, show_url(show_slug), Show.schema_type_of(kind), character)
        else:
            mention = MentionRow(None, None, company_id, company, company_url(company_slug), "Organization", character)
        mentions.append(mention)
    return mentions


def story_parts(article: Article) -> StoryParts:
    """Everything listed beside ``article`` on its page: four queries (three without a main
    show), whatever the length of the bylines, tags, mentions or the show's credits."""
    author_url = url_maker("articles:author_detail", "slug")
    bylines = [AuthorLink(name, author_url(slug)) for name, slug in BYLINES.rows(article_id=article.pk)]
    tags = [TagLink(name, slug) for name, slug in TAGS.rows(article_id=article.pk)]
    mentions = _mention_rows(MENTIONS.rows(article_id=article.pk))
    panel = top_credits(article.main_show_id) if article.main_show_id else Listed([], False)
    return StoryParts(
        bylines=bylines,
        tags=tags,
        mentions=mentions,
        credits=panel.rows,
        more_credits=panel.more,
    )
