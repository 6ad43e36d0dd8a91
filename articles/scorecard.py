"""The renewal scorecard: every show with a published renewal or cancellation story, grouped by
platform, with its verdict, the season and the story that announced it.

Each show's verdict is its effective status, the one rule the show page uses too
(``Show.objects.with_effective_status``: the latest published renewal or cancellation story
decides, unless an editor locked the status), so the scorecard never contradicts the show page.
Two queries (the shows, then their deciding stories); filtering and grouping happen here, in
memory, over one row per show.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django import forms
from django.db import models

from catalog.models import Company, Show

from .models import Article


class Verdict(models.TextChoices):
    RENEWED = "renewed", "Renewed"
    ENDING = "ending", "Ending"
    CANCELLED = "cancelled", "Cancelled"
    PENDING = "pending", "Pending"


# A show's effective status (``Show.objects.with_effective_status``), read as a verdict.
STATUS_VERDICTS = {
    Show.Status.RENEWED: Verdict.RENEWED,
    Show.Status.CANCELLED: Verdict.CANCELLED,
    Show.Status.ENDING: Verdict.ENDING,
    Show.Status.ENDED: Verdict.ENDING,
}


def verdict_of(show: Show) -> Verdict:
    """The scorecard's word for the show's effective status; anything unsettled (an editor
    locked the show as airing, say) is pending."""
    return STATUS_VERDICTS.get(show.effective_status, Verdict.PENDING)


@dataclass(frozen=True)
class Entry:
    show: Show
    verdict: Verdict
    season: int | None
    announced_at: datetime
    story: Article


@dataclass
class PlatformGroup:
    platform: Company | None
    entries: list[Entry] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.platform.name if self.platform else "Other platforms"


@dataclass
class Scorecard:
    groups: list[PlatformGroup]
    counts: dict[Verdict, int]
    platforms: list[Company]
    total: int
    filtered: bool = False

    @property
    def shown(self) -> int:
        return sum(len(group.entries) for group in self.groups)


class ScorecardFilterForm(forms.Form):
    """The filters, as GET parameters; values a reader tampered with are ignored."""

    platform = forms.ChoiceField(required=False, label="Platform")
    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "Any status"), *Verdict.choices],
    )

    def __init__(self, *args, platforms: list[Company], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = [("", "Every platform")] + [
            (company.slug, company.name) for company in platforms
        ]


def build_scorecard(data: dict | None = None) -> tuple[Scorecard, ScorecardFilterForm]:
    """The scorecard filtered by ``data`` (the request's GET parameters), and its form."""
    shows = list(Show.objects.for_scorecard())
    stories = Article.objects.for_scorecard().in_bulk([show.status_story_id for show in shows])
    entries = [
        Entry(
            show=show,
            verdict=verdict_of(show),
            season=stories[show.status_story_id].season_number,
            announced_at=stories[show.status_story_id].published_at,
            story=stories[show.status_story_id],
        )
        for show in shows
    ]
    platforms = sorted(
        {e.show.network.pk: e.show.network for e in entries if e.show.network}.values(),
        key=lambda company: company.name.casefold(),
    )
    form = ScorecardFilterForm(data or None, platforms=platforms)
    form.is_valid()  # cleaned_data keeps the valid fields: a tampered value is dropped alone
    chosen = getattr(form, "cleaned_data", {})
    platform, status = chosen.get("platform", ""), chosen.get("status", "")

    groups: dict[int | None, PlatformGroup] = {}
    for entry in entries:
        network = entry.show.network
        if platform and (network is None or network.slug != platform):
            continue
        if status and entry.verdict != status:
            continue
        key = network.pk if network else None
        groups.setdefault(key, PlatformGroup(network)).entries.append(entry)

    ordered = sorted(
        groups.values(), key=lambda g: (g.platform is None, g.name.casefold())
    )
    counts = Counter(entry.verdict for entry in entries)
    scorecard = Scorecard(
        groups=ordered,
        counts={verdict: counts.get(verdict, 0) for verdict in Verdict},
        platforms=platforms,
        total=len(entries),
        filtered=bool(platform or status),
    )
    return scorecard, form
