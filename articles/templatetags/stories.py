"""``{% story_list %}`` and ``{% story_card %}``: story cards written by ``articles.cards``.

    {% load stories %}
    {% story_list articles level=3 empty="No stories yet." %}
    {% story_card article level=2 %}

Both take cards read as rows (``articles.cards.story_cards``) or stories loaded with
``for_listing()``.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from articles.cards import StoryCard, byline_html, card_html, card_of, story_list_html

register = template.Library()


@register.simple_tag
def story_list(articles, level: int = 3, empty: str = "") -> SafeString:
    return story_list_html(articles, level=int(level or 3), empty=empty or "No stories yet.")


@register.simple_tag
def story_card(article, level: int = 3) -> SafeString:
    card = article if isinstance(article, StoryCard) else card_of(article)
    return mark_safe(card_html(card, int(level or 3)))  # noqa: S308 — escaped by card_html


@register.simple_tag
def bylines(authors) -> SafeString:
    return mark_safe(byline_html(authors))  # noqa: S308 — escaped by byline_html
