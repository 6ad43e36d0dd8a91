"""Staff preview drafts at their public address; everyone else gets a 404; never cached."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import roles
from articles.models import Article
from tests import factories as f
from tests.page import Page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.IN_REVIEW},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "in-review", "scheduled"],
)
def test_staff_see_a_banner_others_a_404(client, fields):
    story = f.article("Embargoed renewal", **fields)
    for who in (None, f.staff_user("cataloguer", roles.CATALOG_EDITOR)):
        if who:
            client.force_login(who)
        response = client.get(story.get_absolute_url())
        assert response.status_code == 404
        assert "Embargoed renewal" not in response.content.decode()
    client.force_login(f.staff_user("writer", roles.WRITER))
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    banner = Page(response).words('//*[@role="note"]')
    assert "Preview — not published" in banner


def test_a_live_story_has_no_banner(client):
    story = f.article("Live renewal")
    client.force_login(f.staff_user("editor", roles.EDITOR))
    response = client.get(story.get_absolute_url())
    assert "Preview" not in response.content.decode()
