"""The story body: rich text in the admin, stored as sanitized HTML whatever arrives."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from articles.models import Article
from articles.richtext import EDITOR_EXTENSIONS, clean_pasted_html
from newsroom.sanitize import sanitize_html
from tests import factories as f
from tests.executable import executable_parts, story_body

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HOSTILE = [
    line
    for line in (FIXTURES / "hostile.txt").read_text().splitlines()
    if line.strip()
]


def story_post(**overrides) -> dict:
    data = {
        "title": "Ballard is renewed",
        "slug": "ballard-is-renewed",
        "dek": "",
        "body": "<p>Text.</p>",
        "kind": "renewal",
        "tags": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "season_number": "",
        "source": "",
        "source_url": "",
        "hero_alt": "",
        "hero_credit": "",
        "main_show": "",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_the_story_form_uses_the_editor_widget_with_the_allowed_blocks(admin_client):
    response = admin_client.get(reverse("admin:articles_article_add"))
    page = response.content.decode()
    assert "data-django-prose-editor-configurable" in page
    assert "django_prose_editor/editor.js" in page
    assert {"Heading", "Bold", "Italic", "Link", "BulletList", "Blockquote"} <= set(
        EDITOR_EXTENSIONS
    )


def test_word_paste_comes_out_clean():
    html = clean_pasted_html((FIXTURES / "paste" / "word.html").read_text())
    for junk in ("mso-", "class=", "style", "<o:p", "<span", "<meta", "[if", "Calibri"):
        assert junk not in html, junk
    assert "<p><b>Ballard returns for a second season</b></p>" in html
    assert "<i>Maggie Q</i>" in html
    assert "<li>Season one finished in the streamer's top ten.</li>" in html
    assert '<a href="https://example.com/ballard" rel="noopener noreferrer">' in html


def test_google_docs_paste_keeps_its_emphasis_and_loses_its_wrapper():
    html = clean_pasted_html((FIXTURES / "paste" / "google-docs.html").read_text())
    assert "docs-internal-guid" not in html
    assert not html.startswith("<b>"), "the whole paste must not turn bold"
    assert "<strong>Ballard</strong> is coming back" in html
    assert "<em>Courtney Taylor</em>" in html
    assert "<h2>Who returns</h2>" in html
    assert "style" not in html and "<span" not in html and "dir=" not in html


def test_cleaning_is_idempotent():
    once = clean_pasted_html((FIXTURES / "paste" / "word.html").read_text())
    assert clean_pasted_html(once) == once
    assert sanitize_html(once) == once


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markup_is_harmless_after_cleaning(payload):
    cleaned = clean_pasted_html(f"<p>Before</p>{payload}<p>After</p>")
    assert executable_parts(cleaned) == []
    assert "After" in cleaned


def test_admin_save_strips_scripts_handlers_urls_and_styles_and_the_page_shows_none(
    admin_client,
):
    hostile = "".join(HOSTILE)
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        story_post(body=f"<p>Ballard is back.</p>{hostile}", status="published",
                   published_at_0="2025-06-01", published_at_1="10:00:00"),
    )
    assert response.status_code == 302, response.context["errors"]
    story = Article.objects.get(slug="ballard-is-renewed")
    assert executable_parts(story.body) == []
    assert "Ballard is back." in story.body
    page = admin_client.get(story.get_absolute_url())
    assert page.status_code == 200
    assert executable_parts(story_body(page.content.decode())) == []


def test_an_empty_editor_stores_an_empty_body(admin_client):
    response = admin_client.post(reverse("admin:articles_article_add"), story_post(body="<p></p>"))
    assert response.status_code == 302
    assert Article.objects.get(slug="ballard-is-renewed").body == ""


def test_the_importers_sanitize_path_renders_nothing_executable(client):
    """Imports store ``sanitize_html`` output directly (no form): the page stays safe."""
    story = f.article("Imported", body=sanitize_html("".join(HOSTILE)))
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    assert executable_parts(story_body(page.content.decode())) == []
