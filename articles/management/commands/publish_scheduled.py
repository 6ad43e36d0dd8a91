"""Do the go-live work of scheduled stories whose time has come.

Scheduled stories appear on the site on time without this command (visibility is decided
when a page is read); what it adds is the once-only work of going live: an entry in the
story's admin history, a log line and the ``article_went_live`` signal that caches use to
purge pages. Idempotent and cheap when there is nothing to do, so it is safe to run every
minute from cron:

    * * * * *  cd /srv/newsroom && .venv/bin/python manage.py publish_scheduled
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from articles.workflow import articles_go_live


class Command(BaseCommand):
    help = "Do the go-live work (history entry, cache purge) for scheduled stories now due."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--window-hours",
            type=float,
            default=24,
            help="Stories due for longer than this are only marked as done (default: 24).",
        )

    def handle(self, *args, window_hours: float, verbosity: int, **options) -> None:
        if window_hours <= 0:
            raise CommandError("--window-hours must be a positive number of hours.")
        stats = articles_go_live(window=timedelta(hours=window_hours))
        if verbosity >= 2:
            for article in stats.went_live:
                self.stdout.write(f"  live: {article.slug}")
        summary = f"{len(stats.went_live)} stories went live"
        if stats.backfilled:
            summary += f", {stats.backfilled} older ones marked as done"
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(summary + "."))
