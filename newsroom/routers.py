"""Public reads from a read replica; everything else from the primary.

When ``DATABASE_REPLICA_URL`` is set, settings add a ``replica`` database alias. The router
sends a read there only when all of these hold:

- the read happens while serving a public request: ``ReplicaReadsMiddleware`` marks GET and
  HEAD requests outside the admin that carry no session cookie and no ``Authorization``
  header (editors are logged in, so they always read their own writes from the primary);
- no transaction is open on the primary (inside ``atomic()`` a read must see the writes made
  before it, which the replica may not have yet).

Writes, the admin, management commands, imports and anything else read from the primary.
Without a ``replica`` alias the router says nothing and Django uses ``default``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA_DB_ALIAS = "replica"

_public_read: ContextVar[bool] = ContextVar("newsroom_public_read", default=False)


def replica_configured() -> bool:
    """A ``replica`` alias exists and ``DATABASE_REPLICA_URL`` says to use it (tests define the
    alias once, as a mirror of ``default``, and switch it on with the setting)."""
    return bool(settings.DATABASE_REPLICA_URL) and REPLICA_DB_ALIAS in connections.settings


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if not replica_configured():
            return None
        if not _public_read.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        """Rows read from the replica are the primary's rows: relating them is fine."""
        both = {obj1._state.db, obj2._state.db}
        if both <= {DEFAULT_DB_ALIAS, REPLICA_DB_ALIAS, None}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        """The replica copies the primary's schema by replication; never migrate it."""
        return db != REPLICA_DB_ALIAS


def is_public_request(request: HttpRequest) -> bool:
    """A reader's page view: safe method, not the admin, no login that could be behind it."""
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return False
    return not request.path_info.startswith(admin_prefix())


@functools.cache
def admin_prefix() -> str:
    """The admin's path without the script prefix (compared with ``request.path_info``)."""
    from django.urls import get_script_prefix, reverse

    return "/" + reverse("admin:index").removeprefix(get_script_prefix())


class ReplicaReadsMiddleware:
    """Lets the router send this request's reads to the replica when it is a public one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured() or not is_public_request(request):
            return self.get_response(request)
        token = _public_read.set(True)
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)
