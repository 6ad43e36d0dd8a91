"""What every public page shares: the layout's landmarks and accessibility basics, no
JavaScript and no outside assets, and the friendly error pages."""

import re
from itertools import pairwise
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory

from newsroom.views import server_error
from tests import factories as f
from tests.page import Page


@pytest.fixture
def public_urls(db) -> list[str]:
    w = f.renewal_scenario()
    return [
        "/",
        "/news/",
        w.story.get_absolute_url(),
        "/shows/ballard/",
        "/shows/bosch/",
        "/people/maggie-q/",
        "/people/courtney-taylor/",
        "/shows/ballard/credits/",
        "/people/michael-connelly/credits/",
        "/companies/prime-video/",
        "/companies/amazon-mgm-studios/",
        "/tags/renewals/",
        "/tags/crime-drama/",
        w.writer.get_absolute_url(),
        "/no-such-page/",
    ]


def test_every_public_page_has_landmarks_a_skip_link_and_ordered_headings(client, public_urls):
    for url in public_urls:
        page = Page(client.get(url))
        assert page.response.status_code in (200, 404), url
        assert page.find("/html/@lang") == ["en"], url
        assert page.words("//title"), url
        # One main, one banner header, one footer; the skip link lands on the main.
        assert len(page.find("//main")) == 1, url
        assert page.one("//body/a[1]").get("href") == "#main", url
        assert page.one("//main").get("id") == "main", url
        assert page.find('//nav[@aria-label="Main"]'), url
        assert len(page.find("//body/header")) == 1 and len(page.find("//body/footer")) == 1, url
        for aside in page.find("//aside"):
            assert aside.get("aria-label") or aside.get("aria-labelledby"), url
        # Exactly one h1, and no heading skips a level on the way down.
        levels = [level for level, _ in page.headings()]
        assert levels.count(1) == 1 and levels[0] == 1, (url, levels)
        for before, after in pairwise(levels):
            assert after <= before + 1, (url, page.headings())
        # Every image says what it shows (or is explicitly decorative).
        for img in page.find("//img"):
            assert img.get("alt") is not None, url
        # Every id is unique, and every aria-labelledby points at one.
        ids = page.find("//@id")
        assert len(ids) == len(set(ids)), url
        for ref in page.find("//@aria-labelledby"):
            assert ref in ids, (url, ref)


def test_pages_need_no_javascript_and_no_outside_assets(client, public_urls):
    for url in public_urls:
        page = Page(client.get(url))
        scripts = page.find("//script")
        assert all(s.get("type") == "application/ld+json" for s in scripts), url
        assert not page.find("//script/@src"), url
        assert not re.search(r"\son[a-z]+=", page.html), url
        assets = page.find("//link/@href") + page.find("//img/@src")
        local = [a for a in assets if a.startswith("/") or a.startswith("http://127.0.0.1:8000/")]
        assert local == assets, (url, assets)
        assert page.find('//link[@rel="stylesheet"]/@href') == ["/static/css/site.css"], url


def test_the_one_stylesheet_makes_focus_visible_and_uses_nothing_from_elsewhere():
    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    assert ":focus-visible" in css
    assert "outline: 3px solid" in css
    assert "@media (min-width: 60rem)" in css
    assert "http" not in css  # no fonts or images from elsewhere


def test_404_page_is_friendly(client, db):
    response = client.get("/shows/not-a-show/")
    assert response.status_code == 404
    page = Page(response)
    assert page.words("//h1") == "We couldn\N{RIGHT SINGLE QUOTATION MARK}t find that page"
    assert {"/", "/news/"} <= set(page.hrefs("//main"))
    assert page.find('//meta[@name="robots"]/@content') == ["noindex"]


def test_500_handler_renders_without_the_database_or_request_context(settings):
    # No django_db mark: any query here would fail the test.
    settings.SITE_NAME = "The Desk"
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = Page(response)
    assert page.words("//h1") == "Something went wrong on our side"
    assert "The Desk" in page.words("//title")
    assert page.hrefs() == ["/"]


@pytest.mark.urls("tests.urls_failing")
def test_a_failing_view_answers_with_the_500_page(db):
    client = Client(raise_request_exception=False)
    response = client.get("/fail/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
