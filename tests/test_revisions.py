"""Revisions: every admin save of a story or catalog entry is kept; compare and restore."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from catalog.models import Company, Credit, Person, Season, Show
from tests import factories as f
from tests.articles.test_richtext import story_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editors(client):
    first = User.objects.create_superuser("first-editor", "a@example.com", "pw")
    second = User.objects.create_superuser("second-editor", "b@example.com", "pw")
    return first, second


def save_story(client, user, story_id: int | None, body: str):
    client.force_login(user)
    target = (
        reverse("admin:articles_article_change", args=[story_id])
        if story_id
        else reverse("admin:articles_article_add")
    )
    response = client.post(target, story_post(body=body))
    assert response.status_code == 302, response.context["errors"]
    return Article.objects.get(slug="ballard-is-renewed")


def test_two_saves_are_listed_compared_and_the_old_text_restored(client, editors):
    first, second = editors
    story = save_story(client, first, None, "<p>Ballard is renewed for season two.</p>")
    save_story(client, second, story.pk, "<p>Ballard is renewed for a final season.</p>")

    versions = list(Version.objects.get_for_object(story).select_related("revision__user"))
    assert [v.revision.user for v in versions] == [second, first]

    history = client.get(reverse("admin:articles_article_history", args=[story.pk]))
    assert history.status_code == 200
    rows = history.context["action_list"]
    assert [row["revision"].user.username for row in rows] == ["second-editor", "first-editor"]
    page = history.content.decode()
    assert "first-editor" in page and "second-editor" in page

    compare = client.get(
        reverse("admin:articles_article_compare", args=[story.pk]),
        {"old": versions[1].pk, "new": versions[0].pk},
    )
    assert compare.status_code == 200
    changes = {c.label: c for c in compare.context["changes"]}
    assert set(changes) >= {"body", "updated by"}
    assert (changes["updated by"].old, changes["updated by"].new) == (
        "first-editor",
        "second-editor",
    )
    assert "title" not in changes
    diff = str(changes["body"].diff)
    assert diff.startswith("&lt;p&gt;Ballard is renewed for ")
    assert "<del>two.</del>" in diff
    assert "<ins>final season.</ins>" in diff
    assert "<p>Ballard" not in str(changes["body"].diff), "the body is shown as source"

    restore_url = reverse("admin:articles_article_revision", args=[story.pk, versions[1].pk])
    form = client.get(restore_url)
    assert form.status_code == 200
    assert "season two" in form.content.decode()
    assert Article.objects.get(pk=story.pk).body == "<p>Ballard is renewed for a final season.</p>"
    restored = client.post(restore_url, story_post(body=versions[1].field_dict["body"]))
    assert restored.status_code == 302
    story.refresh_from_db()
    assert story.body == "<p>Ballard is renewed for season two.</p>"
    latest = Version.objects.get_for_object(story).first()
    assert latest.revision.user == second
    assert "Reverted" in latest.revision.get_comment()


def test_compare_needs_two_versions_of_the_same_object(client, editors):
    first, _ = editors
    story = save_story(client, first, None, "<p>One.</p>")
    other = f.article("Another story")
    url = reverse("admin:articles_article_compare", args=[story.pk])
    only = Version.objects.get_for_object(story).get()
    assert client.get(url, {"old": only.pk, "new": only.pk}).status_code == 404
    assert client.get(url, {"old": only.pk, "new": "x"}).status_code == 404
    assert client.get(url, {"old": only.pk, "new": other.pk + 999}).status_code == 404


@pytest.mark.parametrize(
    ("model", "make", "field", "value"),
    [
        (Company, lambda: f.company("Prime Video"), "description", "A streamer."),
        (Person, lambda: f.person("Maggie Q"), "bio", "An actor."),
        (Show, lambda: f.show("Ballard"), "description", "A Bosch spinoff."),
        (Season, lambda: f.season(f.show("Ballard")), "episode_count", 10),
        (
            Credit,
            lambda: f.credit(f.person("Maggie Q"), f.show("Ballard"), character="Renée Ballard"),
            "character",
            "Detective Renée Ballard",
        ),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_catalog_entries_keep_a_revision_per_admin_save(admin_client, model, make, field, value):
    obj = make()
    change = reverse(f"admin:catalog_{model._meta.model_name}_change", args=[obj.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {}
    for name, bound in form.fields.items():
        initial = form.initial.get(name, bound.initial)
        if isinstance(initial, FieldFile):
            continue
        data[name] = bound.prepare_value(initial) if initial is not None else ""
    for name in ("aliases",):
        if name in data and isinstance(data[name], list):
            data[name] = "\n".join(data[name])
    data[field] = value
    for prefix in ("seasons", "credits"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.context["errors"]
    versions = Version.objects.get_for_object(obj)
    assert versions.count() == 1
    assert versions.get().field_dict[field] == value
    assert versions.get().revision.user.username == "admin"
    history = admin_client.get(reverse(f"admin:catalog_{model._meta.model_name}_history", args=[obj.pk]))
    assert history.status_code == 200
    assert len(history.context["action_list"]) == 1


def test_saves_outside_the_admin_make_no_revisions():
    """Imports and scripts write without revisions: history starts at the first admin save."""
    show = f.show("Ballard")
    show.description = "Changed by an import."
    show.save()
    assert Version.objects.get_for_object(show).count() == 0
