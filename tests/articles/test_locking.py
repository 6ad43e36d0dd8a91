"""No lost work: two people edit the same story at once (optimistic locking on version)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from articles import roles
from articles.models import Article
from tests import factories as f
from tests.articles.test_workflow import _form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_second_of_two_concurrent_saves_is_refused_and_keeps_its_text():
    story = f.article("Ballard renewed", status=Article.Status.DRAFT, body="<p>First version.</p>")
    first = f.staff_user("first-editor", roles.EDITOR, first_name="Casey", last_name="Desk")
    second = f.staff_user("second-editor", roles.EDITOR)
    one, two = Client(), Client()
    one.force_login(first)
    two.force_login(second)
    change = reverse("admin:articles_article_change", args=[story.pk])

    # Both open the story; each form carries the version it was opened on.
    form_one = one.get(change).context["adminform"].form
    form_two = two.get(change).context["adminform"].form
    assert form_one["base_version"].value() == form_two["base_version"].value() == story.version

    saved = one.post(change, _form_data(story, body="<p>The first editor's text.</p>"))
    assert saved.status_code == 302
    refused = two.post(change, _form_data(story, body="<p>The second editor's text.</p>"))

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Casey Desk saved this story" in page
    assert "were not saved" in page
    # The refused text is still in the form, to copy or merge.
    assert "The second editor&#x27;s text." in page or "The second editor's text." in page
    story.refresh_from_db()
    assert story.body == "<p>The first editor's text.</p>"
    assert story.updated_by == first

    # After reloading, the second editor saves on top of the first.
    reloaded = two.get(change).context["adminform"].form
    assert reloaded["base_version"].value() == story.version
    again = two.post(change, _form_data(story, body="<p>Merged text.</p>"))
    assert again.status_code == 302
    story.refresh_from_db()
    assert story.body == "<p>Merged text.</p>"


def test_every_whole_save_raises_the_version_and_partial_saves_do_not():
    story = f.article(status=Article.Status.DRAFT)
    assert story.version == 1
    story.dek = "Changed"
    story.save()
    assert Article.objects.get(pk=story.pk).version == 2
    story.body_html = "<p>linked</p>"
    story.save(update_fields=["body_html"])
    assert Article.objects.get(pk=story.pk).version == 2
