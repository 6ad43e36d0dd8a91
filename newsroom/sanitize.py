"""The one allow-list for story HTML: every import path and the admin sanitize through it.

A story body comes from many hands (Markdown files, WordPress archives, an editor pasting
from elsewhere), and the page renders it as is, so what it may contain is decided here and
nowhere else: paragraphs, headings h2-h4 (the page's h1 is the headline), bold and italic,
links, lists, block quotes, figures with captions, and images. No scripts, no event
handlers, no styles, no classes or ids, no ``javascript:`` or ``data:`` URLs.

Links may point to ``http``, ``https`` or ``mailto`` addresses and get
``rel="noopener noreferrer"``; images only to ``http`` or ``https``. Paths on this site
(``/media/…``, ``/shows/…``) and in-page anchors (``#…``) are kept too — they carry no scheme
and cannot leave the site — while other relative URLs (``images/x.jpg``, protocol-relative
``//host/x``) are dropped, because they would resolve against whatever page shows the story.
"""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "strong",
        "b",
        "em",
        "i",
        "a",
        "ul",
        "ol",
        "li",
        "blockquote",
        "figure",
        "figcaption",
        "img",
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
}
LINK_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES: frozenset[str] = frozenset({"http", "https"})
# Removed with everything inside them, not just unwrapped.
DROP_WITH_CONTENT: frozenset[str] = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"}
)

_DIMENSION = re.compile(r"^\d{1,5}$")
# Heading levels outside h2-h4 are moved into range rather than flattened into the text.
_H1 = re.compile(r"<(/?)h1(?=[\s/>])", re.IGNORECASE)
_H5_H6 = re.compile(r"<(/?)h[56](?=[\s/>])", re.IGNORECASE)
# The sanitizer's output quotes every attribute, so this reads whole <img> tags safely.
_IMG = re.compile(r'<img((?:\s+[a-z-]+="[^"]*")*)\s*/?>')
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def _site_relative(url: str) -> str | None:
    """Keep paths on this site and in-page anchors; drop every other relative URL."""
    if url.startswith("#") or (url.startswith("/") and not url.startswith("//")):
        # A backslash after the slash is read by browsers as another slash ("/\host").
        if "\\" in url:
            return None
        return url
    return None


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("width", "height"):
        return value if _DIMENSION.match(value.strip()) else None
    if tag == "img" and attribute == "src":
        match = _SCHEME.match(value.strip())
        if match and match.group(1).lower() not in IMAGE_SCHEMES:
            return None
    return value


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROP_WITH_CONTENT),
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_filter_attribute,
    strip_comments=True,
    link_rel="noopener noreferrer",
    url_schemes=set(LINK_SCHEMES),
    url_relative=_site_relative,
)


def sanitize_html(html: str) -> str:
    """Return ``html`` reduced to the story allow-list (idempotent: clean input stays as is)."""
    if not html:
        return ""
    html = _H5_H6.sub(r"<\1h4", _H1.sub(r"<\1h2", html))
    cleaned = _cleaner.clean(html)
    # An image whose source was refused shows nothing: drop the tag rather than keep <img>.
    cleaned = _IMG.sub(lambda m: m.group(0) if ' src="' in m.group(1) else "", cleaned)
    return cleaned.strip()


def plain_text(html: str) -> str:
    """The text of an HTML fragment, unescaped, for fields shown as plain text (titles, deks)."""
    import html as html_module

    text = nh3.clean(html or "", tags=set(), clean_content_tags=set(DROP_WITH_CONTENT))
    return " ".join(html_module.unescape(text).split())
