"""Link published stories again: after a catalog import, a change to the linking rules, or
on an editor's request for a few stories.

    python manage.py relink_articles                      # every published or scheduled story
    python manage.py relink_articles --since 2025-01-01   # published on or after a day
    python manage.py relink_articles ballard-renewed other-slug

A progress bar is drawn on a terminal; elsewhere (logs, CI) a line every hundred stories.
"""

from __future__ import annotations

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from articles.linking import LinkResult, link_articles
from articles.models import Article


def stories_to_relink(*, slugs: list[str], since: datetime | None):
    """Published and scheduled stories, oldest first; drafts are linked when published."""
    qs = Article.objects.filter(
        status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED]
    ).order_by("published_at", "pk")
    if slugs:
        qs = Article.objects.filter(slug__in=slugs).order_by("published_at", "pk")
    if since is not None:
        qs = qs.filter(published_at__gte=since)
    return qs


def parse_since(value: str) -> datetime:
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--since {value!r}: expected a date (2025-01-31) or a date and time.")
        moment = datetime.combine(day, time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "Run linking again over published stories (all, those since a date, or by slug)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slugs", nargs="*", help="Only these stories.")
        parser.add_argument("--since", help="Only stories published on or after this date.")

    def handle(self, *args, slugs: list[str], since: str | None, verbosity: int, **options) -> None:
        qs = stories_to_relink(slugs=slugs, since=parse_since(since) if since else None)
        if slugs:
            found = set(qs.values_list("slug", flat=True))
            missing = [s for s in slugs if s not in found]
            if missing:
                raise CommandError(f"No story with the slug: {', '.join(missing)}.")
        total = qs.count()
        bar = None
        if verbosity >= 1 and self.stdout.isatty() and total:
            from tqdm import tqdm

            bar = tqdm(total=total, unit="story", file=self.stdout._out)
        done = 0

        def progress(article: Article, result: LinkResult) -> None:
            nonlocal done
            done += 1
            if bar is not None:
                bar.update()
            elif verbosity >= 2:
                self.stdout.write(f"{article.slug}: {len(result.linked)} links")
            elif verbosity >= 1 and done % 100 == 0:
                self.stdout.write(f"{done}/{total} stories linked")

        try:
            batch = link_articles(qs.iterator(chunk_size=200), on_progress=progress)
        finally:
            if bar is not None:
                bar.close()
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Relinked {batch.stories} stories: {batch.mentions} links, "
                    f"{batch.ambiguous} ambiguous names, "
                    f"{batch.suggestions_created} new suggestions."
                )
            )
