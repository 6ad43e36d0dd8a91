"""schema.org ``NewsArticle`` for the story page.

``about`` is the story's main show; ``mentions`` are exactly the active ``Mention`` rows that
linking (or an editor) stored — people who appear only in the cast & crew panel are not
mentions. Built from the prefetched story (``Article.objects.for_detail()``): no queries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from catalog.structured_data import company_ref, person_ref, show_ref
from newsroom.structured_data import SCHEMA_CONTEXT, absolute_url, compact

from .models import Article, Mention


def publisher() -> dict[str, Any]:
    return {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute_url("/")}


def author_ref(author) -> dict[str, Any]:
    return {"@type": "Person", "name": author.name, "url": absolute_url(author.get_absolute_url())}


def mention_ref(mention: Mention) -> dict[str, Any]:
    if mention.person_id:
        return person_ref(mention.person)
    if mention.show_id:
        return show_ref(mention.show)
    return company_ref(mention.company)


def _local_seconds(when: datetime | None) -> datetime | None:
    """In the site's time zone, to the second: what readers and the story's address use."""
    return timezone.localtime(when).replace(microsecond=0) if when else None


def article_data(article: Article, *, mentions: list[Mention]) -> dict[str, Any]:
    published = _local_seconds(article.published_at)
    modified = _local_seconds(article.updated_at)
    if published and (modified is None or modified < published):
        # An edit made while the story was scheduled predates publication.
        modified = published
    url = absolute_url(article.get_absolute_url())
    authors = [author_ref(b.author) for b in article.bylines.all()]
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
            "keywords": [tag.name for tag in article.tags.all()],
            "image": absolute_url(article.hero_image.url) if article.hero_image else None,
            "author": authors or [publisher()],
            "publisher": publisher(),
            "about": show_ref(article.main_show) if article.main_show_id else None,
            "mentions": [mention_ref(m) for m in mentions],
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
