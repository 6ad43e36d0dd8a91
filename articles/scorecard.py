"""The renewal scorecard: a year's renewal and cancellation decisions, grouped by platform, with
each show's verdict, the season and the story that announced it.

A year at a time, like the trade press's own scorecards, and a page of ``PER_PAGE`` shows at a
time: a catalog of tens of thousands of shows decides thousands a year, and one page listing
them all would be megabytes of HTML. The newest year with a decision is the default.

Each show's row is its latest renewal or cancellation story of the year, and its verdict the
show's effective status as of that moment, by the one rule the show page uses too
(``catalog.models.effective_status_rule``: the latest published renewal or cancellation story
decides, unless an editor locked the status). For the current year that is the show page's
status today, so the scorecard never contradicts the show page; for a past year it is how the
show stood when the year ended.

Three queries, whatever the catalog's size: the first and last years, the year's counts per platform and
verdict (the summary, the platform filter and the number of matching shows all come from
it), then one page of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Max, Min, Value, When
from django.db.models.functions import Lower
from django.utils import timezone

from catalog.models import Company, Show

from .models import Article, ArticleQuerySet

# Shows a scorecard page lists.
PER_PAGE = 100


class Verdict(models.TextChoices):
    RENEWED = "renewed", "Renewed"
    ENDING = "ending", "Ending"
    CANCELLED = "cancelled", "Cancelled"
    PENDING = "pending", "Pending"


# A show's effective status read as a verdict; anything unsettled (an editor locked the show
# as airing, say) is pending.
VERDICT_STATUSES = {
    Verdict.RENEWED: [Show.Status.RENEWED],
    Verdict.ENDING: [Show.Status.ENDING, Show.Status.ENDED],
    Verdict.CANCELLED: [Show.Status.CANCELLED],
}


def verdict_expression() -> models.Case:
    """The verdict of an ``effective_status`` annotation, in SQL, so it can be filtered and
    counted by the database."""
    return models.Case(
        *(
            When(effective_status__in=statuses, then=Value(verdict.value))
            for verdict, statuses in VERDICT_STATUSES.items()
        ),
        default=Value(Verdict.PENDING.value),
        output_field=models.CharField(),
    )


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


@dataclass(frozen=True)
class Platform:
    """A platform of the year, for the filter."""

    slug: str
    name: str


@dataclass
class Scorecard:
    year: int
    years: list[int]
    groups: list[PlatformGroup]
    counts: dict[Verdict, int]
    platforms: list[Platform]
    total: int
    matching: int
    page: Page
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

    def __init__(self, *args, platforms: list[Platform], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = [("", "Every platform")] + [
            (platform.slug, platform.name) for platform in platforms
        ]


class _Counted:
    """The rows of one filter, whose number the counts query already told: the paginator
    slices them without a COUNT of its own."""

    def __init__(self, rows: ArticleQuerySet, count: int) -> None:
        self.rows, self._count = rows, count

    def count(self) -> int:
        return self._count

    def __getitem__(self, key: Any) -> Any:
        return self.rows[key]


def decision_years(now: datetime) -> list[int]:
    """The years from the newest published renewal or cancellation story about a show to the
    oldest, newest first. The two ends are two reads of the publish-time index; a year in
    between with no decision shows an empty scorecard."""
    ends = (
        Article.objects.published(now)
        .renewal_news()
        .filter(main_show__isnull=False)
        .aggregate(first=Min("published_at"), last=Max("published_at"))
    )
    if ends["last"] is None:
        return []
    first, last = (timezone.localtime(ends[end]).year for end in ("first", "last"))
    return list(range(last, first - 1, -1))


def _chosen_year(value: Any, years: list[int], now: datetime) -> int:
    if isinstance(value, str) and value.isdigit() and int(value) in years:
        return int(value)
    return years[0] if years else timezone.localtime(now).year


def build_scorecard(
    data: dict | None = None, *, now: datetime | None = None
) -> tuple[Scorecard, ScorecardFilterForm]:
    """The scorecard for the year, filters and page in ``data`` (the request's GET
    parameters), and its form."""
    data = data or {}
    now = now or timezone.now()
    years = decision_years(now)
    year = _chosen_year(data.get("year"), years, now)
    zone = timezone.get_current_timezone()
    since = datetime(year, 1, 1, tzinfo=zone)
    until = min(now, datetime(year + 1, 1, 1, tzinfo=zone) - timedelta(microseconds=1))
    decided = Article.objects.deciding(since, until).annotate(verdict=verdict_expression())

    tally = list(
        decided.values(
            "verdict", "main_show__network__slug", "main_show__network__name"
        ).annotate(shows=Count("pk")).order_by()
    )
    platforms = sorted(
        {
            Platform(row["main_show__network__slug"], row["main_show__network__name"])
            for row in tally
            if row["main_show__network__slug"] is not None
        },
        key=lambda platform: (platform.name.casefold(), platform.slug),
    )
    form = ScorecardFilterForm(
        {key: data.get(key, "") for key in ("platform", "status")}, platforms=platforms
    )
    form.is_valid()  # cleaned_data keeps the valid fields: a tampered value is dropped alone
    chosen = getattr(form, "cleaned_data", {})
    platform, status = chosen.get("platform", ""), chosen.get("status", "")

    counts = dict.fromkeys(Verdict, 0)
    matching = 0
    for row in tally:
        counts[Verdict(row["verdict"])] += row["shows"]
        if (not platform or row["main_show__network__slug"] == platform) and (
            not status or row["verdict"] == status
        ):
            matching += row["shows"]

    rows = decided
    if platform:
        rows = rows.filter(main_show__network__slug=platform)
    if status:
        rows = rows.filter(verdict=status)
    rows = (
        rows.select_related("main_show__network")
        .only(
            "id", "title", "slug", "kind", "status", "published_at", "season_number",
            "created_at", "main_show__id", "main_show__title", "main_show__slug",
            "main_show__network__id", "main_show__network__name", "main_show__network__slug",
        )
        .order_by(
            Lower("main_show__network__name").asc(nulls_last=True),
            "main_show__network_id",
            Lower("main_show__title"),
            "main_show_id",
        )
    )
    page = Paginator(_Counted(rows, matching), PER_PAGE).get_page(data.get("page"))

    groups: list[PlatformGroup] = []
    for story in page.object_list:
        network = story.main_show.network
        if not groups or groups[-1].platform != network:
            groups.append(PlatformGroup(network))
        groups[-1].entries.append(
            Entry(
                show=story.main_show,
                verdict=Verdict(story.verdict),
                season=story.season_number,
                announced_at=story.published_at,
                story=story,
            )
        )
    scorecard = Scorecard(
        year=year,
        years=years,
        groups=groups,
        counts=counts,
        platforms=platforms,
        total=sum(counts.values()),
        matching=matching,
        page=page,
        filtered=bool(platform or status),
    )
    return scorecard, form
