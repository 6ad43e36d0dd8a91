"""Roles, enforced object by object in the story admin (articles.roles, articles.desk)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles import roles
from articles.models import Article
from catalog.models import Person, Show
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def newsroom():
    writer = f.staff_user("writer", roles.WRITER)
    other_writer = f.staff_user("other-writer", roles.WRITER)
    editor = f.staff_user("editor", roles.EDITOR)
    cataloguer = f.staff_user("cataloguer", roles.CATALOG_EDITOR)
    own_draft = f.article("Own draft", status=Article.Status.DRAFT, created_by=writer)
    byline_draft = f.article(
        "Bylined draft", status=Article.Status.DRAFT, authors=[f.author("A writer", user=writer)]
    )
    own_review = f.article("Own in review", status=Article.Status.IN_REVIEW, created_by=writer)
    others = f.article("Someone else's draft", status=Article.Status.DRAFT, created_by=other_writer)
    live = f.article("A live story", created_by=other_writer)
    return locals()


def test_the_migration_creates_the_three_role_groups_with_their_permissions():
    perms = {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for group in Group.objects.prefetch_related("permissions__content_type")
    }
    assert {"Writer", "Editor", "Catalog editor"} <= set(perms)
    assert "articles.add_article" in perms["Writer"]
    assert not {roles.PUBLISH, roles.EDIT_ANY} & perms["Writer"]
    assert {roles.PUBLISH, roles.EDIT_ANY} <= perms["Editor"]
    assert "catalog.change_person" not in perms["Editor"]
    assert {"catalog.change_person", "catalog.add_show", "catalog.change_credit",
            "catalog.change_company", "articles.change_suggestion"} <= perms["Catalog editor"]  # fmt: skip
    assert "articles.change_article" not in perms["Catalog editor"]


def test_a_writer_sees_only_their_own_stories(client, newsroom):
    client.force_login(newsroom["writer"])
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    titles = {a.title for a in response.context["cl"].result_list}
    assert titles == {"Own draft", "Bylined draft", "Own in review"}
    # Another writer's story is not there at all, not even read-only.
    response = client.get(change_url(newsroom["others"]))
    assert response.status_code == 302
    assert not Article.objects.filter(title="Someone else's draft", dek="changed").exists()


def test_a_writer_edits_own_drafts_but_not_once_submitted(client, newsroom):
    client.force_login(newsroom["writer"])
    page = client.get(change_url(newsroom["own_draft"]))
    assert page.context["has_change_permission"] is True
    # No status box and no publish time to type in: they change by the workflow only.
    fields = page.context["adminform"].form.fields
    assert "status" not in fields
    assert "published_at" not in fields
    assert "title" in fields
    for story in (newsroom["byline_draft"],):
        assert client.get(change_url(story)).context["has_change_permission"] is True
    review = client.get(change_url(newsroom["own_review"]))
    assert review.status_code == 200
    assert review.context["has_change_permission"] is False


def test_a_writer_cannot_publish_or_see_publish_actions(client, newsroom):
    client.force_login(newsroom["writer"])
    page = client.get(change_url(newsroom["own_draft"]))
    buttons = [t.name for t in page.context["desk_transitions"]]
    assert buttons == ["submit"]
    changelist = client.get(CHANGELIST)
    choices = [value for value, _ in changelist.context["action_form"].fields["action"].choices]
    assert "desk_submit" in choices
    assert "desk_publish" not in choices
    # Forcing the button in a hand-made request is refused too, and nothing changes.
    story = newsroom["own_draft"]
    client.post(CHANGELIST, {"action": "desk_publish", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def test_an_editor_edits_any_story_and_sees_every_transition(client, newsroom):
    client.force_login(newsroom["editor"])
    titles = {a.title for a in client.get(CHANGELIST).context["cl"].result_list}
    assert {"Someone else's draft", "A live story", "Own in review"} <= titles
    page = client.get(change_url(newsroom["own_review"]))
    assert page.context["has_change_permission"] is True
    assert "published_at" in page.context["adminform"].form.fields
    assert [t.name for t in page.context["desk_transitions"]] == [
        "send_back", "publish", "schedule", "archive",
    ]  # fmt: skip
    live = client.get(change_url(newsroom["live"]))
    assert [t.name for t in live.context["desk_transitions"]] == ["unpublish", "archive"]


def test_a_catalog_editor_works_the_catalog_and_only_reads_stories(client, newsroom):
    client.force_login(newsroom["cataloguer"])
    assert client.get(reverse("admin:catalog_person_add")).status_code == 200
    response = client.post(
        reverse("admin:catalog_person_add"),
        {"name": "Courtney Taylor", "slug": "", "key": "", "aliases": "", "bio": "",
         "imdb_id": "", "credits-TOTAL_FORMS": "0", "credits-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Person.objects.filter(name="Courtney Taylor").exists()
    assert client.get(reverse("admin:catalog_show_changelist")).status_code == 200
    assert client.get(reverse("admin:articles_suggestion_changelist")).status_code == 200
    story = client.get(change_url(newsroom["own_draft"]))
    assert story.status_code == 200
    assert story.context["has_change_permission"] is False
    assert client.get(reverse("admin:articles_article_add")).status_code == 403


def test_writers_and_editors_cannot_change_the_catalog(client, newsroom):
    show = f.show("Ballard")
    for who in ("writer", "editor"):
        client.force_login(newsroom[who])
        url = reverse("admin:catalog_show_change", args=[show.pk])
        page = client.get(url)
        assert page.status_code == 200
        assert page.context["has_change_permission"] is False
        assert client.get(reverse("admin:catalog_show_add")).status_code == 403
    assert Show.objects.count() == 1


def test_a_writer_cannot_save_someone_elses_story_by_posting(client, newsroom):
    client.force_login(newsroom["writer"])
    story = newsroom["live"]
    response = client.post(change_url(story), {"title": "Hijacked"})
    story.refresh_from_db()
    assert story.title == "A live story"
    assert response.status_code in (302, 403)


def test_a_new_story_by_a_writer_is_theirs_and_carries_their_byline(client, newsroom):
    writer = newsroom["writer"]
    client.force_login(writer)
    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Ballard adds a detective",
            "slug": "ballard-adds-a-detective",
            "dek": "",
            "body": "<p>A casting.</p>",
            "kind": "casting",
            "tags": "",
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
            "_transition": "submit",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Article.objects.get(slug="ballard-adds-a-detective")
    assert story.created_by == writer
    assert story.status == Article.Status.IN_REVIEW
    assert [b.author.name for b in story.bylines.all()] == ["A writer"]
    assert story.published_at is None


def test_scheduled_story_shows_as_scheduled_in_the_changelist(client, newsroom):
    f.article(
        "Tomorrow's renewal", published_at=timezone.now() + timedelta(days=1), created_by=None
    )
    client.force_login(newsroom["editor"])
    page = client.get(CHANGELIST, {"desk": "scheduled"}).content.decode()
    assert "Scheduled for" in page
    assert "Tomorrow&#x27;s renewal" in page or "Tomorrow's renewal" in page
