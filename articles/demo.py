"""The demo site: the catalog, the stories and an admin login that ``make run`` serves.

Everything goes in through the regular importers (``import_catalog`` for
``demo/catalog.json``, ``import_articles`` for ``demo/stories/``), so the demo is also a
standing check that they accept real files, and it is idempotent the way they are: a second
run finds every record unchanged and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalog.importers import import_catalog, read_catalog_file
from newsroom.importing import ImportFailed, ImportStats, ProgressFactory, no_progress

from .importers import import_articles

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
DEMO_USERNAME = "demo"
# Published on screen by design: the demo admin is for a developer's own machine.
DEMO_PASSWORD = "newsroom-demo"  # noqa: S105


def admin_url() -> str:
    """Where the demo admin signs in: the site's address (``NEWSROOM_SITE_URL``, which
    ``make run`` sets from its ``HOST`` and ``PORT``) and the admin's path."""
    return f"{settings.SITE_URL}{reverse('admin:index')}"


@dataclass
class DemoResult:
    catalog: ImportStats
    stories: ImportStats
    link_summary: str
    user_created: bool
    password_works: bool
    notes: list[str] = field(default_factory=list)


def load_demo(*, directory: Path = DEMO_DIR, progress: ProgressFactory = no_progress) -> DemoResult:
    """Import the demo catalog and stories, link them, and make sure the demo admin exists.

    The admin account is created once. A later run leaves it as it is — if someone changed
    its password, the run says so rather than resetting it.
    """
    catalog = import_catalog(read_catalog_file(directory / "catalog.json"), progress=progress)
    result = import_articles([directory / "stories"], progress=progress)
    if result.failures:
        raise ImportFailed("\n".join(result.failures))
    User = get_user_model()
    user = User.objects.filter(username=DEMO_USERNAME).first()
    created = user is None
    if created:
        user = User.objects.create_superuser(DEMO_USERNAME, email="", password=DEMO_PASSWORD)
    return DemoResult(
        catalog=catalog,
        stories=result.total,
        link_summary=result.link_summary,
        user_created=created,
        password_works=user.is_active and user.is_superuser and user.check_password(DEMO_PASSWORD),
    )
