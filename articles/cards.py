"""Story cards: the lists of stories on the home page, the story list and every profile page.

A card shows a story's kind, main show, headline, dek, bylines, date and hero image. Profile
pages list up to forty of them, so lists are read as plain rows (:func:`story_cards`, one
query per list, or :class:`CardLists`, one for a page's lists; the bylines are the story's
own copy, ``Article.byline_authors``) and written by :func:`story_list_html` rather than by
a template per card: a card costs the template
engine two includes and a few dozen variable lookups, which made story lists the largest
part of the profile pages' time. Stories loaded as models (``for_listing()``) are written the
same way through :func:`card_of`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, NamedTuple

from django.db import connections, router
from django.db.models import QuerySet, TextField, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe

from newsroom import images
from newsroom.links import url_maker
from newsroom.prepared import PreparedQuery
from newsroom.text import escape_html as escape

from .models import Article

KIND_LABELS: dict[str, str] = dict(Article.Kind.choices)
CARD_IMAGE_SIZES = "(min-width: 60rem) 10rem, 30vw"


@dataclass(slots=True)
class AuthorLink:
    name: str
    url: str

    def get_absolute_url(self) -> str:
        return self.url


@dataclass(slots=True)
class StoryCard:
    id: int
    title: str
    url: str
    dek: str
    kind: str
    published_at: datetime | None
    show_title: str | None
    show_url: str | None
    image: str  # the hero image's stored name, "" without one
    renditions: dict[str, Any] | None
    bylines: list[AuthorLink] = field(default_factory=list)


# The hero image's renditions and the bylines as their JSON text, each decoded only when it
# holds something: read as a JSONField, every card's value went through the field's converter,
# most of them an empty object (0.3-0.4 ms of a profile page's forty cards).
RENDITIONS_TEXT = Cast("hero_image_renditions", TextField())
BYLINES_TEXT = Cast("byline_authors", TextField())
CARD_COLUMNS = (
    "id", "title", "slug", "dek", "kind", "published_at", "created_at",
    "main_show__title", "main_show__slug", "hero_image", RENDITIONS_TEXT, BYLINES_TEXT,
)


def cards_from_rows(rows: Iterable[tuple]) -> list[StoryCard]:
    """Cards from rows of ``CARD_COLUMNS``; addresses as ``get_absolute_url`` writes them."""
    story_url = url_maker("articles:article_detail", "year", "month", "day", "slug")
    show_url = url_maker("catalog:show_detail", "slug")
    author_url = url_maker("articles:author_detail", "slug")
    zone = timezone.get_current_timezone()
    cards = []
    for pk, title, slug, dek, kind, published_at, created_at, show_title, show_slug, image, renditions, bylines in rows:
        local = (published_at or created_at).astimezone(zone)
        cards.append(
            StoryCard(
                id=pk,
                title=title,
                url=story_url(local.year, f"{local.month:02d}", f"{local.day:02d}", slug),
                dek=dek,
                kind=kind,
                published_at=published_at,
                show_title=show_title,
                show_url=show_url(show_slug) if show_slug else None,
                image=image or "",
                renditions=json.loads(renditions) if image and renditions else None,
                bylines=[]
                if bylines == "[]"
                else [AuthorLink(name, author_url(author)) for name, author in json.loads(bylines)],
            )
        )
    return cards


def cards_of(stories: QuerySet) -> list[StoryCard]:
    """Every story of ``stories`` (already filtered, ordered and sliced: a page of a list)
    as cards, in one query."""
    return cards_from_rows(stories.values_list(*CARD_COLUMNS))


def story_cards(stories: QuerySet, limit: int) -> list[StoryCard]:
    """The first ``limit`` stories of ``stories`` (already filtered and ordered) as cards."""
    return cards_of(stories[:limit])


class CardList:
    """A story list of a fixed shape (a profile's newest stories), prepared once.

    ``stories(now=…, **params)`` returns the public stories of the list, filtered and
    ordered; ``params`` are the ids it takes (``newsroom.prepared``).
    """

    def __init__(self, stories: Callable[..., QuerySet], *params: str, limit: int) -> None:
        self.query = PreparedQuery(
            lambda **values: stories(**values).values_list(*CARD_COLUMNS)[:limit], *params, "now"
        )

    def cards(self, **params: int) -> list[StoryCard]:
        return cards_from_rows(self.query.rows(now=timezone.now(), **params))


class CardLists:
    """A page's story lists (a profile's "about" and "mentioning"), prepared once and read as
    one query: each list's own rows, newest first, without a round trip per list.

    ``lists`` are ``(stories, limit)`` pairs, ``stories`` as :class:`CardList` takes it (the
    newest first). A story in two lists comes in both. Each list is a part of a compound
    statement: its own sliced query where the database takes one (PostgreSQL), else the
    stories whose ids its sliced query gives (SQLite takes no LIMIT in a part; that reads
    each story once more, 0.1-0.2 ms of a profile page on PostgreSQL).
    """

    def __init__(self, *lists: tuple[Callable[..., QuerySet], int], params: tuple[str, ...]) -> None:
        # Each row says which list it is in by a letter: an integer column would have every
        # row go through Django's integer converter (it has none for text).
        self.labels = [chr(ord("a") + number) for number in range(len(lists))]

        def build(**values) -> QuerySet:
            # The database the prepared query is compiled for: it reads Article as this does.
            alias = router.db_for_read(Article)
            sliced = connections[alias].features.supports_slicing_ordering_in_compound
            parts = []
            for label, (stories, limit) in zip(self.labels, lists, strict=True):
                listed = stories(**values)
                if not sliced:
                    listed = Article.objects.filter(pk__in=listed.values("pk")[:limit]).order_by()
                part = listed.annotate(list_label=Value(label, output_field=TextField())).values_list(
                    *CARD_COLUMNS, "list_label"
                )
                parts.append(part[:limit] if sliced else part)
            return parts[0].union(*parts[1:], all=True).order_by("list_label", "-published_at", "-id")

        self.query = PreparedQuery(build, *params, "now")

    def rows(self, **params: int) -> list[list[tuple]]:
        """The lists' rows (of ``CARD_COLUMNS``: the first is the story's id), in the order the
        lists were given: for a page that shows only some of them (:func:`cards_from_rows`)."""
        rows: dict[str, list[tuple]] = {label: [] for label in self.labels}
        for row in self.query.rows(now=timezone.now(), **params):
            rows[row[-1]].append(row[:-1])
        return list(rows.values())

    def cards(self, **params: int) -> list[list[StoryCard]]:
        """The lists' cards, in the order the lists were given."""
        return [cards_from_rows(part) for part in self.rows(**params)]


def card_of(article: Article) -> StoryCard:
    """A card from a story loaded with ``for_listing()`` (its bylines prefetched)."""
    show = article.main_show
    return StoryCard(
        id=article.pk,
        title=article.title,
        url=article.get_absolute_url(),
        dek=article.dek,
        kind=article.kind,
        published_at=article.published_at,
        show_title=show.title if show else None,
        show_url=show.get_absolute_url() if show else None,
        image=article.hero_image.name or "",
        renditions=article.hero_image_renditions,
        bylines=[
            AuthorLink(b.author.name, b.author.get_absolute_url()) for b in article.bylines.all()
        ],
    )


def byline_html(authors: list[AuthorLink]) -> str:
    """"By A, B and C", each name linking to the author's page."""
    if not authors:
        return ""
    links = [f'<a href="{escape(a.url)}" rel="author">{escape(a.name)}</a>' for a in authors]
    names = links[0] if len(links) == 1 else ", ".join(links[:-1]) + " and " + links[-1]
    return f'<span class="byline">By {names}</span>'


def _image_html(card: StoryCard) -> str:
    if not card.image:
        return ""
    storage = Article._meta.get_field("hero_image").storage
    image = images.srcset(card.renditions, storage) or {"src": storage.url(card.image)}
    srcset = (
        f' srcset="{escape(image["srcset"])}" sizes="{CARD_IMAGE_SIZES}"' if image.get("srcset") else ""
    )
    size = f' width="{image["width"]}" height="{image["height"]}"' if image.get("width") else ""
    return (
        f'<img src="{escape(image["src"])}"{srcset}{size} alt="" loading="lazy" '
        f'decoding="async" class="card__image">'
    )


class _Labels(dict):
    """Translated (so lazy) labels of ``source`` read once per list, not once per card."""

    def __init__(self, source: dict) -> None:
        super().__init__()
        self.source = source

    def __missing__(self, key):
        label = self[key] = str(self.source.get(key, key))
        return label


class ListText(NamedTuple):
    """What the cards of one list share: the time zone, month names and kind labels."""

    tz: tzinfo
    months: _Labels
    kinds: _Labels

    @classmethod
    def now(cls) -> ListText:
        return cls(timezone.get_current_timezone(), _Labels(MONTHS), _Labels(KIND_LABELS))


def _machine_time(local: datetime) -> str:
    """``local`` as "Y-m-d\\TH:i:sO" ("2026-11-24T09:30:00-0800"): ``isoformat()`` with the
    colon taken out of its offset, half of what ``strftime()`` costs (forty cards a page)."""
    stamp = local.isoformat(timespec="seconds")
    if len(stamp) != 25:  # an offset with seconds (zones before standard time)
        return local.strftime("%Y-%m-%dT%H:%M:%S%z")
    return stamp[:22] + stamp[23:]


def card_html(card: StoryCard, level: int = 3, *, text: ListText | None = None) -> str:
    """One card. A list passes the :class:`ListText` its cards share (:func:`story_list_html`)."""
    text = text or ListText.now()
    kicker = escape(text.kinds[card.kind])
    if card.show_url:
        kicker += f' · <a href="{escape(card.show_url)}">{escape(card.show_title)}</a>'
    dek = f'<p class="card__dek">{escape(card.dek)}</p>' if card.dek else ""
    byline = byline_html(card.bylines)
    when = ""
    if card.published_at:
        # As the date filter writes "Y-m-d\TH:i:sO" and "F j, Y", without its formatter.
        local = card.published_at.astimezone(text.tz)
        when = (
            f'<time datetime="{_machine_time(local)}">'
            f"{text.months[local.month]} {local.day}, {local.year}</time>"
        )
    return (
        f'<article class="card">{_image_html(card)}'
        f'<p class="card__kicker">{kicker}</p>'
        f'<h{level} class="card__title"><a href="{escape(card.url)}">{escape(card.title)}</a></h{level}>'
        f'{dek}<p class="card__meta">{byline}{" · " if byline and when else ""}{when}</p></article>'
    )


def story_list_html(
    stories: Iterable[StoryCard | Article], *, level: int = 3, empty: str = "No stories yet."
) -> SafeString:
    """A list of story cards, or ``empty`` when there are none."""
    cards = [s if isinstance(s, StoryCard) else card_of(s) for s in stories]
    if not cards:
        return mark_safe(f'<p class="empty">{escape(empty)}</p>')  # noqa: S308 — escaped above
    text = ListText.now()
    items = "".join(f"<li>{card_html(card, level, text=text)}</li>" for card in cards)
    return mark_safe(f'<ul class="story-list" role="list">{items}</ul>')  # noqa: S308 — every value escaped
