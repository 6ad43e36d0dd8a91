"""What a page tells search engines, feed readers and social sites about itself.

Every public view hands the layout one :class:`PageMeta`; ``templates/includes/page_meta.html``
turns it into the title, description, canonical link, Open Graph and Twitter card tags, the
feed links (``<link rel="alternate">``) and a schema.org ``BreadcrumbList``. Built in Python from
rows the view has already loaded, so it costs no queries, and each fact is written once rather
than once per tag family.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.safestring import SafeString

from .structured_data import SCHEMA_CONTEXT, absolute_url, jsonld_script

# The widest rendition social sites get: big enough for a large card, small enough to fetch.
SOCIAL_IMAGE_WIDTH = 1280


@dataclass(frozen=True)
class Feed:
    """A feed advertised by the page: the RSS 2.0 address and its Atom twin."""

    title: str
    rss: str
    atom: str


@dataclass(frozen=True)
class PageMeta:
    """The page's own title (without the site's name), a one-sentence description and its
    canonical path; optionally an image, breadcrumbs leading to it (``(name, path)`` pairs
    after the home page, the last one the page itself) and feeds."""

    title: str
    description: str
    path: str
    og_type: str = "website"
    image: FieldFile | None = None
    image_renditions: dict | None = None
    image_alt: str = ""
    breadcrumbs: tuple[tuple[str, str], ...] = ()
    feeds: tuple[Feed, ...] = ()
    document_title: str = ""

    @property
    def full_title(self) -> str:
        return self.document_title or f"{self.title} — {settings.SITE_NAME}"

    @property
    def canonical_url(self) -> str:
        return absolute_url(self.path)

    def _social_rendition(self) -> dict | None:
        fitting = [
            r
            for r in (self.image_renditions or {}).get("renditions") or []
            if r["width"] <= SOCIAL_IMAGE_WIDTH
        ]
        return max(fitting, key=lambda r: r["width"]) if fitting else None

    @property
    def image_url(self) -> str:
        """The absolute address of the largest rendition a social card needs (the original
        until renditions exist), or "" without an image."""
        image = self.image
        if not image or not image.name:
            return ""
        best = self._social_rendition()
        return absolute_url(image.storage.url(best["name"]) if best else image.url)

    @property
    def image_size(self) -> tuple[int, int] | None:
        best = self._social_rendition() if self.image_url else None
        return (best["width"], best["height"]) if best else None

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image_url else "summary"

    def breadcrumb_data(self) -> dict[str, Any] | None:
        """schema.org ``BreadcrumbList``: the home page, then each step, each with its URL."""
        if not self.breadcrumbs:
            return None
        steps = [(settings.SITE_NAME, reverse("articles:home")), *self.breadcrumbs]
        return {
            "@context": SCHEMA_CONTEXT,
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": n, "name": name, "item": absolute_url(path)}
                for n, (name, path) in enumerate(steps, start=1)
            ],
        }

    def breadcrumb_script(self) -> SafeString | str:
        data = self.breadcrumb_data()
        return jsonld_script(data) if data else ""


def profile_feeds(title: str, name: str, slug: str) -> tuple[Feed, ...]:
    """The feed beside a profile page (``<profile url>feed/``), by its URL names."""
    return (
        Feed(
            title=title,
            rss=reverse(f"articles:{name}_feed", args=[slug]),
            atom=reverse(f"articles:{name}_feed_atom", args=[slug]),
        ),
    )


def latest_feeds() -> tuple[Feed, ...]:
    return (
        Feed(
            title=f"{settings.SITE_NAME}: latest stories",
            rss=reverse("articles:latest_feed"),
            atom=reverse("articles:latest_feed_atom"),
        ),
    )
