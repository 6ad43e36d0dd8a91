"""Import catalog interchange JSON files (companies, shows, people, credits), upserting by key."""

from functools import partial
from pathlib import Path

from catalog.importers import import_catalog, read_catalog_file
from newsroom.importing import ImportCommand, import_transaction


def _import_file(path: Path, progress) -> object:
    return import_catalog(read_catalog_file(path), progress=progress)


class Command(ImportCommand):
    help = (
        "Import catalog interchange JSON (companies, shows, people, credits). Keys are the identity: a second "
        "run updates and never duplicates. One transaction per file; --dry-run writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        super().add_arguments(parser)

    def handle(self, *args, paths, dry_run, **options):
        progress = self.progress_factory(options)
        # Each file commits on its own; a dry run wraps them all in one transaction that is
        # rolled back, so a later file is checked against the rows of the earlier ones.
        with import_transaction(dry_run=dry_run):
            for path in paths:
                self.run_import(partial(_import_file, path, progress), title=path.name)
        if dry_run:
            self.dry_run_done()
