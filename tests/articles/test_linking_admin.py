"""The editor's side of linking in the admin: what was linked and how, pending suggestions on
the story, the queue's accept and reject actions, and a removed tag that stays removed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Suggestion
from catalog.models import Company, Credit, Person
from tests import factories as f

from .linking_helpers import linked_story

pytestmark = pytest.mark.django_db

BODY = (
    "<p>Prime Video renewed Harbor Lights, starring Maggie Q, for a second season.</p>"
    "<p>The series is executive produced by Henrik Bastin and Kendall Sherwood. Bastin "
    "called it a gift.</p>"
)


@pytest.fixture
def story():
    prime = f.company("Prime Video", kind=Company.Kind.STREAMER)
    show = f.show("Harbor Lights", year_start=2024, network=prime, tags=["crime drama"])
    f.credit(f.person("Maggie Q"), show, character="Ana Reyes")
    article, _ = linked_story(BODY, title="Harbor Lights Renewed", kind=Article.Kind.RENEWAL)
    return article


def test_the_change_page_shows_links_how_they_were_found_and_pending_suggestions(admin_client, story):
    page = admin_client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert "by name" in page
    assert "Henrik Bastin" in page  # a pending suggestion
    assert "Accept or reject them" in page
    assert reverse("admin:articles_mention_add") + f"?article={story.pk}" in page


def test_accepting_from_the_queue_adds_people_and_relinks(admin_client, story):
    rows = Suggestion.objects.filter(article=story, person_name__in=["Henrik Bastin", "Kendall Sherwood"])
    assert rows.count() == 2
    response = admin_client.post(
        reverse("admin:articles_suggestion_changelist"),
        {"action": "accept_suggestions", "_selected_action": [s.pk for s in rows]},
        follow=True,
    )
    assert "Accepted 2 suggestions" in response.content.decode()
    bastin = Person.objects.get(name="Henrik Bastin")
    assert Credit.objects.filter(person=bastin, role="executive_producer").exists()
    mention = story.mentions.get(person=bastin)
    assert mention.matched_text == "Henrik Bastin"
    story.refresh_from_db()
    assert story.body_html.count(f'href="/people/{bastin.slug}/"') == 1


def test_rejecting_from_the_queue(admin_client, story):
    row = Suggestion.objects.get(article=story, person_name="Kendall Sherwood")
    response = admin_client.post(
        reverse("admin:articles_suggestion_changelist"),
        {"action": "reject_suggestions", "_selected_action": [row.pk]},
        follow=True,
    )
    assert "Rejected 1 suggestions" in response.content.decode()
    row.refresh_from_db()
    assert row.status == Suggestion.Status.REJECTED
    assert not Person.objects.filter(name="Kendall Sherwood").exists()


def test_a_tag_an_editor_removes_in_the_admin_stays_removed(admin_client, story):
    assert {"crime drama", "Prime Video", "renewals"} <= set(story.tags.names())
    data = {
        "title": story.title, "slug": story.slug, "dek": "", "body": story.body,
        "kind": story.kind, "status": story.status,
        "published_at_0": timezone.localtime(story.published_at).strftime("%Y-%m-%d"),
        "published_at_1": timezone.localtime(story.published_at).strftime("%H:%M:%S"),
        "season_number": story.season_number or "", "source": "", "source_url": "",
        "hero_alt": "", "hero_credit": "", "main_show": story.main_show_id,
        "tags": "crime drama, renewals",
        "bylines-TOTAL_FORMS": "0", "bylines-INITIAL_FORMS": "0",
        "mentions-TOTAL_FORMS": "0", "mentions-INITIAL_FORMS": "0",
    }
    response = admin_client.post(reverse("admin:articles_article_change", args=[story.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    story.refresh_from_db()
    assert "Prime Video" not in set(story.tags.names())
    assert story.removed_tags == ["Prime Video"]
