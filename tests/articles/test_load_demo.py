"""load_demo: the demo site in one idempotent command, with a linked Ballard renewal story."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.demo import DEMO_PASSWORD, DEMO_USERNAME
from articles.models import Article, Mention, Suggestion
from catalog.models import Credit, Person, Show, current_catalog_version

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def state() -> dict:
    return {
        "stories": sorted(
            Article.objects.values_list("pk", "slug", "updated_at", "version", "body_html", "linked_at")
        ),
        "mentions": sorted(Mention.objects.values_list("pk", "article_id", "person_id", "show_id")),
        "suggestions": Suggestion.objects.count(),
        "shows": sorted(Show.objects.values_list("pk", "key", "status")),
        "people": Person.objects.count(),
        "credits": Credit.objects.count(),
        "catalog_version": current_catalog_version(),
        "users": sorted(get_user_model().objects.values_list("pk", "username", "password")),
    }


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_load_demo_twice_changes_nothing_and_prints_the_login(debug, settings):
    settings.SITE_URL = "http://127.0.0.1:8131"  # make run PORT=8131
    first = load()
    before = state()

    second = load()

    assert state() == before
    for output in (first, second):
        assert "Admin: http://127.0.0.1:8131/admin/  " in output
        assert f"username: {DEMO_USERNAME}  password: {DEMO_PASSWORD}" in output
    assert "story: 8 created" in first
    assert "story: 0 created, 0 updated, 8 unchanged" in second
    assert " 0 created, 0 updated" in second and "1 created" not in second
    user = get_user_model().objects.get(username=DEMO_USERNAME)
    assert user.is_superuser and user.is_staff and user.check_password(DEMO_PASSWORD)


def test_demo_has_a_linked_ballard_renewal_story(debug, client):
    load()

    story = Article.objects.get(kind=Article.Kind.RENEWAL, main_show__key="ballard")
    assert story.is_published and story.linked_at is not None
    linked = set(Mention.objects.active().filter(article=story).values_list("person__key", flat=True))
    assert {"maggie-q", "michael-connelly"} <= linked
    maggie = Person.objects.get(key="maggie-q")
    assert f'href="{maggie.get_absolute_url()}"' in story.body_html
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    assert maggie.get_absolute_url().encode() in page.content


def test_a_changed_password_is_reported_not_reset(debug):
    load()
    user = get_user_model().objects.get(username=DEMO_USERNAME)
    user.set_password("something else entirely")
    user.save()

    output = load()

    assert "its password was changed" in output
    assert DEMO_PASSWORD not in output
    user.refresh_from_db()
    assert user.check_password("something else entirely")


def test_load_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        load()
    assert not Article.objects.exists()
