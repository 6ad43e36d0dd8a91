"""schema.org ``NewsArticle`` for the story page.

``about`` is the story's main show; ``mentions`` are exactly the active ``Mention`` rows that
linking (or an editor) stored — people who appear only in the cast & crew panel are not
mentions. Built from the story and what its page read beside it (``articles.story``): no
queries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from catalog.structured_data import show_ref
from newsroom.structured_data import SCHEMA_CONTEXT, absolute_url, compact

from .models import Article
from .story import MentionRow, StoryParts


def publisher() -> dict[str, Any]:
    return {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute_url("/")}


def author_ref(author) -> dict[str, Any]:
    return {"@type": "Person", "name": author.name, "url": absolute_url(author.get_absolute_url())}


def mention_ref(mention: MentionRow) -> dict[str, Any]:
    return {"@type": mention.schema_type, "name": mention.name, "url": absolute_url(mention.url)}


def _local_seconds(when: datetime | None) -> datetime | None:
    """In the site's time zone, to the second: what readers and the story's address use."""
    return timezone.localtime(when).replace(microsecond=0) if when else None


def article_data(article: Article, parts: StoryParts) -> dict[str, Any]:
    published = _local_seconds(article.published_at)
    modified = _local_seconds(article.updated_at)
    if published and (modified is None or modified < published):
        # An edit made while the story was scheduled predates publication.
        modified = published
    url = absolute_url(article.get_absolute_url())
    authors = [author_ref(b.author) for b in parts.bylines]
    return compact(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "NewsArticle",
            "headline": article.title,
            "description": article.dek,
            "url": url,
            "mainEntityOfPage": url,
            "datePublished": published.isoformat() if published else None,
            "dateModified": modified.isoformat() if modified else None,
            "articleSection": article.get_kind_display(),
            "keywords": [tag.name for tag in parts.tags],
            "image": absolute_url(article.hero_image.url) if article.hero_image else None,
            "author": authors or [publisher()],
            "publisher": publisher(),
            "about": show_ref(article.main_show) if article.main_show_id else None,
            "mentions": [mention_ref(m) for m in parts.mentions],
        }
    )


def author_data(author) -> dict[str, Any]:
    return compact(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "Person",
            "name": author.name,
            "url": absolute_url(author.get_absolute_url()),
            "description": author.bio,
            "image": absolute_url(author.photo.url) if author.photo else None,
            "worksFor": publisher(),
        }
    )


def website_data() -> dict[str, Any]:
    """The home page's ``WebSite``, with the site search as a ``SearchAction`` so search
    engines can offer it from their results."""
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": absolute_url("/"),
        "publisher": publisher(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute_url(reverse("search")) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }
