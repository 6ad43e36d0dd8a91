"""Friendly error pages."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.cache import add_never_cache_headers


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponse(loader.render_to_string("404.html", request=request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the error may come from a context processor or the database. The
    # site's name comes straight from settings.
    body = loader.render_to_string("500.html", {"site_name": settings.SITE_NAME})
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
