"""Friendly error pages."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.middleware.csp import get_nonce
from django.template import loader


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponse(loader.render_to_string("404.html", request=request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the error may come from a context processor or the database. The
    # site's name comes straight from settings; the CSP nonce lets the page's own style in.
    nonce = get_nonce(request)
    body = loader.render_to_string(
        "500.html", {"site_name": settings.SITE_NAME, "csp_nonce": str(nonce) if nonce else ""}
    )
    return HttpResponseServerError(body)
