"""Readers and editors in a real browser: the reader's path through the site, by mouse and by
keyboard, and an editor publishing a renewal that links itself to the catalog."""

import pytest
from django.contrib.auth import get_user_model

from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    return f.renewal_scenario()


def test_reader_goes_home_story_person_show_scorecard_search(page, live_server, world):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=world.story.title).first.click()
    assert page.locator("h1").inner_text() == world.story.title

    page.locator('#story-body a[href="/people/maggie-q/"]').click()
    assert page.locator("h1").inner_text() == "Maggie Q"

    page.locator('main a[href="/shows/ballard/"]').first.click()
    assert page.locator("h1").inner_text() == "Ballard"
    assert "Renewed" in page.locator("dl.facts").inner_text()

    page.get_by_role("link", name="Renewal scorecard").click()
    page.wait_for_url("**/renewals/?year=*&platform=prime-video")
    assert page.locator("h1").inner_text() == "Renewal scorecard"
    row = page.locator("table.scorecard tbody tr", has_text="Ballard")
    assert "Renewed" in row.inner_text()
    page.select_option("#id_status", "cancelled")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**status=cancelled")
    assert page.locator("table.scorecard").count() == 0

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.fill("#search-q", "ballard")
    page.press("#search-q", "Enter")
    page.wait_for_url("**/search/?q=ballard")
    results = page.locator("ol.search-results")
    assert results.locator("a", has_text="Ballard").count() >= 1
    results.locator("h2.card__title").get_by_role("link", name="Ballard", exact=True).click()
    page.wait_for_url("**/shows/ballard/")


def test_keyboard_alone_reaches_the_content_and_shows_where_it_is(page, live_server, world):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + world.story.get_absolute_url())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Onwards from the main content, each link that takes focus shows a visible outline.
    for _ in range(4):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement; const s = getComputedStyle(el);"
            " return [el.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
        )
        assert focused[0] == "A" and focused[1] != "none" and focused[2] >= 2, focused
    # The search form works from the keyboard alone.
    page.goto(live_server.url + "/search/")
    page.focus("#search-q")
    page.keyboard.type("Maggie")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=Maggie")
    assert page.locator("ol.search-results").get_by_role("link", name="Maggie Q").count() == 1


def test_editor_publishes_a_renewal_and_readers_see_the_linked_cast(page, live_server, world):
    get_user_model().objects.create_superuser("editor", password="a long passphrase")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a long passphrase")
    page.get_by_role("button", name="Log in").click()

    page.goto(live_server.url + "/admin/articles/article/add/")
    title = "Bosch renewed for a final season at Prime Video"
    page.fill("#id_title", title)
    page.fill("#id_slug", "bosch-final-season")
    page.fill("#id_dek", "The original series returns one last time.")
    # The body is written in the rich-text editor, as an editor types it.
    editor = page.locator(".prose-editor [contenteditable=true]")
    editor.click()
    page.keyboard.type(
        "Prime Video has renewed Bosch for a final season. Titus Welliver returns as the "
        "detective, and Maggie Q, who leads the spinoff Ballard, is not part of it."
    )
    page.select_option("#id_kind", "renewal")
    page.locator('input[name="_continue"]').click()
    page.wait_for_url("**/change/")
    assert page.locator(".errornote").count() == 0, page.content()
    # The desk's workflow: publishing is a button on the saved story.
    page.get_by_role("button", name="Publish now", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".errornote").count() == 0, page.content()

    page.goto(live_server.url + "/")
    page.get_by_role("link", name=title).first.click()
    assert page.locator("h1").inner_text() == title
    body = page.locator("#story-body")
    assert body.locator('a[href="/people/titus-welliver/"]').count() == 1
    assert body.locator('a[href="/shows/bosch/"]').count() == 1
    assert body.locator('a[href="/companies/prime-video/"]').count() == 1
    panel = page.locator("section.cast-crew")
    assert "Titus Welliver" in panel.inner_text()
