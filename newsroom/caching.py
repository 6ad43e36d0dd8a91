"""HTTP caching for the public site: who may keep a copy, for how long, and how to revalidate.

- ``CacheHeadersMiddleware`` marks anonymous GET/HEAD pages ``public`` for a short
  ``max-age`` with ``stale-while-revalidate``, so a CDN or browser can serve them while it
  refetches; anything a signed-in user sees, anything that sets a cookie, and any view that
  chose its own ``Cache-Control`` (the admin, staff previews) is left private or as it is.
- Django's ``ConditionalGetMiddleware`` (before it in ``MIDDLEWARE``) adds an ``ETag`` to
  every page and answers ``If-None-Match`` / ``If-Modified-Since`` with 304.
- The full-page cache itself is ``newsroom.cache.PageCacheMiddleware`` (precise purges).
- ``content_changed_at`` is a cheap ``Last-Modified`` for pages built from many stories (the
  scorecard, search): with ``django.views.decorators.http.condition`` a revalidation that
  finds nothing newer is answered before the page is built.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db.models import Subquery
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

from articles.models import Article
from catalog.models import CatalogVersion

from .prepared import PreparedQuery

CACHEABLE_STATUSES = {200, 304}


class CacheHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code not in CACHEABLE_STATUSES
            or response.has_header("Cache-Control")
        ):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.cookies:
            add_never_cache_headers(response)
            return response
        patch_cache_control(
            response,
            public=True,
            max_age=settings.NEWSROOM_CACHE_MAX_AGE,
            stale_while_revalidate=settings.NEWSROOM_CACHE_STALE_WHILE_REVALIDATE,
        )
        # Signed-in readers get another page (private): shared caches must tell them apart.
        patch_vary_headers(response, ["Cookie"])
        return response


# content_changed_at's two reads, compiled once (newsroom.prepared): building and compiling
# them on every request cost more than running them.
NEWEST_ARTICLE_CHANGE = PreparedQuery(
    lambda now: Article.objects.order_by("-updated_at")
    .annotate(
        live=Subquery(Article.objects.published(now).order_by("-published_at").values("published_at")[:1])
    )
    .values_list("updated_at", "live")[:1],
    "now",
)
CATALOG_CHANGE = PreparedQuery(
    lambda: CatalogVersion.objects.filter(pk=1).values_list("changed_at", flat=True)[:1]
)


def content_changed_at(request: HttpRequest, *args, **kwargs) -> datetime | None:
    """When a story or the catalog last changed as a public page would show it.

    The newest of: any story's last save (publishing, editing, unpublishing), the newest
    publish time already passed (a scheduled story going live changes pages without a save),
    and the catalog's last change. Two small queries, each reading the first entries of
    indexes (one aggregate with a filtered MAX would read every story instead).
    """
    newest = NEWEST_ARTICLE_CHANGE.rows(now=timezone.now())
    catalog = CATALOG_CHANGE.rows()
    moments = [m for m in (*(newest[0] if newest else ()), *(catalog[0] if catalog else ())) if m is not None]
    return max(moments) if moments else None
