"""page_url builds the same addresses as reverse(), for every pattern it is used with; the
escaping of markup written in Python is the standard library's."""

import html

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from newsroom.links import page_url, url_maker
from newsroom.text import escape_html

SLUG_PAGES = [
    "catalog:show_detail",
    "catalog:person_detail",
    "catalog:company_detail",
    "articles:author_detail",
    "articles:show_feed",
    "articles:person_feed_atom",
    "articles:tag_feed",
]


@pytest.mark.parametrize("viewname", SLUG_PAGES)
@pytest.mark.parametrize("slug", ["ballard", "maggie-q", "a_b-2", "7"])
def test_slug_pages_match_reverse(viewname, slug):
    assert page_url(viewname, slug=slug) == reverse(viewname, kwargs={"slug": slug})


@pytest.mark.parametrize("slug", ["séries-télé", "ドラマ", "a b", "r&b"])
def test_arguments_that_need_quoting_are_reversed_the_usual_way(slug):
    assert page_url("articles:tag_feed", slug=slug) == reverse("articles:tag_feed", kwargs={"slug": slug})


@pytest.mark.parametrize("year,month,day", [(2025, "07", "31"), (1999, "12", "01")])
def test_story_addresses_match_reverse(year, month, day):
    kwargs = {"year": year, "month": month, "day": day, "slug": "ballard-renewed-season-2"}

    assert page_url("articles:article_detail", **kwargs) == reverse("articles:article_detail", kwargs=kwargs)


def test_a_maker_of_several_arguments_takes_exactly_that_many():
    story_url = url_maker("articles:article_detail", "year", "month", "day", "slug")

    assert story_url(2025, "07", "31", "a-b") == "/news/2025/07/31/a-b/"
    with pytest.raises(TypeError, match="takes 4 values"):
        story_url(2025, "07", "31")
    with pytest.raises(TypeError, match="takes 4 values"):
        story_url(2025, "07", "31", "a-b", "extra")


def test_a_script_prefix_with_percent_signs_is_kept_as_reverse_quotes_it():
    try:
        set_script_prefix("/100%25 news/")
        kwargs = {"year": 2025, "month": "07", "day": "31", "slug": "a-b"}
        assert page_url("articles:article_detail", **kwargs) == reverse("articles:article_detail", kwargs=kwargs)
    finally:
        clear_script_prefix()


def test_the_script_prefix_of_the_request_is_kept():
    try:
        set_script_prefix("/newsroom/")
        assert page_url("catalog:show_detail", slug="ballard") == "/newsroom/shows/ballard/"
    finally:
        clear_script_prefix()
    assert page_url("catalog:show_detail", slug="ballard") == "/shows/ballard/"


def test_another_url_configuration_is_followed(settings):
    settings.ROOT_URLCONF = "tests.newsroom.moved_urls"

    assert page_url("catalog:show_detail", slug="ballard") == "/catalog/shows/ballard/"


def test_an_argument_the_pattern_does_not_take_is_an_error():
    with pytest.raises(NoReverseMatch):
        page_url("catalog:show_detail", slug="ballard", year=2025)


@pytest.mark.parametrize("text", ["Maggie Q", "Renée", "Tom & Jerry", "<b>", 'say "hi"', "it's", "", "a<b>&'\""])
def test_escape_html_is_the_standard_escape(text):
    assert escape_html(text) == html.escape(text)
