"""Credits arranged the way pages show them: cast in billing order, crew grouped by role,
a person's credits grouped by show.

These work on credits the views have already loaded (prefetched), so arranging them costs
no query and templates receive plain lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import Credit, Show

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

_ROLE_RANK = {role: rank for rank, role in enumerate([Credit.Role.CAST, *CREW_ORDER])}


@dataclass
class RoleGroup:
    role: str
    label: str
    credits: list[Credit] = field(default_factory=list)

    @property
    def characters(self) -> list[str]:
        return [c.character for c in self.credits if c.character]


@dataclass
class ShowCredits:
    """One show on a person's page and what the person did on it."""

    show: Show
    roles: list[RoleGroup] = field(default_factory=list)


def cast_of(credits: Iterable[Credit]) -> list[Credit]:
    """Cast credits in billing order (the order the credits were loaded in)."""
    return [c for c in credits if c.role == Credit.Role.CAST]


def crew_by_role(credits: Iterable[Credit]) -> list[RoleGroup]:
    """Crew credits grouped by role, roles in :data:`CREW_ORDER`, people in billing order."""
    groups: dict[str, RoleGroup] = {}
    for credit in credits:
        if credit.role == Credit.Role.CAST:
            continue
        group = groups.get(credit.role)
        if group is None:
            group = groups[credit.role] = RoleGroup(
                credit.role, PLURAL_LABELS.get(credit.role, credit.get_role_display())
            )
        group.credits.append(credit)
    return sorted(groups.values(), key=lambda g: _ROLE_RANK.get(g.role, len(_ROLE_RANK)))


def credits_by_show(credits: Iterable[Credit]) -> list[ShowCredits]:
    """A person's credits grouped by show (in the order loaded), each show's roles ranked
    cast first, then crew in :data:`CREW_ORDER`."""
    shows: dict[int, ShowCredits] = {}
    for credit in credits:
        entry = shows.get(credit.show_id)
        if entry is None:
            entry = shows[credit.show_id] = ShowCredits(credit.show)
        group = next((g for g in entry.roles if g.role == credit.role), None)
        if group is None:
            group = RoleGroup(credit.role, credit.get_role_display())
            entry.roles.append(group)
        group.credits.append(credit)
    for entry in shows.values():
        entry.roles.sort(key=lambda g: _ROLE_RANK.get(g.role, len(_ROLE_RANK)))
    return list(shows.values())
