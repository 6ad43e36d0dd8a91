"""Export the whole catalog as interchange JSON, the format import_catalog reads."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog.importers import export_catalog


class _Unterminated:
    """Lets the exporter write pieces of lines through the command's stdout wrapper."""

    def __init__(self, wrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")


class Command(BaseCommand):
    help = "Write the catalog as interchange JSON to PATH (or standard output without one)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, metavar="PATH")

    def handle(self, *args, path, **options):
        # One transaction: a consistent snapshot even while editors keep working.
        with transaction.atomic():
            if path is None:
                export_catalog(_Unterminated(self.stdout))
                return
            try:
                with path.open("w", encoding="utf-8") as out:
                    counts = export_catalog(out)
            except OSError as error:
                raise CommandError(f"{path}: cannot be written ({error.strerror})") from error
        if options["verbosity"]:
            summary = ", ".join(f"{n:,} {section}" for section, n in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Wrote {path}: {summary}"))
