"""Login throttling for the admin: password guessing gets a handful of tries, not millions.

Failed logins are counted in the cache (Redis in production, so every app server sees the
same counts) per username and per client address, over a sliding-enough window
(``LOGIN_FAILURE_WINDOW`` seconds, restarted by each failure). Past the limit the login form
refuses before it checks the password, so a guesser learns nothing more, and says when to try
again. A successful login clears the username's count.

The address is ``REMOTE_ADDR``: behind a load balancer, have it set to the client's address
(e.g. gunicorn's ``--forwarded-allow-ips`` with a proxy-headers middleware); otherwise every
client shares the balancer's address and the per-address limit acts site-wide.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.casefold().encode()).hexdigest()[:32]
    return f"login-failures:{kind}:{digest}"


def _keys(request: HttpRequest | None, username: str) -> dict[str, str]:
    keys = {"username": _key("user", username)}
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    if address:
        keys["address"] = _key("addr", address)
    return keys


def login_blocked(request: HttpRequest | None, username: str) -> bool:
    """Whether this username or this client has failed too often lately."""
    keys = _keys(request, username)
    counts = cache.get_many(list(keys.values()))
    limits = {
        "username": settings.LOGIN_FAILURES_PER_USERNAME,
        "address": settings.LOGIN_FAILURES_PER_ADDRESS,
    }
    return any(counts.get(key, 0) >= limits[kind] for kind, key in keys.items())


def login_failed(request: HttpRequest | None, username: str) -> None:
    """Count one failed attempt against the username and the client address."""
    window = settings.LOGIN_FAILURE_WINDOW
    for key in _keys(request, username).values():
        # add() only sets a missing key; incr() is atomic on Redis.
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
                cache.touch(key, timeout=window)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=window)


def login_succeeded(username: str) -> None:
    cache.delete(_key("user", username))


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin login form, refusing further attempts after too many failures."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": (
            "Too many failed login attempts. Try again in %(minutes)d minutes, or ask an "
            "administrator to reset your password."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if login_blocked(self.request, username):
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": max(1, settings.LOGIN_FAILURE_WINDOW // 60)},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            login_failed(self.request, username)
            raise
        login_succeeded(username)
        return cleaned
