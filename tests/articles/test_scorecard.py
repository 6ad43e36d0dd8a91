from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from articles.scorecard import Verdict, build_scorecard
from catalog.models import Show
from tests import factories as f

pytestmark = pytest.mark.django_db

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
def test_scorecard_is_two_queries(django_assert_num_queries, count):
    networks = [f.company(f"Network {n}") for n in range(3)]
    for n in range(count):
        show = f.show(network=networks[n % 3])
        f.article(kind=RENEWAL, main_show=show, published_at=days_ago(n + 2))
        f.article(kind=CANCELLATION, main_show=show, published_at=days_ago(1))

    # The decided shows with their effective status and network; their deciding stories.
    with django_assert_num_queries(2):
        scorecard, form = build_scorecard({"status": "cancelled"})
        assert scorecard.shown == count
        assert [e.show.network.name for g in scorecard.groups for e in g.entries]
        assert len(form.fields["platform"].choices) == 4


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
