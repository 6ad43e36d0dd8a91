"""Credits arranged the way pages show them: cast in billing order, crew grouped by role,
a person's credits grouped by show; and the show page's facts and seasons.

Credit lists are bounded: a show's panel (on its page and beside its stories) is the top of
its billing, a person's page lists their newest shows, and the full lists are paginated pages
of their own (``catalog.profiles``). They are still the longest lists of the site, so they are
read as plain rows (``CreditQuerySet.show_page_values()``, ``person_page_values()``: no model
instances) and the blocks are written here rather than by a template loop: per credit, a
template costs a dozen variable lookups and a ``reverse()`` for the link. Links come from one
reversed prefix per page (``newsroom.links.url_maker``). The show page's facts and seasons
are written here too: as template blocks, with its tag list, they were a seventh of the
page's Python (their lookups, filters and date formats).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import quote

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe

from newsroom.links import page_url, url_maker
from newsroom.text import escape_html as escape

from .models import Credit, Show

if TYPE_CHECKING:
    from newsroom.links import Link

    from .profiles import SeasonRow

# Crew roles in the order a credits block reads: who made it, who runs it, who produced it.
CREW_ORDER: list[str] = [
    Credit.Role.CREATOR,
    Credit.Role.SHOWRUNNER,
    Credit.Role.EXECUTIVE_PRODUCER,
    Credit.Role.CO_EXECUTIVE_PRODUCER,
    Credit.Role.PRODUCER,
    Credit.Role.WRITER,
    Credit.Role.DIRECTOR,
    Credit.Role.SOURCE_AUTHOR,
]

PLURAL_LABELS: dict[str, str] = {
    Credit.Role.CAST: "Cast",
    Credit.Role.CREATOR: "Created by",
    Credit.Role.SHOWRUNNER: "Showrunners",
    Credit.Role.EXECUTIVE_PRODUCER: "Executive producers",
    Credit.Role.CO_EXECUTIVE_PRODUCER: "Co-executive producers",
    Credit.Role.PRODUCER: "Producers",
    Credit.Role.WRITER: "Writers",
    Credit.Role.DIRECTOR: "Directors",
    Credit.Role.SOURCE_AUTHOR: "Based on the work of",
}

ROLE_LABELS: dict[str, str] = dict(Credit.Role.choices)

_ROLE_RANK = {role: rank for rank, role in enumerate([Credit.Role.CAST, *CREW_ORDER])}


class CreditRow(NamedTuple):
    """One credit on a show's panel: who (name and page), which role, which character."""

    person_id: int
    name: str
    url: str
    role: str
    character: str


def show_rows(values: Iterable[tuple]) -> list[CreditRow]:
    """Rows from ``Credit.objects.show_page_values()``."""
    url = url_maker("catalog:person_detail", "slug")
    return [
        CreditRow(person_id, name, url(slug), role, character)
        for person_id, name, slug, role, character in values
    ]


@dataclass
class RoleGroup:
    role: str
    label: str
    credits: list = field(default_factory=list)

    @property
    def characters(self) -> list[str]:
        return [c.character for c in self.credits if c.character]


def cast_of(credits: Iterable[CreditRow]) -> list[CreditRow]:
    """Cast credits in billing order (the order the credits were loaded in)."""
    return [c for c in credits if c.role == Credit.Role.CAST]


def crew_by_role(credits: Iterable[CreditRow]) -> list[RoleGroup]:
    """Crew credits grouped by role, roles in :data:`CREW_ORDER`, people in billing order."""
    groups: dict[str, RoleGroup] = {}
    for credit in credits:
        if credit.role == Credit.Role.CAST:
            continue
        group = groups.get(credit.role)
        if group is None:
            label = PLURAL_LABELS.get(credit.role) or ROLE_LABELS.get(credit.role, credit.role)
            group = groups[credit.role] = RoleGroup(credit.role, label)
        group.credits.append(credit)
    return sorted(groups.values(), key=lambda g: _ROLE_RANK.get(g.role, len(_ROLE_RANK)))


def credits_html(cast: list[CreditRow], crew: list[RoleGroup], *, level: int = 3) -> SafeString:
    """Cast (with characters, in billing order) then crew grouped by role, each group under
    a heading of ``level``; every name links to the person's page."""
    h = f"h{int(level)}"
    parts: list[str] = []
    if cast:
        parts.append(f'<{h} class="credits__heading">Cast</{h}>\n<ul class="credits" role="list">\n')
        for c in cast:
            role = f' <span class="credits__role">as {escape(c.character)}</span>' if c.character else ""
            parts.append(f'  <li><a href="{escape(c.url)}">{escape(c.name)}</a>{role}</li>\n')
        parts.append("</ul>\n")
    for group in crew:
        parts.append(
            f'<{h} class="credits__heading">{escape(group.label)}</{h}>\n'
            '<ul class="credits" role="list">\n'
        )
        for c in group.credits:
            parts.append(f'  <li><a href="{escape(c.url)}">{escape(c.name)}</a></li>\n')
        parts.append("</ul>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def person_credits_html(values: Iterable[tuple], *, level: int = 3) -> SafeString:
    """A person's credits, from ``Credit.objects.person_page_values()`` rows: each show
    (linked, with its first year, under a heading of ``level``) and their roles on it, cast
    first and crew in :data:`CREW_ORDER`, with the characters they play.

    The rows come grouped by show (newest first), so each show is written as its last row
    is passed: one pass over the rows, no object per credit.
    """
    url = url_maker("catalog:show_detail", "slug")
    h = f"h{int(level)}"
    unranked = len(_ROLE_RANK)
    parts: list[str] = []
    current = None
    roles: dict[str, list[str]] = {}

    def write_show() -> None:
        title, slug, year_start = current[1:]
        year = f' <span class="muted">({year_start})</span>' if year_start else ""
        parts.append(
            f'<{h} class="credits__heading"><a href="{escape(url(slug))}">{escape(title)}</a>'
            f'{year}</{h}>\n<ul class="credits" role="list">\n'
        )
        for role in sorted(roles, key=lambda r: _ROLE_RANK.get(r, unranked)):
            characters = [c for c in roles[role] if c]
            as_ = (
                f', <span class="credits__role">as {escape(" and ".join(characters))}</span>'
                if characters
                else ""
            )
            parts.append(f"  <li>{escape(ROLE_LABELS.get(role, role))}{as_}</li>\n")
        parts.append("</ul>\n")

    for show_id, title, slug, year_start, role, character in values:
        if current is None or show_id != current[0]:
            if current is not None:
                write_show()
            current, roles = (show_id, title, slug, year_start), {}
        roles.setdefault(role, []).append(character)
    if current is not None:
        write_show()
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


# -- lists of shows (a company's, a tag's) -----------------------------------------------

SHOW_LIST_COLUMNS = ("title", "slug", "kind", "year_start", "year_end", "network_id", "network__name")
_SHOW_KINDS: dict[str, str] = {kind: label.lower() for kind, label in Show.Kind.choices}


def show_list_html(
    rows: list[tuple], *, more: bool = False, empty: str = "", exclude_network_id: int | None = None
) -> SafeString:
    """Shows with their kind, years and network (not ``exclude_network_id``: a network's own
    page does not repeat its name), or ``empty`` when there are none."""
    if not rows:
        return mark_safe(f'<p class="empty">{escape(empty or "None yet.")}</p>')  # noqa: S308 — escaped
    url = url_maker("catalog:show_detail", "slug")
    items = []
    for title, slug, kind, year_start, year_end, network_id, network_name in rows:
        facts = escape(_SHOW_KINDS.get(kind, kind))
        if year_start:
            facts += f", {year_start}"
            if year_end and year_end != year_start:
                facts += f"\u2013{year_end}"
        if network_id and network_id != exclude_network_id:
            facts += f", {escape(network_name)}"
        items.append(
            f'  <li><a href="{escape(url(slug))}">{escape(title)}</a> <span class="muted">({facts})</span></li>\n'
        )
    tail = f'<p class="muted">Showing the {len(rows)} most recent.</p>' if more else ""
    return mark_safe(f'<ul class="show-list" role="list">\n{"".join(items)}</ul>\n{tail}')  # noqa: S308 — escaped


# -- the show page's facts and seasons -------------------------------------------------------


def _links(links: list[Link]) -> str:
    return ", ".join(f'<a href="{escape(link.url)}">{escape(link.name)}</a>' for link in links)


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


def show_facts_html(show: Show, *, studios: list[Link], spinoffs: list[Link]) -> SafeString:
    """The show's facts as ``<dt>``/``<dd>`` pairs: its network (or platform), studios,
    status with a link to the renewal scorecard (of the deciding story's year, on the show's
    network), the show it spun off from, its spinoffs, other names, and pages elsewhere.
    ``show`` is read with ``for_detail()`` and ``with_effective_status()``."""
    network = show.network if show.network_id else None
    parts: list[str] = []
    if network:
        kind = "Platform" if network.kind == "streamer" else "Network"
        parts.append(f'<dt>{kind}</dt><dd><a href="{escape(network.get_absolute_url())}">{escape(network.name)}</a></dd>')
    if studios:
        parts.append(f"<dt>Studio{_plural(len(studios))}</dt><dd>{_links(studios)}</dd>")
    query = []
    if show.status_story_at:
        query.append(f"year={timezone.localtime(show.status_story_at).year}")
    if network:
        query.append(f"platform={escape(quote(network.slug, safe='/'))}")
    scorecard = page_url("articles:scorecard") + ("?" + "&amp;".join(query) if query else "")
    on = f" for {escape(network.name)}" if network else ""
    parts.append(
        f'<dt>Status</dt><dd>{escape(str(show.effective_status_label))} <span class="muted">·</span> '
        f'<a href="{scorecard}">Renewal scorecard<span class="visually-hidden">{on}</span></a></dd>'
    )
    if show.spinoff_of_id:
        parent = show.spinoff_of
        parts.append(
            f'<dt>Spinoff of</dt><dd><a href="{escape(parent.get_absolute_url())}">{escape(parent.title)}</a></dd>'
        )
    if spinoffs:
        parts.append(f"<dt>Spinoff{_plural(len(spinoffs))}</dt><dd>{_links(spinoffs)}</dd>")
    if show.aliases:
        parts.append(f"<dt>Also known as</dt><dd>{', '.join(escape(str(alias)) for alias in show.aliases)}</dd>")
    elsewhere = []
    if show.imdb_id:
        elsewhere.append(f'<a href="https://www.imdb.com/title/{escape(show.imdb_id)}/" rel="external">IMDb</a>')
    if show.wikidata_id:
        elsewhere.append(f'<a href="https://www.wikidata.org/wiki/{escape(show.wikidata_id)}" rel="external">Wikidata</a>')
    if elsewhere:
        parts.append(f"<dt>Elsewhere</dt><dd>{', '.join(elsewhere)}</dd>")
    return mark_safe("\n".join(parts))  # noqa: S308 — every value above is escaped


def seasons_html(seasons: list[SeasonRow]) -> SafeString:
    """The seasons the public may see, each with its status, premiere and episode count; or
    a line saying there are none yet."""
    if not seasons:
        return mark_safe('<p class="empty">No seasons listed yet.</p>')
    items = []
    for season in seasons:
        final = " (final season)" if season.is_final else ""
        day = season.premiere_date
        premiere = (
            f', premiere <time datetime="{day.isoformat()}">{MONTHS[day.month]} {day.day}, {day.year}</time>'
            if day
            else ""
        )
        count = season.episode_count
        episodes = f", {count} episode{_plural(count)}" if count else ""
        items.append(
            f'<li id="season-{season.number}"><strong>Season {season.number}</strong>{final} — '
            f"{escape(str(season.status_label).lower())}{premiere}{episodes}</li>"
        )
    return mark_safe('<ul class="seasons" role="list">\n' + "\n".join(items) + "\n</ul>")  # noqa: S308 — escaped
