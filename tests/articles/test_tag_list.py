"""``{% tag_list %}``: links to tags' pages, every name escaped, Unicode slugs quoted."""

import pytest
from django.template import Context, Template
from lxml import html
from taggit.models import Tag

from newsroom.links import TagLink

pytestmark = pytest.mark.django_db


def render(tags) -> str:
    return Template("{% load links %}{% tag_list tags %}").render(Context({"tags": tags}))


def test_tags_and_tag_rows_link_to_their_pages_escaped():
    crime = Tag.objects.create(name="Crime <drama>", slug="crime-drama")
    out = render([crime, TagLink("Télénovela", "télénovela")])

    items = html.fragment_fromstring(out, create_parent="div").xpath("//ul[@class='tags']/li/a")
    assert [a.get("href") for a in items] == ["/tags/crime-drama/", "/tags/t%C3%A9l%C3%A9novela/"]
    assert [a.text for a in items] == ["Crime <drama>", "Télénovela"]
    assert [a.get("rel") for a in items] == ["tag", "tag"]
    assert "<drama>" not in out


def test_no_tags_write_nothing():
    assert render([]) == ""
