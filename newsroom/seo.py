"""What a page tells search engines, feed readers and social sites about itself.

Every public view hands the layout one :class:`PageMeta`; :meth:`PageMeta.head_html` (placed
by ``templates/includes/page_meta.html``) turns it into the title, description, canonical link, Open Graph and Twitter card tags, the
feed links (``<link rel="alternate">``) and a schema.org ``BreadcrumbList``. Built in Python from
rows the view has already loaded, so it costs no queries, and each fact is written once rather
than once per tag family.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.utils.safestring import SafeString, mark_safe

from .links import page_url
from .structured_data import SCHEMA_CONTEXT, absolute_url, jsonld_script
from .text import escape_html as escape

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

    def _social_image(self) -> tuple[str, tuple[int, int] | None] | None:
        """The absolute address of the largest rendition a social card needs (the original
        until renditions exist) and its size when known; None without an image."""
        image = self.image
        if not image or not image.name:
            return None
        fitting = [
            r
            for r in (self.image_renditions or {}).get("renditions") or []
            if r["width"] <= SOCIAL_IMAGE_WIDTH
        ]
        if not fitting:
            return absolute_url(image.url), None
        best = max(fitting, key=lambda r: r["width"])
        return absolute_url(image.storage.url(best["name"])), (best["width"], best["height"])

    def breadcrumb_data(self) -> dict[str, Any] | None:
        """schema.org ``BreadcrumbList``: the home page, then each step, each with its URL."""
        if not self.breadcrumbs:
            return None
        steps = [(settings.SITE_NAME, page_url("articles:home")), *self.breadcrumbs]
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

    def head_html(self) -> SafeString:
        """The ``<head>`` tags: canonical link, Open Graph, Twitter card and feed links,
        written here rather than by a template (a few dozen lookups on every page)."""
        e = escape
        canonical = e(self.canonical_url) if self.path else ""
        image_url, size = self._social_image() or ("", None)
        image_url = e(image_url)
        lines = []
        if canonical:
            lines.append(f'<link rel="canonical" href="{canonical}">')
        lines += [
            f'<meta property="og:site_name" content="{e(settings.SITE_NAME)}">',
            f'<meta property="og:type" content="{e(self.og_type)}">',
            f'<meta property="og:title" content="{e(self.title)}">',
            f'<meta property="og:description" content="{e(self.description)}">',
        ]
        if canonical:
            lines.append(f'<meta property="og:url" content="{canonical}">')
        lines.append('<meta property="og:locale" content="en_US">')
        if image_url:
            lines.append(f'<meta property="og:image" content="{image_url}">')
            if size:
                lines += [
                    f'<meta property="og:image:width" content="{size[0]}">',
                    f'<meta property="og:image:height" content="{size[1]}">',
                ]
            if self.image_alt:
                lines.append(f'<meta property="og:image:alt" content="{e(self.image_alt)}">')
        lines += [
            f'<meta name="twitter:card" content="{"summary_large_image" if image_url else "summary"}">',
            f'<meta name="twitter:title" content="{e(self.title)}">',
            f'<meta name="twitter:description" content="{e(self.description)}">',
        ]
        if image_url:
            lines.append(f'<meta name="twitter:image" content="{image_url}">')
            if self.image_alt:
                lines.append(f'<meta name="twitter:image:alt" content="{e(self.image_alt)}">')
        for feed in self.feeds:
            title = e(feed.title)
            lines += [
                f'<link rel="alternate" type="application/rss+xml" title="{title} (RSS)" href="{e(feed.rss)}">',
                f'<link rel="alternate" type="application/atom+xml" title="{title} (Atom)" href="{e(feed.atom)}">',
            ]
        return mark_safe("\n  " + "\n  ".join(lines))  # noqa: S308 — every value escaped


def profile_feeds(title: str, name: str, slug: str) -> tuple[Feed, ...]:
    """The feed beside a profile page (``<profile url>feed/``), by its URL names."""
    return (
        Feed(
            title=title,
            rss=page_url(f"articles:{name}_feed", slug=slug),
            atom=page_url(f"articles:{name}_feed_atom", slug=slug),
        ),
    )


def latest_feeds() -> tuple[Feed, ...]:
    return (
        Feed(
            title=f"{settings.SITE_NAME}: latest stories",
            rss=page_url("articles:latest_feed"),
            atom=page_url("articles:latest_feed_atom"),
        ),
    )
