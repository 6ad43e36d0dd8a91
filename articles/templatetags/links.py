"""Links every page carries, without a ``reverse()`` each (``newsroom.links.page_url``).

    {% load links %}
    {% page_url "articles:home" %}
    {% site_nav %}
    {% tag_list tags %}

``{% url %}`` walks the URL resolver on every render; the header's links are the same on
every page, so their addresses are worked out once per URL configuration and script prefix.
A list of tags (a story's, a show's) is written here rather than by a template loop.
"""

from django import template
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from newsroom.links import page_url as _page_url
from newsroom.text import escape_html as escape

register = template.Library()

# The main navigation: (URL name, label), in order.
SITE_NAV = [
    ("articles:home", "Home"),
    ("articles:article_list", "News"),
    ("articles:scorecard", "Renewals"),
    ("search", "Search"),
]


@register.simple_tag
def page_url(viewname: str, **kwargs: str | int) -> str:
    """The address of a page (``{% url viewname name=value %}``), resolved once per view
    name rather than by a walk of the URL patterns (``newsroom.links.page_url``)."""
    return _page_url(viewname, **kwargs)


@register.simple_tag(takes_context=True)
def site_nav(context) -> SafeString:
    """The main navigation, the current section marked with ``aria-current``."""
    request: HttpRequest | None = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else None
    marked = ' aria-current="page"'
    items = "".join(
        f'<li><a href="{escape(_page_url(name))}"{marked if name == current else ""}>{label}</a></li>'
        for name, label in SITE_NAV
    )
    return mark_safe(f'<nav class="site-nav" aria-label="Main">\n  <ul>{items}</ul>\n</nav>')  # noqa: S308 — addresses escaped, labels fixed


@register.simple_tag
def tag_list(tags) -> SafeString:
    """Links to the pages of ``tags`` (tags, or rows with a ``name`` and a ``slug``), as a
    list; nothing when there are none."""
    if not tags:
        return mark_safe("")
    items = "".join(
        f'<li><a href="{escape(_page_url("articles:tag_detail", slug=tag.slug))}" rel="tag">{escape(tag.name)}</a></li>'
        for tag in tags
    )
    return mark_safe(f'\n<ul class="tags" role="list">\n  {items}\n</ul>\n')  # noqa: S308 — every value escaped
