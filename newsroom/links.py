"""Page addresses without a ``reverse()`` per link.

A story page links dozens of people and shows, a profile page hundreds; each ``reverse()``
walks the URL resolver and re-quotes its arguments, which made link-building a visible part
of every page's time. :func:`page_url` reverses each URL pattern once (per URL configuration
and script prefix) with placeholder arguments, keeps the text around them, and fills in the
real values after that.

Only for arguments that URLs carry as they are (slugs of ASCII letters, digits, hyphens and
underscores, and numbers): ``reverse()`` would percent-encode anything else. Tag slugs may be
Unicode and are reversed the usual way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import NamedTuple

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


def _marker(index: int) -> str:
    # Digits only, so every path converter (int, str, slug) accepts it; a shape no real
    # address contains.
    return f"7{index}07{index}07{index}7"


def _template(viewname: str, names: tuple[str, ...], prefix: str, urlconf: str) -> tuple[str, ...]:
    """The reversed address split around each argument: ``(text, name, text, name, …, text)``."""
    rest = reverse(viewname, kwargs={name: _marker(i) for i, name in enumerate(names)})
    parts: list[str] = []
    for i, name in enumerate(names):
        before, found, rest = rest.partition(_marker(i))
        if not found:  # the pattern does not use the argument as given: not for this module
            raise ValueError(f"{viewname}: cannot build its address from {name!r}")
        parts += [before, name]
    return (*parts, rest)


def url_maker(viewname: str, *names: str) -> Callable[..., str]:
    """A function of ``names``' values (in that order) giving ``viewname``'s address, as
    ``reverse()`` would now (this request's script prefix): for a list of links, resolve
    once and then only join."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _maker(viewname, names, get_script_prefix(), str(urlconf))


@cache
def _maker(viewname: str, names: tuple[str, ...], prefix: str, urlconf: str) -> Callable[..., str]:
    """``url_maker``'s function, made once per URL pattern, arguments, script prefix and URL
    configuration."""
    texts = _template(viewname, names, prefix, urlconf)[::2]
    if len(names) == 1:
        head, tail = texts
        return lambda value: f"{head}{value}{tail}"

    # The texts around the arguments as one format string: a story's address (four of them)
    # is written for every card of a list.
    pattern = "{}".join(text.replace("{", "{{").replace("}", "}}") for text in texts)

    def make(*values: str | int) -> str:
        if len(values) != len(names):
            raise TypeError(f"{viewname}: takes {len(names)} values ({', '.join(names)}), got {len(values)}")
        return pattern.format(*values)

    return make


# What an address carries as it is: anything else is left to reverse() to quote.
_PLAIN = re.compile(r"[A-Za-z0-9_-]*\Z")


def page_url(viewname: str, **kwargs: str | int) -> str:
    """``reverse(viewname, kwargs=kwargs)``: for plain arguments (ASCII slugs, numbers) at
    the cost of a join, for any other (a Unicode tag slug) by ``reverse()`` itself."""
    if all(isinstance(v, int) or _PLAIN.match(v) for v in kwargs.values()):
        return url_maker(viewname, *kwargs)(*kwargs.values())
    return reverse(viewname, kwargs=kwargs)


@receiver(setting_changed)
def _forget_templates(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _maker.cache_clear()


class Link(NamedTuple):
    """A named page read as a plain row (a studio, a spinoff, a tag): what lists show."""

    name: str
    url: str

    def get_absolute_url(self) -> str:
        return self.url


class TagLink(NamedTuple):
    """A tag read as a plain row; linked with ``{% page_url %}``, which hands Unicode slugs to ``reverse()``."""

    name: str
    slug: str
