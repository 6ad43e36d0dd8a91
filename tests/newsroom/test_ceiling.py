"""The benchmark's constant view exists only when NEWSROOM_BENCH_CEILING turns it on."""

import importlib

import pytest
from django.urls import clear_url_caches

import newsroom.urls


@pytest.fixture
def reload_urls(settings):
    yield
    settings.BENCH_CEILING_VIEW = False  # before the settings fixture restores it
    clear_url_caches()
    importlib.reload(newsroom.urls)


def test_ceiling_view_is_not_routed_by_default(client, db):
    assert "/_bench/" not in str(newsroom.urls.urlpatterns)
    assert client.get("/_bench/ceiling/").status_code == 404


def test_ceiling_view_answers_a_constant_when_enabled(client, settings, reload_urls, db):
    settings.BENCH_CEILING_VIEW = True
    importlib.reload(newsroom.urls)
    clear_url_caches()

    response = client.get("/_bench/ceiling/")

    assert response.status_code == 200
    assert response.content == b"ok\n"
