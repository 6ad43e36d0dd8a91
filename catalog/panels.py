"""Credits arranged the way pages show them: cast in billing order, crew grouped by role,
a person's credits grouped by show.

The show and person pages list hundreds of credits, so they read them as plain rows
(``CreditQuerySet.person_rows()``, ``show_rows()``: no model instances) and the blocks are
written here rather than by a template loop: per credit, a template costs a dozen variable
lookups and a ``reverse()`` for the link, which made these pages the slowest of the site.
Links come from one reversed prefix per page (``newsroom.links.url_maker``). The story page's bounded
panel goes through the same code with the top of the show's billing (``articles.story``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.safestring import SafeString, mark_safe

from newsroom.links import url_maker
from newsroom.text import escape_html as escape

from .models import Credit

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


class PersonCreditRow(NamedTuple):
    """One credit on a person's page: which show (title, page, first year), which role."""

    show_id: int
    title: str
    url: str
    year_start: int | None
    role: str
    character: str


def show_rows(values: Iterable[tuple]) -> list[CreditRow]:
    """Rows from ``Credit.objects.show_page_values()``."""
    url = url_maker("catalog:person_detail", "slug")
    return [
        CreditRow(person_id, name, url(slug), role, character)
        for person_id, name, slug, role, character in values
    ]


def person_rows(values: Iterable[tuple]) -> list[PersonCreditRow]:
    """Rows from ``Credit.objects.person_page_values()``."""
    url = url_maker("catalog:show_detail", "slug")
    return [
        PersonCreditRow(show_id, title, url(slug), year_start, role, character)
        for show_id, title, slug, year_start, role, character in values
    ]


@dataclass
class RoleGroup:
    role: str
    label: str
    credits: list = field(default_factory=list)

    @property
    def characters(self) -> list[str]:
        return [c.character for c in self.credits if c.character]


@dataclass
class ShowCredits:
    """One show on a person's page and what the person did on it."""

    show_id: int
    title: str
    url: str
    year_start: int | None
    roles: list[RoleGroup] = field(default_factory=list)


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


def credits_by_show(credits: Iterable[PersonCreditRow]) -> list[ShowCredits]:
    """A person's credits grouped by show (in the order loaded), each show's roles ranked
    cast first, then crew in :data:`CREW_ORDER`."""
    shows: dict[int, ShowCredits] = {}
    groups: dict[tuple[int, str], RoleGroup] = {}
    for credit in credits:
        entry = shows.get(credit.show_id)
        if entry is None:
            entry = shows[credit.show_id] = ShowCredits(
                credit.show_id, credit.title, credit.url, credit.year_start
            )
        group = groups.get((credit.show_id, credit.role))
        if group is None:
            group = groups[credit.show_id, credit.role] = RoleGroup(
                credit.role, ROLE_LABELS.get(credit.role, credit.role)
            )
            entry.roles.append(group)
        group.credits.append(credit)
    for entry in shows.values():
        entry.roles.sort(key=lambda g: _ROLE_RANK.get(g.role, len(_ROLE_RANK)))
    return list(shows.values())


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


def person_credits_html(entries: list[ShowCredits]) -> SafeString:
    """A person's credits: each show (linked, with its first year) and their roles on it,
    characters for cast."""
    parts: list[str] = []
    for entry in entries:
        year = f' <span class="muted">({entry.year_start})</span>' if entry.year_start else ""
        parts.append(
            f'<h3 class="credits__heading"><a href="{escape(entry.url)}">{escape(entry.title)}</a>'
            f'{year}</h3>\n<ul class="credits" role="list">\n'
        )
        for group in entry.roles:
            characters = group.characters
            as_ = (
                f', <span class="credits__role">as {escape(" and ".join(characters))}</span>'
                if characters
                else ""
            )
            parts.append(f"  <li>{escape(group.label)}{as_}</li>\n")
        parts.append("</ul>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
