"""Import IMDb's public datasets (title.basics, name.basics, title.principals, title.crew)."""

from pathlib import Path

from django.core.management.base import CommandError

from catalog.importers import DEFAULT_TITLE_TYPES, ImdbOptions, import_imdb
from newsroom.importing import ImportCommand, ImportFailed


class Command(ImportCommand):
    help = (
        "Import IMDb's TSV datasets from DIR (.tsv or .tsv.gz): titles become shows, names "
        "people, principals and crew credits, genres tags. Upserts by IMDb id; one "
        "transaction per file; --dry-run writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, metavar="DIR")
        parser.add_argument(
            "--title-types",
            default=",".join(DEFAULT_TITLE_TYPES),
            help=f"Comma-separated IMDb title types to import (default: {','.join(DEFAULT_TITLE_TYPES)}).",
        )
        parser.add_argument(
            "--since-year", type=int, help="Only titles that started in this year or later."
        )
        parser.add_argument(
            "--limit", type=int, help="Read at most this many rows of each file (for a trial)."
        )
        super().add_arguments(parser)

    def handle(self, *args, directory, title_types, since_year, limit, dry_run, **options):
        if limit is not None and limit < 0:
            raise CommandError("--limit must be zero or more")
        try:
            imdb_options = ImdbOptions(
                title_types=tuple(t.strip() for t in title_types.split(",") if t.strip()),
                since_year=since_year,
                limit=limit,
            )
        except ImportFailed as error:
            raise CommandError(str(error)) from error
        self.run_import(
            lambda: import_imdb(
                directory,
                options=imdb_options,
                dry_run=dry_run,
                progress=self.progress_factory(options),
            ),
            title=f"IMDb datasets in {directory}",
        )
