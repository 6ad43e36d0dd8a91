"""Site-wide pages: friendly error pages and search."""

import sys
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.middleware.csp import get_nonce
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views.decorators.http import condition
from django.views.generic import TemplateView

from .caching import content_changed_at
from .search import normalize_query, search
from .seo import PageMeta


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    meta = PageMeta(
        title="Page not found",
        description="The address may be mistyped, or the page may have moved.",
        path="",  # no canonical: the asked-for address may name something not yet public
    )
    body = loader.render_to_string("404.html", {"meta": meta}, request=request)
    return HttpResponseNotFound(body)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the error may come from a context processor or the database. The
    # site's name comes straight from settings; the CSP nonce lets the page's own style in.
    nonce = get_nonce(request)
    body = loader.render_to_string(
        "500.html", {"site_name": settings.SITE_NAME, "csp_nonce": str(nonce) if nonce else ""}
    )
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        # The database is unreachable (restarting, failing over): a temporary condition. 503
        # with Retry-After tells a CDN to keep serving its stale copy and a crawler to retry.
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "10"
        add_never_cache_headers(response)
        return response
    return HttpResponseServerError(body)


def ceiling(request: HttpRequest) -> HttpResponse:
    """A constant, tiny page through the whole middleware stack: the fastest any Django page
    can be served on a machine, which ``bench/load.sh`` compares every page with. Routed only
    when ``BENCH_CEILING_VIEW`` is on (never in production)."""
    return HttpResponse(b"ok\n", content_type="text/plain")


@method_decorator(condition(last_modified_func=content_changed_at), name="dispatch")
class SearchView(TemplateView):
    """Search results for ``?q=``; the work is ``newsroom.search.search``.

    An empty query is a friendly page, not an error; the query is shown back escaped (by the
    template) and kept in the pagination links.
    """

    template_name = "search.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        query = normalize_query(self.request.GET.get("q"))
        results = search(query, page=self.request.GET.get("page")) if query else None
        page_range = (
            results.page.paginator.get_elided_page_range(
                results.page.number, on_each_side=2, on_ends=1
            )
            if results
            else []
        )
        path = reverse("search")
        if query:
            path = f"{path}?{urlencode({'q': query})}"
        title = f"Search: {query}" if query else "Search"
        meta = PageMeta(
            title=title,
            description=f"Search {settings.SITE_NAME}: stories, shows, people and companies.",
            path=path,
            breadcrumbs=((title, path),),
        )
        return super().get_context_data(
            query=query, results=results, page_range=page_range, meta=meta, **kwargs
        )
