"""The story admin, and every admin screen outside the catalog (stories, accounts, tags)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Mention, Suggestion
from catalog.models import Company
from tests import factories as f

pytestmark = pytest.mark.django_db

OTHER_MODELS = [m for m in admin.site._registry if m._meta.app_label != "catalog"]
A_DAY = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def desk(admin_user) -> dict:
    """A published story with a byline, tags, links and a pending suggestion."""
    deadline = f.company("Deadline", kind=Company.Kind.PUBLICATION)
    streamer = f.company("Prime Video", kind=Company.Kind.STREAMER)
    show = f.show("Ballard", year_start=2025, network=streamer)
    lead = f.person("Maggie Q")
    staff = f.author("TV Desk", user=admin_user)
    story = f.article(
        "Ballard renewed for a second season",
        authors=[staff],
        main_show=show,
        source=deadline,
        tags=["renewals"],
        body="<p>Ballard, starring Maggie Q, returns to Prime Video.</p>",
    )
    draft = f.article("Ballard season two, what we know", status=Article.Status.DRAFT)
    links = [
        f.mention(story, show, position=3),
        f.mention(story, lead, position=22, character="Renée Ballard"),
        f.mention(story, streamer, position=43),
    ]
    f.suggestion(story, person_name="Kendall Sherwood", role="showrunner", show=show)
    Group.objects.create(name="Editors")
    return {
        "story": story,
        "draft": draft,
        "show": show,
        "lead": lead,
        "streamer": streamer,
        "source": deadline,
        "author": staff,
        "links": links,
    }


def test_every_story_model_is_registered():
    assert set(OTHER_MODELS) >= {Article, Author, Mention, Suggestion}


@pytest.mark.parametrize("model", OTHER_MODELS, ids=lambda m: m._meta.label_lower)
def test_changelist_add_and_change_pages_answer(admin_client, desk, model):
    assert admin_client.get(url(model, "changelist")).status_code == 200
    assert admin_client.get(url(model, "add")).status_code == 200
    obj = model._default_manager.first()
    assert obj is not None, f"the desk fixture has no {model._meta.verbose_name}"
    response = admin_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200


SEARCHES = [
    (Article, "renewed", "Ballard renewed for a second season", "Ballard season two, what we know"),
    (Author, "desk", "TV Desk", None),
    (Mention, "maggie", "Maggie Q", "Prime Video"),
    (Suggestion, "sherwood", "Kendall Sherwood", None),
]


@pytest.mark.parametrize(("model", "term", "found", "not_found"), SEARCHES)
def test_changelist_search(admin_client, desk, model, term, found, not_found):
    response = admin_client.get(url(model, "changelist"), {"q": term})
    assert response.status_code == 200
    page = response.content.decode()
    assert found in page
    if not_found:
        assert not_found not in page
    rows = list(response.context["cl"].result_list)
    assert rows
    missing = admin_client.get(url(model, "changelist"), {"q": "no such words anywhere"})
    assert list(missing.context["cl"].result_list) == []


def test_story_list_shows_whether_a_story_is_live(admin_client, desk):
    f.article(
        "Scheduled for tomorrow",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )
    response = admin_client.get(url(Article, "changelist"))
    live = {
        story.title: response.context["cl"].model_admin.is_published(story)
        for story in response.context["cl"].result_list
    }
    assert live == {
        "Ballard renewed for a second season": True,
        "Ballard season two, what we know": False,
        "Scheduled for tomorrow": False,
    }
    assert 'alt="True"' in response.content.decode()
    # Undated drafts first, then the newest.
    titles = list(live)
    assert titles[0] == "Ballard season two, what we know"


def test_source_autocomplete_offers_only_publications(admin_client, desk):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "source", "term": ""},
    )
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Deadline"]


def test_main_show_and_author_autocomplete(admin_client, desk):
    shows = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "main_show",
            "term": "ball",
        },
    ).json()["results"]
    assert [row["text"] for row in shows] == ["Ballard (2025)"]
    authors = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "byline", "field_name": "author", "term": "tv"},
    ).json()["results"]
    assert [row["text"] for row in authors] == ["TV Desk"]


# The story form -----------------------------------------------------------------------------


def story_post(**overrides) -> dict:
    data = {
        "title": "Three Pines is cancelled",
        "slug": "three-pines-is-cancelled",
        "dek": "",
        "body": "<p>The show ends.</p>",
        "kind": "cancellation",
        "tags": "cancellations",
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


def test_saving_records_who_created_and_who_last_edited(client, admin_user, desk):
    client.force_login(admin_user)
    response = client.post(
        url(Article, "add"),
        story_post(
            **{
                "bylines-TOTAL_FORMS": "1",
                "bylines-0-author": desk["author"].pk,
                "bylines-0-order": "0",
            }
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    story = Article.objects.get(slug="three-pines-is-cancelled")
    assert story.created_by == admin_user
    assert story.updated_by == admin_user
    assert list(story.authors.all()) == [desk["author"]]
    assert list(story.tags.names()) == ["cancellations"]

    other = User.objects.create_superuser("second-editor", "second@example.com", "pw")
    client.force_login(other)
    byline = story.bylines.get()
    response = client.post(
        url(Article, "change", story.pk),
        story_post(
            dek="After one season.",
            **{
                "bylines-TOTAL_FORMS": "1",
                "bylines-INITIAL_FORMS": "1",
                "bylines-0-id": byline.pk,
                "bylines-0-article": story.pk,
                "bylines-0-author": desk["author"].pk,
                "bylines-0-order": "0",
            },
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    story.refresh_from_db()
    assert story.dek == "After one season."
    assert story.created_by == admin_user
    assert story.updated_by == other


def test_body_is_sanitized(admin_client):
    response = admin_client.post(
        url(Article, "add"),
        story_post(body='<p onclick="steal()">Hello <script>alert(1)</script><b>there</b></p>'),
    )
    assert response.status_code == 302, response.context["errors"]
    body = Article.objects.get(slug="three-pines-is-cancelled").body
    assert "script" not in body
    assert "onclick" not in body
    assert "<b>there</b>" in body


def test_scheduling_needs_a_publish_time(admin_client):
    response = admin_client.post(url(Article, "add"), story_post(_transition="schedule"))
    assert response.status_code == 200
    assert "Set the publish time" in str(response.context["adminform"].form.errors)
    assert not Article.objects.exists()


def test_change_page_lists_links_and_an_editor_can_exclude_one(admin_client, desk):
    story = desk["story"]
    show_link, lead_link, streamer_link = desk["links"]
    page = admin_client.get(url(Article, "change", story.pk)).content.decode()
    assert "links found in the story" in page.lower()
    assert url(type(desk["lead"]), "change", desk["lead"].pk) in page
    assert "Renée Ballard" in page
    assert "Found by linking" in page

    data = story_post(
        title=story.title,
        slug=story.slug,
        body=story.body,
        kind=story.kind,
        tags="renewals",
        status="published",
        published_at_0=timezone.localtime(story.published_at).strftime("%Y-%m-%d"),
        published_at_1=timezone.localtime(story.published_at).strftime("%H:%M:%S"),
        main_show=desk["show"].pk,
        source=desk["source"].pk,
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-INITIAL_FORMS": "1",
            "bylines-0-id": story.bylines.get().pk,
            "bylines-0-article": story.pk,
            "bylines-0-author": desk["author"].pk,
            "bylines-0-order": "0",
            "mentions-TOTAL_FORMS": "3",
            "mentions-INITIAL_FORMS": "3",
        },
    )
    for i, link in enumerate([show_link, lead_link, streamer_link]):
        data[f"mentions-{i}-id"] = link.pk
        data[f"mentions-{i}-article"] = story.pk
    data["mentions-2-excluded"] = "on"
    response = admin_client.post(url(Article, "change", story.pk), data)
    assert response.status_code == 302, response.context["errors"]
    assert set(story.mentions.filter(excluded=True)) == {streamer_link}
    assert story.mentions.count() == 3


def test_links_cannot_be_added_or_deleted_on_the_story(admin_client, desk):
    page = admin_client.get(url(Article, "change", desk["story"].pk)).content.decode()
    assert 'name="mentions-MAX_NUM_FORMS" value="0"' in page
    assert 'name="mentions-0-DELETE"' not in page


def test_a_link_added_by_hand_is_the_editors(admin_client, desk):
    story = desk["draft"]
    response = admin_client.post(
        url(Mention, "add"),
        {
            "article": story.pk,
            "person": desk["lead"].pk,
            "matched_text": "Maggie Q",
            "character": "",
            "position": "",
            "in_body": "on",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    assert story.mentions.get().found == Mention.Found.EDITOR


def test_a_link_needs_exactly_one_target(admin_client, desk):
    response = admin_client.post(
        url(Mention, "add"),
        {"article": desk["draft"].pk, "person": desk["lead"].pk, "show": desk["show"].pk},
    )
    assert response.status_code == 200
    assert "exactly one" in str(response.context["adminform"].form.non_field_errors())
    assert not desk["draft"].mentions.exists()


def test_suggestions_filter_by_status_and_kind(admin_client, desk):
    story = desk["story"]
    f.suggestion(story, person_name="Trey Batchelor", status=Suggestion.Status.REJECTED)
    f.suggestion(
        story, kind=Suggestion.Kind.CREDIT, person=desk["lead"], show=desk["show"], role="cast"
    )
    changelist = url(Suggestion, "changelist")
    pending = admin_client.get(changelist, {"status__exact": "pending"}).context["cl"]
    assert pending.result_count == 2
    credits = admin_client.get(changelist, {"kind__exact": "credit"}).context["cl"]
    assert [s.person for s in credits.result_list] == [desk["lead"]]


# Query counts -------------------------------------------------------------------------------


def _article_rows(n: int) -> None:
    editor = User.objects.create_user(f"editor-{User.objects.count()}")
    source = f.company(kind=Company.Kind.PUBLICATION)
    for i in range(n):
        story = f.article(
            authors=[f.author(), f.author()],
            main_show=f.show(network=f.company()),
            source=source,
            updated_by=editor,
            published_at=A_DAY + timedelta(minutes=i),
            tags=["renewals"],
        )
        f.mention(story, f.person())


def _author_rows(n: int) -> None:
    for _ in range(n):
        writer = f.author(user=User.objects.create_user(f"writer-{User.objects.count()}"))
        f.article(authors=[writer], published_at=A_DAY)


def _mention_rows(n: int) -> None:
    for i in range(n):
        story = f.article(published_at=A_DAY)
        target = [f.person, f.show, f.company][i % 3]()
        f.mention(story, target)


def _suggestion_rows(n: int) -> None:
    decider = User.objects.create_user(f"decider-{User.objects.count()}")
    for _ in range(n):
        f.suggestion(
            f.article(published_at=A_DAY),
            kind=Suggestion.Kind.CREDIT,
            person=f.person(),
            show=f.show(),
            role="cast",
            status=Suggestion.Status.ACCEPTED,
            decided_by=decider,
        )
    Suggestion.objects.update(created_at=A_DAY)


ROW_BUILDERS: dict[type, Callable[[int], None]] = {
    Article: _article_rows,
    Author: _author_rows,
    Mention: _mention_rows,
    Suggestion: _suggestion_rows,
}
CHANGELIST_QUERIES = {Article: 8, Author: 5, Mention: 4, Suggestion: 8}


@pytest.mark.parametrize("model", list(ROW_BUILDERS), ids=lambda m: m._meta.model_name)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model, django_assert_num_queries):
    build = ROW_BUILDERS[model]
    changelist = url(model, "changelist")
    build(3)
    admin_client.get(changelist)  # the first request of a session also saves it
    with CaptureQueriesContext(connection) as few:
        response = admin_client.get(changelist)
    assert response.context["cl"].result_count == 3
    build(27)
    with django_assert_num_queries(len(few)):
        response = admin_client.get(changelist)
    assert response.context["cl"].result_count == 30
    assert len(few) == CHANGELIST_QUERIES[model]


def _admins_and_inlines():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"catalog", "articles"}:
            continue
        yield model_admin, None
        for inline_class in model_admin.inlines:
            inline = inline_class(model, admin.site)
            yield inline, inline.fk_name or model._meta.model_name


def test_every_foreign_key_into_a_large_table_is_an_autocomplete():
    """A plain select would load every person or show into each page that edits a link."""
    large = {"catalog.person", "catalog.show", "catalog.company", "articles.article",
             "articles.author", "auth.user"}  # fmt: skip
    plain = []
    for model_admin, parent_fk in _admins_and_inlines():
        for field in model_admin.model._meta.get_fields():
            if not (field.many_to_one or field.many_to_many) or field.auto_created:
                continue
            if not field.editable or field.related_model._meta.label_lower not in large:
                continue
            if field.name == parent_fk:
                continue
            if field.name in model_admin.autocomplete_fields:
                continue
            if field.name in model_admin.readonly_fields:
                continue
            fields = model_admin.fields or [
                name for _, opts in (model_admin.fieldsets or ()) for name in opts["fields"]
            ]
            flat = {n for item in fields for n in (item if isinstance(item, tuple) else (item,))}
            if fields and field.name not in flat:
                continue
            plain.append(f"{type(model_admin).__name__}.{field.name}")
    assert plain == []
