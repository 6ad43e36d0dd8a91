"""Profile pages list what linking found: a person's page the stories that name them and the
stories about shows they are credited on; a show's page the stories about it and those that
mention it. Each page costs the same number of queries however many stories there are."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from catalog.models import Company
from tests import factories as f
from tests.catalog.test_views import PERSON_QUERIES, SHOW_QUERIES
from tests.page import Page

from .linking_helpers import linked_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    prime = f.company("Prime Video", kind=Company.Kind.STREAMER)
    bosch = f.show("Bosch", year_start=2014, network=prime)
    ballard = f.show("Ballard", year_start=2025, network=prime, spinoff_of=bosch)
    lead = f.person("Maggie Q")
    f.credit(lead, ballard, character="Renée Ballard")
    return {"prime": prime, "bosch": bosch, "ballard": ballard, "lead": lead}


def news(page: Page, section: str) -> list[str]:
    hrefs = page.hrefs(f'//section[@aria-labelledby="{section}"]')
    return [h for h in hrefs if h.startswith("/news/")]


def test_a_person_page_lists_stories_naming_them_and_stories_about_their_shows(client, world):
    naming, _ = linked_story("<p>Maggie Q spoke at a festival panel.</p>", title="A panel")
    about, _ = linked_story(
        "<p>Prime Video renewed the Bosch spinoff for a second season.</p>",
        title="Ballard Renewed", kind=Article.Kind.RENEWAL,
    )
    assert about.main_show == world["ballard"]
    page = Page(client.get("/people/maggie-q/"))
    assert news(page, "mentioning-heading") == [naming.get_absolute_url()]
    assert news(page, "shows-stories-heading") == [about.get_absolute_url()]


def test_a_show_page_lists_stories_about_it_and_stories_mentioning_it(client, world):
    about, _ = linked_story(
        "<p>Prime Video renewed Ballard for a second season.</p>",
        title="Ballard Renewed", kind=Article.Kind.RENEWAL,
    )
    mentioning, _ = linked_story(
        "<p>Titles like Ballard keep Prime Video busy, a trade report says.</p>",
        title="Streaming roundup",
    )
    page = Page(client.get("/shows/ballard/"))
    assert news(page, "about-heading") == [about.get_absolute_url()]
    assert news(page, "mentioning-heading") == [mentioning.get_absolute_url()]


def test_a_story_scheduled_for_later_is_on_no_profile_before_its_time(client, world, time_machine):
    later = timezone.now() + timedelta(hours=3)
    story, _ = linked_story(
        "<p>Maggie Q joins a new film.</p>", title="Casting news", published_at=later,
    )
    assert story.mentions.filter(person=world["lead"]).exists()
    assert story.get_absolute_url() not in Page(client.get("/people/maggie-q/")).hrefs()
    time_machine.move_to(later + timedelta(minutes=1))
    assert story.get_absolute_url() in Page(client.get("/people/maggie-q/")).hrefs()


def _many_linked_stories(world, n: int) -> None:
    for i in range(n):
        linked_story(f"<p>Maggie Q and Ballard, item {i}.</p>", title=f"Roundup {i}")
        linked_story(
            "<p>Prime Video renewed the Bosch spinoff.</p>",
            title=f"Ballard Renewed {i}", kind=Article.Kind.RENEWAL,
        )


@pytest.mark.parametrize("n", [3, 30])
def test_person_page_queries_do_not_grow_with_linked_stories(client, world, django_assert_num_queries, n):
    _many_linked_stories(world, n)
    with django_assert_num_queries(PERSON_QUERIES):
        page = Page(client.get("/people/maggie-q/"))
    assert len(news(page, "mentioning-heading")) == min(n, 20)


@pytest.mark.parametrize("n", [3, 30])
def test_show_page_queries_do_not_grow_with_linked_stories(client, world, django_assert_num_queries, n):
    _many_linked_stories(world, n)
    with django_assert_num_queries(SHOW_QUERIES):
        page = Page(client.get("/shows/ballard/"))
    assert len(news(page, "about-heading")) == min(n, 20)
