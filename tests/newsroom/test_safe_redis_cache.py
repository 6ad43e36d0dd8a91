"""Redis down must not take the site down: with the cache pointed at a port where nothing
listens, every cache call is a miss, pages render from the database and writes still
succeed."""

import logging
import socket
import time

import pytest
from django.core.cache import cache, caches

from newsroom.cache import HEADER, SafeRedisCache
from tests import factories as f

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dead_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.SafeRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "KEY_PREFIX": "newsroom",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SAFETY_SECONDS = 0
    yield caches["default"]


def test_every_cache_call_is_a_miss_not_an_error(dead_redis):
    assert isinstance(dead_redis, SafeRedisCache)

    assert dead_redis.get("key", "fallback") == "fallback"
    assert dead_redis.set("key", 1) is None
    assert dead_redis.add("key", 1) is False
    assert dead_redis.get_many(["a", "b"]) == {}
    assert dead_redis.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert dead_redis.delete("key") is False
    assert dead_redis.has_key("key") is False
    with pytest.raises(ValueError):
        dead_redis.incr("counter")


def test_after_a_failure_redis_is_left_alone_briefly_and_logged_once(dead_redis, caplog):
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        started = time.monotonic()
        dead_redis.get("first")
        for _ in range(50):
            dead_redis.get("again")
        elapsed = time.monotonic() - started

    # Fifty more calls cost nothing: they do not wait on the dead server again.
    assert elapsed < 1.0
    assert len([r for r in caplog.records if "cache unavailable" in r.getMessage()]) == 1


def test_pages_render_from_the_database_when_redis_is_down(client, dead_redis):
    w = f.renewal_scenario()

    for url in ["/", "/news/", w.story.get_absolute_url(), w.ballard.get_absolute_url(),
                w.maggie.get_absolute_url(), w.prime.get_absolute_url(), "/tags/renewals/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response[HEADER] == "miss", url
    assert b"Maggie Q" in client.get(w.story.get_absolute_url()).content


def test_writes_succeed_and_purge_quietly_when_redis_is_down(
    dead_redis, django_capture_on_commit_callbacks
):
    w = f.renewal_scenario()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        w.maggie.name = "Maggie Q."
        w.maggie.save()

    assert callbacks
    w.maggie.refresh_from_db()
    assert w.maggie.name == "Maggie Q."
    assert cache.get(f"pagegen:person:{w.maggie.pk}") is None


@pytest.fixture
def live_redis(settings, tmp_path):
    """A real Redis on a free loopback port, for as long as the test runs."""
    import shutil
    import subprocess

    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    port = closed_port()
    process = subprocess.Popen(
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        settings.CACHES = {
            "default": {
                "BACKEND": "newsroom.cache.SafeRedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "KEY_PREFIX": "newsroom",
            }
        }
        yield caches["default"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_one_redis_client_serves_every_call_and_every_thread(live_redis):
    from concurrent.futures import ThreadPoolExecutor

    client = live_redis._cache.get_client()
    assert live_redis._cache.get_client(write=True) is client

    def round_trip(n: int) -> int:
        live_redis.set(f"key-{n}", n)
        return live_redis.get(f"key-{n}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(round_trip, range(200))) == list(range(200))
    assert live_redis.get_many(["key-1", "key-2", "missing"]) == {"key-1": 1, "key-2": 2}
    assert live_redis._cache.get_client() is client


def test_pages_are_stored_and_served_from_a_live_redis(live_redis, client, settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SAFETY_SECONDS = 0
    show = f.show("Ballard")

    first = client.get(show.get_absolute_url())
    second = client.get(show.get_absolute_url())

    assert (first[HEADER], second[HEADER]) == ("miss", "hit")
    assert second.content == first.content


def test_a_value_and_many_others_read_in_one_round_trip(live_redis):
    live_redis.set("page", ("entry", 1))
    live_redis.set_many({"gen-a": 1.5, "gen-b": 7})

    assert live_redis.get_and_many("page", ["gen-a", "gen-b", "gen-missing"]) == (
        ("entry", 1), {"gen-a": 1.5, "gen-b": 7}
    )
    assert live_redis.get_and_many("missing", ["gen-a"]) == (None, {"gen-a": 1.5})


def test_get_and_many_is_a_miss_when_redis_is_down(dead_redis):
    assert dead_redis.get_and_many("page", ["gen-a"]) == (None, {})


def count_round_trips(monkeypatch) -> dict[str, int]:
    import redis

    calls = {"commands": 0, "pipelines": 0}
    command, execute = redis.Redis.execute_command, redis.client.Pipeline.execute

    def counted_command(self, *args, **kwargs):
        calls["commands"] += 1
        return command(self, *args, **kwargs)

    def counted_execute(self, *args, **kwargs):
        calls["pipelines"] += 1
        return execute(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", counted_command)
    monkeypatch.setattr(redis.client.Pipeline, "execute", counted_execute)
    return calls


def test_a_page_seen_before_is_served_in_one_round_trip_and_still_purged(
    live_redis, client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SAFETY_SECONDS = 0
    show = f.show("Ballard")
    url = show.get_absolute_url()
    assert client.get(url)[HEADER] == "miss"

    calls = count_round_trips(monkeypatch)
    assert client.get(url)[HEADER] == "hit"
    assert calls == {"commands": 0, "pipelines": 1}

    # A change to the show purges the page: the generations read with it say so.
    with django_capture_on_commit_callbacks(execute=True):
        show.title = "Ballard (retitled)"
        show.save()
    response = client.get(url)
    assert response[HEADER] == "miss" and b"Ballard (retitled)" in response.content


def test_a_wrong_guess_of_a_pages_dependencies_is_never_trusted(live_redis, client, settings):
    from django.test import RequestFactory

    from newsroom import cache as page_cache

    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SAFETY_SECONDS = 0
    show = f.show("Ballard")
    url = show.get_absolute_url()
    client.get(url)
    key = page_cache.page_key(RequestFactory().get(url))
    assert f"show:{show.pk}" in page_cache._known_deps[key]

    # This process remembers other dependencies than the entry has: the entry's own are read.
    page_cache._known_deps[key] = ("person:999999",)
    page_cache.bump([f"show:{show.pk}"])
    assert client.get(url)[HEADER] == "miss"
    assert client.get(url)[HEADER] == "hit"
    assert f"show:{show.pk}" in page_cache._known_deps[key]
