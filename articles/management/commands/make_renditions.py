"""Make the WebP renditions of every stored image that lacks them (``newsroom.images``).

Renditions are made when an image is saved; this fills in images stored before renditions
existed or written by code that bypassed ``save()``. ``--force`` remakes them all (after
changing ``WIDTHS`` or the quality).
"""

from django.core.management.base import BaseCommand

from newsroom.images import refresh_all


class Command(BaseCommand):
    help = "Make missing WebP renditions of hero images, posters, headshots and author photos."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Remake renditions that already exist."
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        made = refresh_all(force=force)
        for label, count in made.items():
            if options["verbosity"] > 1 or count:
                self.stdout.write(f"{label}: {count} image(s) made into renditions")
        self.stdout.write(self.style.SUCCESS(f"Done: {sum(made.values())} image(s) processed."))
