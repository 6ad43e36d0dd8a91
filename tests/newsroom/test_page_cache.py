"""The full-page cache: anonymous public pages are served from the cache, purged precisely
when what they show changes (or a scheduled story goes live); editors, previews and drafts
bypass it; ETags give 304s."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission, User
from django.utils import timezone

from articles.models import Article
from catalog.models import Credit
from newsroom.cache import HEADER
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def fetch(client, url: str, **extra):
    response = client.get(url, **extra)
    return response, response.headers.get(HEADER)


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    # Committed as the admin would, so its purges are flushed before the test begins.
    with django_capture_on_commit_callbacks(execute=True):
        return f.renewal_scenario()


@pytest.fixture
def urls(world):
    return {
        "home": "/",
        "list": "/news/",
        "story": world.story.get_absolute_url(),
        "ballard": world.ballard.get_absolute_url(),
        "bosch": world.bosch.get_absolute_url(),
        "maggie": world.maggie.get_absolute_url(),
        "titus": world.titus.get_absolute_url(),
        "prime": world.prime.get_absolute_url(),
        "amazon": world.amazon.get_absolute_url(),
        "deadline": world.deadline.get_absolute_url(),
        "renewals": "/tags/renewals/",
        "writer": world.writer.get_absolute_url(),
    }


def warm(client, urls) -> None:
    for url in urls.values():
        fetch(client, url)
        assert fetch(client, url)[1] == "hit", url


def cached(client, urls) -> set[str]:
    """The names of the pages that are still served from the cache."""
    return {name for name, url in urls.items() if fetch(client, url)[1] == "hit"}


def test_anonymous_pages_are_served_from_the_cache_without_queries(
    client, urls, django_assert_num_queries
):
    first, state = fetch(client, urls["story"])
    assert state == "miss"

    with django_assert_num_queries(0):
        again, state = fetch(client, urls["story"])

    assert state == "hit"
    assert again.content == first.content
    assert again["ETag"] == first["ETag"] or not first.has_header("ETag")


def test_a_cached_page_answers_304_to_its_etag(client, urls):
    fetch(client, urls["ballard"])
    hit, _ = fetch(client, urls["ballard"])

    not_modified = client.get(urls["ballard"], HTTP_IF_NONE_MATCH=hit["ETag"])

    assert hit.has_header("ETag")
    assert not_modified.status_code == 304
    assert not_modified.content == b""


def test_changing_a_person_purges_exactly_the_pages_that_show_them(
    client, urls, world, django_capture_on_commit_callbacks
):
    warm(client, urls)

    with django_capture_on_commit_callbacks(execute=True):
        world.maggie.name = "Maggie Q."
        world.maggie.save()

    # Her page, the story that names her, the show that credits her, the lists; not the tag
    # page (its story teasers do not name her).
    assert cached(client, urls) == {
        "bosch", "titus", "prime", "amazon", "deadline", "renewals", "writer"
    }
    assert b"Maggie Q." in client.get(urls["story"]).content


def test_changing_a_show_purges_its_story_people_companies_and_family(
    client, urls, world, django_capture_on_commit_callbacks
):
    warm(client, urls)

    with django_capture_on_commit_callbacks(execute=True):
        world.bosch.title = "Bosch (the original)"
        world.bosch.save()

    # Bosch's page, its network's, its spinoff Ballard's, the story naming it, Titus
    # Welliver (credited on it); not the people of Ballard, its studio or the author.
    assert cached(client, urls) == {"maggie", "amazon", "deadline", "renewals", "writer"}


def test_changing_a_company_or_tag_purges_their_pages(
    client, urls, world, django_capture_on_commit_callbacks
):
    warm(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        world.deadline.name = "Deadline Hollywood"
        world.deadline.save()
    assert "deadline" not in cached(client, urls)
    assert {"maggie", "bosch", "titus", "renewals", "writer"} <= cached(client, urls)

    warm(client, urls)
    tag = world.story.tags.get()
    with django_capture_on_commit_callbacks(execute=True):
        tag.name = "Renewed"
        tag.save()
    assert cached(client, urls) == {
        "ballard", "bosch", "maggie", "titus", "prime", "amazon", "deadline", "writer"
    }


def test_changing_a_story_purges_everything_it_shows_and_the_lists(
    client, urls, world, django_capture_on_commit_callbacks
):
    warm(client, urls)

    with django_capture_on_commit_callbacks(execute=True):
        world.story.title = "Ballard is renewed"
        world.story.save()

    # Titus Welliver's mention is excluded and he is not credited on Ballard.
    assert cached(client, urls) == {"titus"}
    assert b"Ballard is renewed" in client.get("/").content


def test_a_new_credit_purges_the_show_and_the_person(
    client, urls, world, django_capture_on_commit_callbacks
):
    warm(client, urls)

    with django_capture_on_commit_callbacks(execute=True):
        f.credit(world.titus, world.ballard, character="Harry Bosch", order=2)

    # Ballard's story shows Ballard's cast panel, so it goes too.
    assert cached(client, urls) == {"bosch", "maggie", "prime", "amazon", "deadline", "renewals", "writer"}


def test_a_scheduled_story_appears_when_its_time_comes_without_any_write(client, world):
    later = timezone.now() + timedelta(minutes=10)
    scheduled = f.article("A scheduled renewal", status=Article.Status.SCHEDULED, published_at=later)
    scheduled.status = Article.Status.PUBLISHED
    scheduled.save()

    assert b"A scheduled renewal" not in fetch(client, "/")[0].content
    assert fetch(client, "/")[1] == "hit"

    with time_machine.travel(later + timedelta(seconds=5), tick=False):
        response, state = fetch(client, "/")

    assert state == "miss"
    assert b"A scheduled renewal" in response.content


def test_pages_live_their_full_time_when_nothing_is_scheduled(client, world):
    fetch(client, "/")

    with time_machine.travel(timezone.now() + timedelta(minutes=30), tick=False):
        assert fetch(client, "/")[1] == "hit"


def test_editors_and_previews_bypass_the_cache(client, world, urls):
    warm(client, {"story": urls["story"]})
    draft = f.article("A draft about Ballard", status=Article.Status.DRAFT)
    editor = User.objects.create_user("editor", password="x", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(editor)

    response, state = fetch(client, urls["story"])
    preview, preview_state = fetch(client, draft.get_absolute_url())

    assert response.status_code == 200 and state is None
    assert preview.status_code == 200 and preview_state is None
    assert b"A draft about Ballard" in preview.content

    # The draft's preview was not stored for readers: they get a 404, and it is never cached.
    client.logout()
    for _ in range(2):
        anonymous, anonymous_state = fetch(client, draft.get_absolute_url())
        assert anonymous.status_code == 404
        assert anonymous_state == "miss"


def test_preview_urls_and_the_admin_are_never_cached(client, urls):
    assert fetch(client, urls["story"] + "?preview=1")[1] is None
    assert fetch(client, urls["story"] + "?preview=1")[1] is None
    assert fetch(client, "/admin/login/")[1] is None


def test_responses_that_set_cookies_are_not_stored(client):
    # The admin login page sets a CSRF cookie; served outside the admin prefix it would
    # still not be stored. Here: a 404 and a page with a cookie both stay misses.
    assert fetch(client, "/no-such-page/")[1] == "miss"
    assert fetch(client, "/no-such-page/")[1] == "miss"


def test_cache_off_means_no_cache_header(client, urls, settings):
    settings.PAGE_CACHE_ENABLED = False

    assert fetch(client, urls["story"])[1] is None


def test_linking_a_story_purges_the_pages_of_what_it_now_names(
    client, urls, world, django_capture_on_commit_callbacks
):
    from articles.linking import link_article

    urls = {**urls, "wilkinson": world.wilkinson.get_absolute_url()}
    warm(client, urls)
    # The editor's new text names the director (saved without signals, as an import would).
    Article.objects.filter(pk=world.story.pk).update(
        body="<p>Prime Video renewed Ballard; Jet Wilkinson directs the new season.</p>"
    )
    world.story.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        link_article(world.story)

    assert world.story.mentions.filter(person=world.wilkinson).exists()
    still_cached = cached(client, urls)
    assert "wilkinson" not in still_cached
    assert "story" not in still_cached
    assert b"Jet Wilkinson" in client.get(urls["wilkinson"]).content


def test_a_catalog_import_purges_every_page(client, urls, world, django_capture_on_commit_callbacks):
    from io import StringIO
    from pathlib import Path

    from django.core.management import call_command

    warm(client, urls)
    catalog = Path(__file__).resolve().parents[1] / "fixtures" / "catalog" / "small.json"

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_catalog", str(catalog), stdout=StringIO(), stderr=StringIO())

    assert cached(client, urls) == set()


def test_purging_every_page_works_out_no_page_by_page_purges(
    world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from django.core.cache import cache

    from newsroom.cache import GEN_PREFIX, purge, purge_all

    keys = [GEN_PREFIX + key for key in ("all", "lists", f"show:{world.ballard.pk}", f"person:{world.maggie.pk}")]
    before = cache.get_many(keys)
    with django_capture_on_commit_callbacks() as callbacks:
        purge(world.ballard, world.maggie)  # alone, each would be fanned out with queries
        purge_all()

    with django_assert_num_queries(0):
        for callback in callbacks:
            callback()

    after = cache.get_many(keys)
    assert after[keys[0]] != before.get(keys[0]) and after[keys[1]] != before.get(keys[1])
    assert after.get(keys[2]) == before.get(keys[2]) and after.get(keys[3]) == before.get(keys[3])


def test_cached_and_fresh_pages_carry_the_same_public_headers(client, urls, settings):
    fresh, fresh_state = fetch(client, urls["story"])
    cached_copy, cached_state = fetch(client, urls["story"])

    assert (fresh_state, cached_state) == ("miss", "hit")
    for response in (fresh, cached_copy):
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", f"max-age={settings.NEWSROOM_CACHE_MAX_AGE}"} <= directives
        assert response["ETag"] == fresh["ETag"]


def test_previews_stay_private(client, world):
    draft = f.article("A private draft", status=Article.Status.DRAFT)
    editor = User.objects.create_user("editor", password="x", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(editor)

    response = client.get(draft.get_absolute_url())

    assert "public" not in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_cached_pages_go_compressed_to_clients_that_accept_gzip(client, urls):
    import gzip

    from django.core.cache import cache
    from django.test import RequestFactory

    from newsroom.cache import page_key

    fresh, _ = fetch(client, urls["ballard"])
    gzipped, state = fetch(client, urls["ballard"], HTTP_ACCEPT_ENCODING="br, gzip;q=0.9")
    plain, plain_state = fetch(client, urls["ballard"])

    assert (state, plain_state) == ("hit", "hit")
    assert gzipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(gzipped.content) == fresh.content == plain.content
    assert int(gzipped["Content-Length"]) == len(gzipped.content) < len(fresh.content) / 2
    assert not plain.has_header("Content-Encoding")
    assert int(plain["Content-Length"]) == len(fresh.content)
    for response in (fresh, gzipped, plain):
        vary = {v.strip().lower() for v in response["Vary"].split(",")}
        assert {"accept-encoding", "cookie"} <= vary
    # A compressed body has a weak ETag of its own; either revalidates.
    assert gzipped["ETag"] == "W/" + plain["ETag"]
    for etag in (gzipped["ETag"], plain["ETag"]):
        assert client.get(urls["ballard"], HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_ENCODING="gzip").status_code == 304
    # Kept compressed: the cache holds the small body.
    entry = cache.get(page_key(RequestFactory().get(urls["ballard"])))
    assert entry[-1] is True and len(entry[-2]) == len(gzipped.content)


def test_small_pages_are_stored_as_they_are(client):
    from newsroom.cache import COMPRESS_MIN_BYTES

    small, _ = fetch(client, "/robots.txt")
    again, state = fetch(client, "/robots.txt", HTTP_ACCEPT_ENCODING="gzip")

    assert state == "hit" and len(small.content) < COMPRESS_MIN_BYTES
    assert not again.has_header("Content-Encoding")
    assert again.content == small.content
    assert int(again["Content-Length"]) == len(small.content)


@pytest.mark.parametrize(
    "header, expected",
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8, *;q=0.1", True),
        ("GZIP", True),
        ("x-gzip", True),
        ("*", True),
        ("", False),
        ("identity", False),
        ("br, deflate", False),
        ("gzip;q=0", False),
        ("gzip;q=0.000", False),
        ("*;q=0, br", False),
        ("gzip;q=0, *", False),
        ("gzip;q=nonsense", False),
    ],
)
def test_accept_encoding_is_read_with_its_weights(header, expected):
    from newsroom.cache import accepts_gzip

    assert accepts_gzip(header) is expected


def test_a_client_refusing_gzip_gets_the_page_as_it_is(client, urls):
    fresh, _ = fetch(client, urls["ballard"])
    refused, state = fetch(client, urls["ballard"], HTTP_ACCEPT_ENCODING="gzip;q=0, br")

    assert state == "hit"
    assert not refused.has_header("Content-Encoding")
    assert refused.content == fresh.content


def test_full_credits_pages_are_purged_with_the_show_and_people_they_list(
    client, world, django_capture_on_commit_callbacks
):
    pages = {
        "ballard credits": world.ballard.get_absolute_url() + "credits/",
        "maggie credits": world.maggie.get_absolute_url() + "credits/",
        "bosch credits": world.bosch.get_absolute_url() + "credits/",
    }
    warm(client, pages)
    with django_capture_on_commit_callbacks(execute=True):
        world.maggie.name = "Maggie Q."
        world.maggie.save()
    assert cached(client, pages) == {"bosch credits"}
    assert b"Maggie Q." in client.get(pages["ballard credits"]).content

    warm(client, pages)
    with django_capture_on_commit_callbacks(execute=True):
        f.credit(world.titus, world.bosch, Credit.Role.EXECUTIVE_PRODUCER, order=9)
    assert cached(client, pages) == {"ballard credits", "maggie credits"}
