"""Story cards: read as rows (a prepared list, or any QuerySet) with their bylines, written as
the story lists' HTML with every value escaped."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from lxml import html

from articles.cards import (
    CardList,
    CardLists,
    card_of,
    story_cards,
    story_list_html,
)
from articles.models import Article
from tests import factories as f

pytestmark = pytest.mark.django_db

ABOUT = CardList(
    lambda show_id, now: Article.objects.published(now).about(show_id).newest(), "show_id", limit=5
)


def cards_html(cards, **kwargs):
    return html.fragment_fromstring(str(story_list_html(cards, **kwargs)), create_parent="div")


def test_a_prepared_list_is_the_newest_public_stories_of_its_entity():
    show, other = f.show(), f.show()
    now = timezone.now()
    stories = [f.article(main_show=show, published_at=now - timedelta(hours=h)) for h in range(1, 8)]
    f.article(main_show=other)
    f.article(main_show=show, status=Article.Status.DRAFT, published_at=None)
    f.article(main_show=show, status=Article.Status.SCHEDULED, published_at=now + timedelta(hours=1))

    cards = ABOUT.cards(show_id=show.pk)

    assert [c.id for c in cards] == [s.pk for s in stories[:5]]
    assert [c.url for c in cards] == [s.get_absolute_url() for s in stories[:5]]
    assert cards[0].show_url == show.get_absolute_url()
    assert ABOUT.cards(show_id=other.pk)[0].show_title == other.title


ABOUT_AND_NAMING = CardLists(
    (lambda show_id, now: Article.objects.published(now).about(show_id).newest(), 3),
    (lambda show_id, now: Article.objects.published(now).mentioning(show=show_id).newest(), 2),
    params=("show_id",),
)


def test_lists_read_together_are_each_what_it_would_be_alone(django_assert_num_queries):
    show, other = f.show(), f.show()
    now = timezone.now()
    about = [f.article(main_show=show, published_at=now - timedelta(hours=h)) for h in range(1, 6)]
    naming = [f.article(published_at=now - timedelta(minutes=m)) for m in (30, 90, 150)]
    for story in [*naming, about[0]]:  # one story in both lists
        f.mention(story, show)
    f.mention(f.article(status=Article.Status.DRAFT, published_at=None), show)
    f.article(main_show=other)

    with django_assert_num_queries(1):
        first, second = ABOUT_AND_NAMING.cards(show_id=show.pk)

    assert [c.id for c in first] == [s.pk for s in about[:3]]
    assert [c.id for c in second] == [naming[0].pk, about[0].pk]
    assert [c.url for c in first] == [s.get_absolute_url() for s in about[:3]]
    assert first[0].show_title == show.title and second[0].show_url is None
    assert ABOUT_AND_NAMING.cards(show_id=other.pk)[1] == []
    assert ABOUT_AND_NAMING.cards(show_id=f.show().pk) == [[], []]


def test_cards_carry_their_bylines_in_byline_order_with_no_query_of_their_own(django_assert_num_queries):
    first, second, third = f.author("Nellie Andreeva"), f.author("Matt Webb Mitovich"), f.author("Joe Otterson")
    a = f.article(authors=[second, first])
    b = f.article(authors=[third])
    c = f.article()

    with django_assert_num_queries(1):
        cards = story_cards(Article.objects.filter(pk__in=[a.pk, b.pk, c.pk]).order_by("pk"), 10)

    assert [[author.name for author in card.bylines] for card in cards] == [
        ["Matt Webb Mitovich", "Nellie Andreeva"],
        ["Joe Otterson"],
        [],
    ]
    assert [author.url for author in cards[0].bylines] == [second.get_absolute_url(), first.get_absolute_url()]


def test_card_html_links_story_show_and_authors():
    show = f.show("Ballard")
    story = f.article("Ballard renewed", dek="A second season.", main_show=show,
                      kind=Article.Kind.RENEWAL, authors=[f.author("Nellie Andreeva"), f.author("Joe Otterson")])
    cards = story_cards(Article.objects.filter(pk=story.pk), 1)

    doc = cards_html(cards, level=2)

    assert doc.xpath("//h2[@class='card__title']/a/@href") == [story.get_absolute_url()]
    assert doc.xpath("string(//p[@class='card__kicker'])") == "Renewal · Ballard"
    assert doc.xpath("//p[@class='card__kicker']/a/@href") == [show.get_absolute_url()]
    assert doc.xpath("string(//span[@class='byline'])") == "By Nellie Andreeva and Joe Otterson"
    authors = [byline.author for byline in story.bylines.order_by("order")]
    assert doc.xpath("//a[@rel='author']/@href") == [author.get_absolute_url() for author in authors]
    assert doc.xpath("//time/@datetime") == [timezone.localtime(story.published_at).strftime("%Y-%m-%dT%H:%M:%S%z")]


def test_rows_and_models_give_the_same_card():
    story = f.article("Ballard renewed", dek="A second season.", main_show=f.show(),
                      authors=[f.author(), f.author(), f.author()])
    rows = story_cards(Article.objects.filter(pk=story.pk), 1)
    model = Article.objects.for_listing().get(pk=story.pk)

    assert str(story_list_html(rows)) == str(story_list_html([model]))
    assert card_of(model).bylines == rows[0].bylines


def test_everything_in_a_card_is_escaped():
    hostile = '<script>alert(1)</script>"'
    story = f.article(hostile, dek=hostile, main_show=f.show(hostile), authors=[f.author(hostile)])
    cards = story_cards(Article.objects.filter(pk=story.pk), 1)

    out = str(story_list_html(cards, empty=hostile))

    assert "<script>" not in out
    assert out.count("&lt;script&gt;") == 4  # title, dek, show, author


def test_an_empty_list_says_so_escaped():
    assert str(story_list_html([], empty="No <b>stories</b>")) == '<p class="empty">No &lt;b&gt;stories&lt;/b&gt;</p>'


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Tokyo"])
def test_card_dates_are_the_newsroom_day_in_its_language(zone):
    # 07:30 UTC on 1 March is still February in Los Angeles and already 1 March in Tokyo.
    late = f.article("Late story", published_at=datetime(2026, 3, 1, 7, 30, tzinfo=UTC))
    early = f.article("Early story", published_at=datetime(2026, 1, 15, 12, 0, tzinfo=UTC))
    cards = story_cards(Article.objects.filter(pk__in=[late.pk, early.pk]).order_by("-published_at"), 2)

    with timezone.override(zone):
        english = cards_html(cards)
        with translation.override("fr"):
            french = cards_html(cards)

    expected_day = {"America/Los_Angeles": ("February 28, 2026", "février 28, 2026"),
                    "Asia/Tokyo": ("March 1, 2026", "mars 1, 2026")}[zone]
    assert english.xpath("//time/text()") == [expected_day[0], "January 15, 2026"]
    assert french.xpath("//time/text()") == [expected_day[1], "janvier 15, 2026"]
    local = late.published_at.astimezone(ZoneInfo(zone))
    assert english.xpath("//time/@datetime")[0] == local.strftime("%Y-%m-%dT%H:%M:%S%z")


@pytest.mark.parametrize(
    "zone, when",
    [
        ("UTC", datetime(2026, 3, 8, 10, 5, 7, 123456, tzinfo=UTC)),
        ("America/Los_Angeles", datetime(2026, 3, 8, 10, 5, 7, tzinfo=UTC)),  # the day clocks change
        ("Asia/Kathmandu", datetime(2026, 11, 24, 23, 59, 59, tzinfo=UTC)),
        ("America/St_Johns", datetime(2026, 1, 1, tzinfo=UTC)),
        ("Europe/Amsterdam", datetime(1850, 6, 1, tzinfo=UTC)),  # an offset with seconds
    ],
)
def test_card_time_is_written_as_strftime_writes_it(zone, when):
    local = when.astimezone(ZoneInfo(zone))
    card = story_cards(Article.objects.filter(pk=f.article(published_at=when).pk), 1)[0]
    with timezone.override(zone):
        doc = cards_html([card])
    assert doc.xpath("//time/@datetime") == [local.strftime("%Y-%m-%dT%H:%M:%S%z")]
