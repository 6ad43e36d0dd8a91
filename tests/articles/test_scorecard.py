from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import scorecard as scorecard_module
from articles.models import Article
from articles.scorecard import Verdict, build_scorecard
from catalog.models import Show
from tests import factories as f
from tests.page import Page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mid_year():
    """The scorecard is a year at a time: these tests' stories, days apart, fall in one year
    whatever day the suite runs."""
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=UTC), tick=True):
        yield

RENEWAL, CANCELLATION = Article.Kind.RENEWAL, Article.Kind.CANCELLATION


def days_ago(n: float):
    return timezone.now() - timedelta(days=n)


def rows(scorecard) -> dict[str, tuple]:
    """Show title → (platform group, verdict, season, story title)."""
    return {
        entry.show.title: (group.name, entry.verdict, entry.season, entry.story.title)
        for group in scorecard.groups
        for entry in group.entries
    }


def test_latest_published_story_decides_each_show():
    prime = f.company("Prime Video")
    ballard = f.show("Ballard", network=prime)
    f.article("Ballard renewed", kind=RENEWAL, main_show=ballard, season_number=2, published_at=days_ago(30))
    f.article("Ballard cancelled", kind=CANCELLATION, main_show=ballard, published_at=days_ago(2))
    f.article("Ballard casting news", kind=Article.Kind.CASTING, main_show=ballard, published_at=days_ago(1))
    f.article("Ballard draft renewal", kind=RENEWAL, main_show=ballard, status=Article.Status.DRAFT)
    f.article("A renewal with no show", kind=RENEWAL)
    f.show("Never decided", network=prime)

    scorecard, _ = build_scorecard()

    assert rows(scorecard) == {"Ballard": ("Prime Video", Verdict.CANCELLED, None, "Ballard cancelled")}
    entry = scorecard.groups[0].entries[0]
    assert entry.announced_at == entry.story.published_at
    assert scorecard.total == 1


def test_verdicts_renewed_ending_cancelled_and_pending():
    net = f.company("Network")
    f.article(kind=RENEWAL, main_show=f.show("Renewed show", network=net), season_number=3)
    f.article(kind=RENEWAL, main_show=f.show("Final show", network=net), season_number=5, is_final_season=True)
    f.article(kind=CANCELLATION, main_show=f.show("Cancelled show", network=net))
    locked = f.show("Locked show", network=net, status=Show.Status.AIRING, status_locked=True)
    f.article(kind=RENEWAL, main_show=locked, season_number=2)
    overruled = f.show("Overruled show", network=net, status=Show.Status.CANCELLED, status_locked=True)
    f.article(kind=RENEWAL, main_show=overruled)

    scorecard, _ = build_scorecard()
    verdicts = {title: row[1] for title, row in rows(scorecard).items()}

    assert verdicts == {
        "Renewed show": Verdict.RENEWED,
        "Final show": Verdict.ENDING,
        "Cancelled show": Verdict.CANCELLED,
        "Locked show": Verdict.PENDING,
        "Overruled show": Verdict.CANCELLED,
    }
    assert rows(scorecard)["Final show"][2] == 5
    assert scorecard.counts == {
        Verdict.RENEWED: 1, Verdict.ENDING: 1, Verdict.CANCELLED: 2, Verdict.PENDING: 1
    }


def test_scheduled_story_changes_nothing_before_its_time():
    ballard = f.show("Ballard", network=f.company("Prime Video"))
    f.article("Ballard renewed", kind=RENEWAL, main_show=ballard, published_at=days_ago(10))
    going_live = timezone.now() + timedelta(hours=6)
    f.article("Ballard cancelled", kind=CANCELLATION, main_show=ballard,
              status=Article.Status.SCHEDULED, published_at=going_live)
    f.article("New show renewed", kind=RENEWAL, main_show=f.show("New show"),
              status=Article.Status.PUBLISHED, published_at=going_live)

    scorecard, _ = build_scorecard()

    assert {t: r[1] for t, r in rows(scorecard).items()} == {"Ballard": Verdict.RENEWED}


def test_published_story_going_live_later_decides_then():
    ballard = f.show("Ballard")
    f.article("Ballard renewed", kind=RENEWAL, main_show=ballard, published_at=days_ago(10))
    later = timezone.now() + timedelta(hours=6)
    f.article("Ballard cancelled", kind=CANCELLATION, main_show=ballard, published_at=later)

    assert rows(build_scorecard()[0])["Ballard"][1] == Verdict.RENEWED
    with time_machine.travel(later + timedelta(minutes=1), tick=False):
        assert rows(build_scorecard()[0])["Ballard"][1] == Verdict.CANCELLED


def test_grouped_by_platform_in_name_order_with_no_platform_last():
    prime, abc = f.company("Prime Video"), f.company("ABC")
    for title, network in [("Ballard", prime), ("Bosch: Legacy", prime), ("Abbott", abc), ("Orphan", None)]:
        f.article(kind=RENEWAL, main_show=f.show(title, network=network))

    scorecard, form = build_scorecard()

    assert [(g.name, [e.show.title for e in g.entries]) for g in scorecard.groups] == [
        ("ABC", ["Abbott"]),
        ("Prime Video", ["Ballard", "Bosch: Legacy"]),
        ("Other platforms", ["Orphan"]),
    ]
    assert [c.name for c in scorecard.platforms] == ["ABC", "Prime Video"]
    assert [value for value, _ in form.fields["platform"].choices] == ["", "abc", "prime-video"]


def test_filters_by_platform_and_status_and_ignores_tampering():
    prime, abc = f.company("Prime Video"), f.company("ABC")
    f.article(kind=RENEWAL, main_show=f.show("Ballard", network=prime))
    f.article(kind=CANCELLATION, main_show=f.show("Cancelled on Prime", network=prime))
    f.article(kind=CANCELLATION, main_show=f.show("Cancelled on ABC", network=abc))

    def titles(**params):
        scorecard, _ = build_scorecard(params)
        return sorted(rows(scorecard))

    assert titles(platform="prime-video") == ["Ballard", "Cancelled on Prime"]
    assert titles(status="cancelled") == ["Cancelled on ABC", "Cancelled on Prime"]
    assert titles(platform="prime-video", status="cancelled") == ["Cancelled on Prime"]
    assert titles(platform="<script>", status="cancelled") == ["Cancelled on ABC", "Cancelled on Prime"]
    assert titles(status="'; DROP TABLE x") == ["Ballard", "Cancelled on ABC", "Cancelled on Prime"]
    scorecard, _ = build_scorecard({"platform": "abc", "status": "renewed"})
    assert scorecard.groups == [] and scorecard.total == 3


@pytest.mark.parametrize("count", [3, 30])
def test_scorecard_is_three_queries(django_assert_num_queries, count):
    networks = [f.company(f"Network {n}") for n in range(3)]
    for n in range(count):
        show = f.show(network=networks[n % 3])
        f.article(kind=RENEWAL, main_show=show, published_at=days_ago(n / 100 + 0.5))
        f.article(kind=CANCELLATION, main_show=show, published_at=days_ago(0.1))

    # The years; the year's counts by platform and verdict; one page of deciding stories.
    with django_assert_num_queries(3):
        scorecard, form = build_scorecard({"status": "cancelled"})
        assert scorecard.shown == count
        assert [e.show.network.name for g in scorecard.groups for e in g.entries]
        assert len(form.fields["platform"].choices) == 4


def at_year(year: int, month: int = 6, day: int = 15):
    return datetime(year, month, day, 12, tzinfo=timezone.get_current_timezone())


def test_a_year_at_a_time_newest_year_first():
    prime = f.company("Prime Video")
    ballard, bosch, reacher = (f.show(t, network=prime) for t in ("Ballard", "Bosch", "Reacher"))
    f.article("Bosch renewed", kind=RENEWAL, main_show=bosch, season_number=2, published_at=at_year(2023))
    f.article("Ballard renewed", kind=RENEWAL, main_show=ballard, season_number=2, published_at=at_year(2024, 3))
    f.article("Ballard cancelled", kind=CANCELLATION, main_show=ballard, published_at=at_year(2025, 2))
    f.article("Reacher renewed", kind=RENEWAL, main_show=reacher, season_number=4, published_at=at_year(2025, 5))
    now = at_year(2025, 7)

    newest, _ = build_scorecard(now=now)
    assert newest.year == 2025 and newest.years == [2025, 2024, 2023]
    assert rows(newest) == {
        "Ballard": ("Prime Video", Verdict.CANCELLED, None, "Ballard cancelled"),
        "Reacher": ("Prime Video", Verdict.RENEWED, 4, "Reacher renewed"),
    }
    # A past year as it stood when the year ended: what later years decided is not there.
    past, _ = build_scorecard({"year": "2024"}, now=now)
    assert rows(past) == {"Ballard": ("Prime Video", Verdict.RENEWED, 2, "Ballard renewed")}
    assert past.counts[Verdict.RENEWED] == 1 and past.total == 1
    assert sorted(rows(build_scorecard({"year": "2023"}, now=now)[0])) == ["Bosch"]
    # A year with no decision, or no year at all, is the newest year.
    for tampered in ("2019", "nope", "2025x", ""):
        assert build_scorecard({"year": tampered}, now=now)[0].year == 2025


def test_a_show_decided_twice_in_a_year_counts_once_by_its_latest_story():
    net = f.company("Network")
    show = f.show("Twice", network=net)
    f.article("Twice renewed", kind=RENEWAL, main_show=show, published_at=days_ago(3))
    f.article("Twice cancelled", kind=CANCELLATION, main_show=show, published_at=days_ago(2))

    scorecard, _ = build_scorecard()
    assert rows(scorecard) == {"Twice": ("Network", Verdict.CANCELLED, None, "Twice cancelled")}
    assert scorecard.total == 1
    # Filtering by the older story's verdict does not bring the show back through it.
    assert build_scorecard({"status": "renewed"})[0].groups == []


def test_pages_of_shows_keep_platform_order_and_filters(client, monkeypatch):
    monkeypatch.setattr(scorecard_module, "PER_PAGE", 4)
    abc, prime = f.company("ABC"), f.company("Prime Video")
    for n in range(5):
        for network in (abc, prime):
            show = f.show(f"{network.name} show {n}", network=network)
            f.article(kind=RENEWAL, main_show=show, published_at=days_ago(n + 1))
    f.article(kind=CANCELLATION, main_show=f.show("Prime cancelled", network=prime), published_at=days_ago(1))

    pages = [build_scorecard({"page": str(n)})[0] for n in (1, 2, 3)]
    listed = [(g.name, e.show.title) for p in pages for g in p.groups for e in g.entries]
    assert [p.shown for p in pages] == [4, 4, 3]
    assert listed == sorted(listed, key=lambda row: (row[0], row[1].casefold()))
    assert len(set(listed)) == 11
    assert pages[1].groups[0].name == "ABC" and pages[1].groups[-1].name == "Prime Video"
    # Out of range or not a number: the nearest page, never an error.
    assert build_scorecard({"page": "99"})[0].page.number == 3
    assert build_scorecard({"page": "x"})[0].page.number == 1

    filtered, _ = build_scorecard({"platform": "prime-video", "page": "2"})
    assert filtered.matching == 6 and filtered.shown == 2 and filtered.total == 11
    html = client.get("/renewals/", {"platform": "prime-video"}).content.decode()
    assert 'href="?platform=prime-video&amp;page=2" rel="next"' in html
    assert "Shows 1–4 of 6." in html


def test_scorecard_and_show_page_tell_the_same_status(client):
    prime = f.company("Prime Video")
    renewed = f.show("Ballard", network=prime, status=Show.Status.AIRING)
    cancelled = f.show("The Wheel of Time", network=prime, status=Show.Status.RENEWED)
    locked = f.show("Bosch: Legacy", network=prime, status=Show.Status.ENDED, status_locked=True)
    f.article("Ballard renewed", kind=RENEWAL, main_show=renewed, season_number=2, published_at=days_ago(3))
    f.article("Wheel of Time cancelled", kind=CANCELLATION, main_show=cancelled, published_at=days_ago(2))
    f.article("Bosch: Legacy renewed", kind=RENEWAL, main_show=locked, published_at=days_ago(1))

    scorecard = client.get("/renewals/").content.decode()
    expected = {renewed: "Renewed", cancelled: "Cancelled", locked: "Ended"}
    for show, label in expected.items():
        page = client.get(show.get_absolute_url()).content.decode()
        assert f"<dt>Status</dt><dd>{label} " in page, show
    assert [e.verdict for g in build_scorecard()[0].groups for e in g.entries] == [
        Verdict.RENEWED, Verdict.ENDING, Verdict.CANCELLED  # by title
    ]
    assert scorecard.count("verdict--") >= 3


def test_show_page_links_the_scorecard_of_its_deciding_year(client):
    prime = f.company("Prime Video")
    ballard = f.show("Ballard", network=prime)
    f.article("Ballard renewed", kind=RENEWAL, main_show=ballard, published_at=at_year(2025))
    f.article("Reacher renewed", kind=RENEWAL, main_show=f.show("Reacher", network=prime), published_at=days_ago(1))

    page = Page(client.get(ballard.get_absolute_url()))
    link = page.find('//dd/a[starts-with(@href, "/renewals/")]')[0].get("href")
    assert link == "/renewals/?year=2025&platform=prime-video"
    past = Page(client.get(link))
    assert [a.text for a in past.find('//table[@class="scorecard"]/tbody//th/a')] == ["Ballard"]
    assert past.find('//link[@rel="canonical"]')[0].get("href").endswith("/renewals/?year=2025")
    assert past.find('//nav[@aria-label="Years"]//a[@aria-current="page"]')[0].text == "2025"
    newest = Page(client.get("/renewals/"))
    assert [a.text for a in newest.find('//table[@class="scorecard"]/tbody//th/a')] == ["Reacher"]
    assert newest.find('//link[@rel="canonical"]')[0].get("href").endswith("/renewals/")
