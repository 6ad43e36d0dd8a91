"""``{% show_list %}``: a list of shows written by ``catalog.panels.show_list_html``.

    {% load shows %}
    {% show_list shows more=more_shows empty="No shows carry this tag." exclude_network=company.pk %}

``shows`` are ``catalog.panels.SHOW_LIST_COLUMNS`` rows (a company's and a tag's prepared
show lists: ``catalog.profiles``, ``articles.views``).
"""

from django import template
from django.utils.safestring import SafeString

from catalog.panels import show_list_html

register = template.Library()


@register.simple_tag
def show_list(shows, more: bool = False, empty: str = "", exclude_network=None) -> SafeString:
    return show_list_html(list(shows or ()), more=bool(more), empty=empty, exclude_network_id=exclude_network)
