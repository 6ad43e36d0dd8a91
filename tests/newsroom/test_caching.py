from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article
from catalog.models import CatalogVersion, bump_catalog_version
from newsroom.caching import content_changed_at
from tests import factories as f

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_user("editor", password="a long passphrase", is_staff=True)
    client.force_login(user)
    return client


def test_public_page_is_cacheable_for_a_short_while(client, settings):
    settings.NEWSROOM_CACHE_MAX_AGE = 60
    settings.NEWSROOM_CACHE_STALE_WHILE_REVALIDATE = 300
    f.article()

    response = client.get("/feeds/latest/")

    assert directives(response) == {"public", "max-age=60", "stale-while-revalidate=300"}
    assert "Cookie" in response["Vary"]
    assert response["ETag"]


def test_conditional_request_gets_304_until_the_content_changes(client):
    story = f.article("Before")
    first = client.get("/feeds/latest/")

    again = client.get("/feeds/latest/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert "public" in again["Cache-Control"]

    story.title = "After"
    story.save()
    changed = client.get("/feeds/latest/", headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_if_modified_since_gets_304(client):
    f.article(published_at=timezone.now() - timedelta(days=1))
    first = client.get("/feeds/latest/")

    again = client.get("/feeds/latest/", headers={"if-modified-since": first["Last-Modified"]})

    assert again.status_code == 304


def test_signed_in_staff_never_get_a_cacheable_page(staff_client):
    f.article()

    response = staff_client.get("/feeds/latest/")

    assert response.status_code == 200
    assert {"private", "no-cache", "no-store"} <= directives(response)
    assert "public" not in directives(response)


def test_admin_keeps_its_own_never_cache(staff_client):
    response = staff_client.get("/admin/")
    assert "public" not in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]


def test_errors_and_posts_are_not_marked_public(client):
    assert not client.get("/shows/nope/feed/").has_header("Cache-Control")
    assert "public" not in client.post("/robots.txt").get("Cache-Control", "")


def test_content_changed_at_follows_saves_go_lives_and_the_catalog(django_assert_num_queries):
    old = timezone.now() - timedelta(days=3)
    story = f.article(published_at=old)
    Article.objects.filter(pk=story.pk).update(updated_at=old)
    CatalogVersion.objects.update_or_create(pk=1, defaults={"changed_at": old})
    with django_assert_num_queries(2):
        assert content_changed_at(None) == old

    going_live = timezone.now() - timedelta(minutes=1)
    later = f.article(published_at=going_live)
    Article.objects.filter(pk=later.pk).update(updated_at=old)
    assert content_changed_at(None) == going_live

    scheduled = f.article(status=Article.Status.SCHEDULED, published_at=timezone.now() + timedelta(days=1))
    Article.objects.filter(pk=scheduled.pk).update(updated_at=old)
    assert content_changed_at(None) == going_live  # a story not yet live changes nothing

    bump_catalog_version()
    assert abs(content_changed_at(None) - timezone.now()) < timedelta(seconds=5)
    assert http_date(content_changed_at(None).timestamp())


def test_conditional_request_to_a_story_page_gets_304(client):
    w = f.renewal_scenario()
    url = w.story.get_absolute_url()
    first = client.get(url)
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
