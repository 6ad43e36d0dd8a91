"""Load the demo catalog, stories and admin login (idempotent): what ``make run`` serves."""

from django.conf import settings
from django.core.management.base import CommandError

from articles.demo import DEMO_PASSWORD, DEMO_USERNAME, admin_url, load_demo
from newsroom.importing import ImportCommand, ImportFailed


class Command(ImportCommand):
    help = (
        "Import demo/catalog.json and demo/stories/ through the regular importers, link the "
        "stories, and create the demo admin user. Running it again changes nothing. Refused "
        "when DJANGO_DEBUG is off: the demo login's password is printed for all to see."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="Never draw a progress bar (one line per step instead).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo creates an admin login whose password is public; it runs only with "
                "DJANGO_DEBUG=1 (a development machine)."
            )
        try:
            result = load_demo(progress=self.progress_factory(options))
        except ImportFailed as error:
            raise CommandError(f"{error}\nThe demo files are broken; nothing of them was written.") from error
        self.print_summary(result.catalog, title="Demo catalog")
        self.print_summary(result.stories, title="Demo stories")
        if result.link_summary and self.verbosity >= 1:
            self.stdout.write(result.link_summary)
        if result.user_created:
            self.stdout.write(self.style.SUCCESS(f"Created the demo admin user {DEMO_USERNAME!r}."))
        if result.password_works:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Admin: {admin_url()}  username: {DEMO_USERNAME}  password: {DEMO_PASSWORD}"
                )
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Admin: {admin_url()}  username: {DEMO_USERNAME} — its password was changed "
                    f"or it is no longer an active superuser; reset it with "
                    f"`manage.py changepassword {DEMO_USERNAME}`."
                )
            )
