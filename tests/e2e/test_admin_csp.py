"""The admin under the site's Content-Security-Policy, in a real browser: the story page's
scripts (Django's and the rich-text editor's) load and run with no policy violation."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_story_change_page_runs_its_editor_under_csp(browser, live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User.objects.create_superuser("csp-editor", "e@example.com", "a-long-password")
    story = f.article("Ballard renewed", body="<p>Ballard is <strong>back</strong>.</p>")
    context = browser.new_context(bypass_csp=False)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text)
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
        else None,
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "csp-editor")
        page.fill("#id_password", "a-long-password")
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        response = page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        assert "nonce-" in response.headers["content-security-policy"]
        editor = page.locator(".prose-editor [contenteditable=true]")
        editor.wait_for(timeout=10_000)
        assert "back" in editor.inner_text()
        # The editor is live: typing changes the textarea the form submits.
        editor.click()
        page.keyboard.press("End")
        page.keyboard.type(" Typed here.")
        page.wait_for_timeout(200)
        assert "Typed here." in page.locator("textarea#id_body").input_value()
        # Django's own admin scripts ran too (the collapsible fieldset toggles).
        assert page.evaluate("typeof django !== 'undefined' && typeof django.jQuery === 'function'")
    finally:
        context.close()
    assert violations == []
    assert errors == []
