"""The workflow services, the admin's buttons and actions, and publish_scheduled."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles import roles, workflow
from articles.models import Article
from tests import factories as f

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people():
    return {
        "writer": f.staff_user("writer", roles.WRITER),
        "editor": f.staff_user("editor", roles.EDITOR),
    }


@pytest.fixture
def went_live():
    """Every article_went_live / article_withdrawn signal sent, in order."""
    seen: list[tuple[str, str]] = []

    def live(sender, article, **kwargs):
        seen.append(("live", article.slug))

    def gone(sender, article, **kwargs):
        seen.append(("withdrawn", article.slug))

    workflow.article_went_live.connect(live)
    workflow.article_withdrawn.connect(gone)
    yield seen
    workflow.article_went_live.disconnect(live)
    workflow.article_withdrawn.disconnect(gone)


def test_draft_to_review_to_published_to_archived(people, went_live, django_capture_on_commit_callbacks):
    story = f.article("Ballard renewed", status=Article.Status.DRAFT, created_by=people["writer"])
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_submit(article=story, by=people["writer"])
        assert story.status == Article.Status.IN_REVIEW
        workflow.article_publish(article=story, by=people["editor"])
    story.refresh_from_db()
    assert story.is_published
    assert story.went_live_at is not None
    assert story.updated_by == people["editor"]
    assert Article.objects.published().filter(pk=story.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_archive(article=story, by=people["editor"])
    assert not Article.objects.published().filter(pk=story.pk).exists()
    assert went_live == [("live", story.slug), ("withdrawn", story.slug)]
    history = list(
        LogEntry.objects.filter(object_id=str(story.pk)).order_by("pk").values_list(
            "change_message", flat=True
        )
    )
    assert history == ["Submitted for review", "Published", "Went live", "Archived"]


@pytest.mark.parametrize("name", ["publish", "schedule", "unpublish", "archive", "send_back"])
def test_a_writer_cannot_apply_editor_transitions(people, name):
    story = f.article(status=Article.Status.IN_REVIEW, created_by=people["writer"])
    with pytest.raises(PermissionDenied):
        workflow.apply_transition(article=story, name=name, by=people["writer"])
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW


def test_a_writer_cannot_submit_someone_elses_draft(people):
    story = f.article(status=Article.Status.DRAFT)
    with pytest.raises(PermissionDenied):
        workflow.article_submit(article=story, by=people["writer"])


def test_transitions_only_from_their_states(people):
    live = f.article()
    with pytest.raises(ValidationError, match="cannot be published"):
        workflow.article_publish(article=live, by=people["editor"])
    with pytest.raises(ValidationError, match="cannot be submitted"):
        workflow.article_submit(article=live, by=people["editor"])


def test_scheduling_needs_a_future_time(people):
    story = f.article(status=Article.Status.DRAFT)
    with pytest.raises(ValidationError, match="needs a publish time"):
        workflow.article_schedule(article=story, by=people["editor"])
    with pytest.raises(ValidationError, match="has passed"):
        workflow.article_schedule(
            article=story, by=people["editor"], published_at=timezone.now() - timedelta(minutes=1)
        )


def test_a_scheduled_story_goes_live_on_time_without_the_command(people):
    when = timezone.now() + timedelta(hours=2)
    story = f.article("Embargoed", status=Article.Status.DRAFT)
    workflow.article_schedule(article=story, by=people["editor"], published_at=when)
    assert workflow.desk_state(story) == "Scheduled"
    assert not Article.objects.published().filter(pk=story.pk).exists()
    assert Article.objects.scheduled().filter(pk=story.pk).exists()
    with time_machine.travel(when + timedelta(seconds=1)):
        assert Article.objects.published().filter(pk=story.pk).exists()
        assert workflow.desk_state(story) == "Published"


def test_publish_scheduled_does_the_go_live_work_once(people, went_live, django_capture_on_commit_callbacks):
    when = timezone.now() + timedelta(minutes=30)
    due = f.article("Due at half past", status=Article.Status.DRAFT)
    later = f.article("Due tomorrow", status=Article.Status.DRAFT)
    workflow.article_schedule(article=due, by=people["editor"], published_at=when)
    workflow.article_schedule(article=later, by=people["editor"], published_at=when + timedelta(days=1))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", stdout=out)
    assert "0 stories went live" in out.getvalue()
    with time_machine.travel(when + timedelta(minutes=1)):
        for run in range(2):
            out = StringIO()
            with django_capture_on_commit_callbacks(execute=True):
                call_command("publish_scheduled", stdout=out, verbosity=2)
            expected = "1 stories went live" if run == 0 else "0 stories went live"
            assert expected in out.getvalue()
    assert "live: due-at-half-past" not in out.getvalue()
    assert went_live == [("live", "due-at-half-past")]
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.went_live_at is not None
    assert later.went_live_at is None
    went = LogEntry.objects.filter(object_id=str(due.pk), change_message="Went live")
    assert went.count() == 1
    assert went.get().user == people["editor"]


def test_publish_scheduled_only_marks_stories_long_past(went_live, django_capture_on_commit_callbacks):
    old = f.article("An imported archive story", published_at=timezone.now() - timedelta(days=30))
    assert old.went_live_at is None
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", stdout=out)
    assert "0 stories went live, 1 older ones marked as done" in out.getvalue()
    old.refresh_from_db()
    assert old.went_live_at is not None
    assert went_live == []


def test_unpublishing_withdraws_only_a_live_story(people, went_live, django_capture_on_commit_callbacks):
    live = f.article("Live now")
    scheduled = f.article("Later", status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_schedule(
            article=scheduled, by=people["editor"], published_at=timezone.now() + timedelta(days=1)
        )
        workflow.article_unpublish(article=scheduled, by=people["editor"])
        workflow.article_unpublish(article=live, by=people["editor"])
    assert went_live == [("withdrawn", "live-now")]
    for story in (live, scheduled):
        story.refresh_from_db()
        assert story.status == Article.Status.DRAFT
        assert story.went_live_at is None


# -- the admin: buttons on the story page, actions in the changelist ---------------------------


def _form_data(story: Article, **overrides) -> dict:
    data = {
        "title": story.title,
        "slug": story.slug,
        "dek": story.dek,
        "body": story.body,
        "kind": story.kind,
        "tags": "",
        "season_number": "",
        "source": "",
        "source_url": "",
        "hero_alt": "",
        "hero_credit": "",
        "main_show": "",
        "base_version": story.version,
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
    }
    if story.published_at:
        local = timezone.localtime(story.published_at)
        data["published_at_0"] = f"{local:%Y-%m-%d}"
        data["published_at_1"] = f"{local:%H:%M:%S}"
    data.update(overrides)
    return data


def test_the_story_page_buttons_save_and_move_the_story(client, people):
    story = f.article("Needs an edit", status=Article.Status.IN_REVIEW)
    client.force_login(people["editor"])
    change = reverse("admin:articles_article_change", args=[story.pk])
    page = client.get(change).content.decode()
    assert 'name="_transition" value="publish"' in page
    tomorrow = timezone.localtime() + timedelta(days=1)
    response = client.post(
        change,
        _form_data(
            story,
            dek="Fixed.",
            published_at_0=f"{tomorrow:%Y-%m-%d}",
            published_at_1=f"{tomorrow:%H:%M:%S}",
            _transition="schedule",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    story.refresh_from_db()
    assert story.dek == "Fixed."
    assert workflow.desk_state(story) == "Scheduled"
    response = client.post(change, _form_data(story, _transition="publish"))
    assert response.status_code == 200
    assert "in the future" in str(response.context["adminform"].form.errors)


def test_changelist_actions_apply_to_each_story_and_report_refusals(client, people):
    ready = f.article("Ready", status=Article.Status.IN_REVIEW)
    live = f.article("Already live")
    client.force_login(people["editor"])
    response = client.post(
        CHANGELIST,
        {"action": "desk_publish", "_selected_action": [ready.pk, live.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert "Publish now: 1 story." in messages
    assert any("Already live" in m and "cannot be published" in m for m in messages)
    ready.refresh_from_db()
    assert ready.is_published
    response = client.post(
        CHANGELIST, {"action": "desk_archive", "_selected_action": [ready.pk, live.pk]}
    )
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.ARCHIVED}


def test_desk_filters(client, people):
    writer = people["writer"]
    mine = f.article("My draft", status=Article.Status.DRAFT, created_by=writer)
    f.article("Not my draft", status=Article.Status.DRAFT)
    review = f.article("For review", status=Article.Status.IN_REVIEW)
    soon = f.article("Soon", published_at=timezone.now() + timedelta(hours=1))
    f.article("Live")
    editor = people["editor"]
    Article.objects.filter(pk=mine.pk).update(created_by=editor)
    client.force_login(editor)

    def titles(value):
        return {a.title for a in client.get(CHANGELIST, {"desk": value}).context["cl"].result_list}

    assert titles("mine") == {mine.title}
    assert titles("review") == {review.title}
    assert titles("scheduled") == {soon.title}
