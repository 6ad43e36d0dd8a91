"""Import story archives: Markdown files with front matter, folders of them, WordPress exports."""

from pathlib import Path

from django.core.management.base import CommandError

from articles.importers import import_articles
from newsroom.importing import ImportCommand, ImportFailed


class Command(ImportCommand):
    help = (
        "Import stories from Markdown files with front matter, folders of them, and WordPress "
        "WXR exports (.xml). A second run updates and never duplicates: a WordPress post is "
        "known by its guid, a Markdown story by its slug. One transaction per file; published "
        "stories are linked to the catalog at the end; --dry-run writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--media",
            type=Path,
            metavar="DIR",
            help="Folder holding a WordPress export's uploaded files (wp-content/uploads): "
            "featured images found there become the stories' hero images.",
        )
        parser.add_argument(
            "--no-link",
            action="store_true",
            help="Do not link the imported stories to the catalog (run relink_articles later).",
        )
        super().add_arguments(parser)

    def handle(self, *args, paths, dry_run, media, no_link, **options):
        if media is not None and not media.is_dir():
            raise CommandError(f"--media {media}: no such folder")
        try:
            result = import_articles(
                paths,
                dry_run=dry_run,
                media=media,
                link=not no_link,
                progress=self.progress_factory(options),
            )
        except ImportFailed as error:
            raise CommandError(str(error)) from error
        # Many files (a folder): one summary for all, and each file's own at -v 2.
        if len(result.files) == 1 or self.verbosity >= 2:
            for name, stats in result.files:
                self.print_summary(stats, title=name)
        if len(result.files) > 1:
            self.print_summary(result.total, title=f"All {len(result.files)} files")
        if result.link_summary and self.verbosity >= 1:
            self.stdout.write(result.link_summary)
        if dry_run:
            self.dry_run_done()
        if result.failures:
            raise CommandError(
                f"{len(result.failures)} file(s) refused; nothing of them was written:\n"
                + "\n".join(result.failures)
            )
