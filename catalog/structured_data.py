"""schema.org JSON-LD for catalog pages and for the catalog entries a story names.

Built from rows the views have already loaded (prefetched credits, seasons, studios): these
functions never query.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings

from newsroom.structured_data import (
    SCHEMA_CONTEXT,
    absolute_url,
    compact,
    imdb_name_url,
    imdb_title_url,
    same_as,
    wikidata_url,
)

from .models import Company, Credit, Person, Show
from .panels import CreditRow

if TYPE_CHECKING:
    from newsroom.links import Link

    from .profiles import SeasonRow

# Most senior first: executive, co-executive, then producers.
PRODUCER_ROLES = [
    Credit.Role.EXECUTIVE_PRODUCER,
    Credit.Role.CO_EXECUTIVE_PRODUCER,
    Credit.Role.PRODUCER,
]


def person_ref(person: Person) -> dict[str, Any]:
    """A person as a reference inside another item: type, name and page."""
    return {"@type": "Person", "name": person.name, "url": absolute_url(person.get_absolute_url())}


def show_ref(show: Show) -> dict[str, Any]:
    return {"@type": show.schema_type, "name": show.title, "url": absolute_url(show.get_absolute_url())}


def company_ref(company: Company) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": company.name,
        "url": absolute_url(company.get_absolute_url()),
    }


def credited_ref(credit: CreditRow, site: str) -> dict[str, Any]:
    """A credited person as a reference, from a panel row (its page address already made, a
    path on ``site``: ``SITE_URL`` read once for all the credits a page lists)."""
    return {"@type": "Person", "name": credit.name, "url": f"{site}{credit.url}"}


def _people(credits: Iterable[CreditRow], site: str) -> list[dict[str, Any]]:
    seen: set[int] = set()
    people = []
    for credit in credits:
        if credit.person_id not in seen:
            seen.add(credit.person_id)
            people.append(credited_ref(credit, site))
    return people


def performance_role(credit: CreditRow, site: str) -> dict[str, Any]:
    """An actor wrapped in the role they play, the way schema.org attaches a character."""
    role = {"@type": "PerformanceRole", "actor": credited_ref(credit, site)}
    if credit.character:
        role["characterName"] = credit.character
    return role


def season_item(show: Show, season: SeasonRow) -> dict[str, Any]:
    return compact(
        {
            "@type": "TVSeason",
            "name": f"Season {season.number}",
            "seasonNumber": season.number,
            "startDate": season.premiere_date.isoformat() if season.premiere_date else None,
            "numberOfEpisodes": season.episode_count,
            "url": absolute_url(f"{show.get_absolute_url()}#season-{season.number}"),
        }
    )


def show_data(
    show: Show, *, credits: list[CreditRow], seasons: list[SeasonRow], studios: list[Link]
) -> dict[str, Any]:
    """``TVSeries`` (or ``Movie``) for the show page: cast as ``PerformanceRole``s with their
    characters, directors, producers, creators, seasons, studios and external ids."""
    cast = [c for c in credits if c.role == Credit.Role.CAST]
    site = settings.SITE_URL
    data = {
        "@context": SCHEMA_CONTEXT,
        "@type": show.schema_type,
        "name": show.title,
        "url": absolute_url(show.get_absolute_url()),
        "description": show.description,
        "alternateName": list(show.aliases),
        "startDate": str(show.year_start) if show.year_start and not show.is_film else None,
        "endDate": str(show.year_end) if show.year_end and not show.is_film else None,
        "image": absolute_url(show.poster.url) if show.poster else None,
        "actor": [performance_role(c, site) for c in cast],
        "director": _people((c for c in credits if c.role == Credit.Role.DIRECTOR), site),
        "producer": _people((c for role in PRODUCER_ROLES for c in credits if c.role == role), site),
        "creator": _people((c for c in credits if c.role == Credit.Role.CREATOR), site),
        "author": _people((c for c in credits if c.role == Credit.Role.WRITER), site),
        "productionCompany": [company_ref(s) for s in studios],
        "sameAs": same_as(imdb_title_url(show.imdb_id), wikidata_url(show.wikidata_id)),
    }
    if not show.is_film:
        data["containsSeason"] = [season_item(show, s) for s in seasons]
        data["numberOfSeasons"] = len(seasons) or None
    return compact(data)


def person_data(person: Person) -> dict[str, Any]:
    return compact(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "Person",
            "name": person.name,
            "url": absolute_url(person.get_absolute_url()),
            "alternateName": list(person.aliases),
            "description": person.bio,
            "image": absolute_url(person.headshot.url) if person.headshot else None,
            "sameAs": same_as(imdb_name_url(person.imdb_id), wikidata_url(person.wikidata_id)),
        }
    )


def company_data(company: Company) -> dict[str, Any]:
    return compact(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "Organization",
            "name": company.name,
            "url": absolute_url(company.get_absolute_url()),
            "alternateName": list(company.aliases),
            "description": company.description,
            "sameAs": same_as(company.website, wikidata_url(company.wikidata_id)),
        }
    )
