"""Credit lists are bounded: a show's page lists the top of its billing and a person's page
their newest shows, each with a link to a full, paginated list that holds every credit."""

import pytest
from django.conf import settings

from catalog import profiles
from catalog.models import PANEL_CREDITS, Credit
from tests import factories as f
from tests.page import Page

pytestmark = pytest.mark.django_db

# show (with what its deciding story says), one page of credits
SHOW_CREDITS_QUERIES = 2
# person, one page of credits
PERSON_CREDITS_QUERIES = 2


def ensemble(n_cast: int, n_crew: int = 0):
    """A show whose cast is billed 1..n (two people share each tenth place) and whose crew
    comes after them."""
    show = f.show("Big Ensemble")
    people = []
    for i in range(1, n_cast + 1):
        person = f.person(f"Cast Member {i:03d}")
        f.credit(person, show, character=f"Character {i}", order=i - (i % 10 == 0))
        people.append(person)
    for i in range(1, n_crew + 1):
        person = f.person(f"Crew Member {i:03d}")
        f.credit(person, show, Credit.Role.EXECUTIVE_PRODUCER, order=n_cast + i)
        people.append(person)
    return show, people


def billing(show) -> list[str]:
    """Every credited person's page, in billing order (order, then name)."""
    credits = Credit.objects.filter(show=show).select_related("person").order_by("order", "person__name", "id")
    return [c.person.get_absolute_url() for c in credits]


def listed_people(page: Page, within: str) -> list[str]:
    return [h for h in page.hrefs(within) if h.startswith("/people/")]


@pytest.mark.parametrize("n_cast", [5, PANEL_CREDITS, PANEL_CREDITS + 15])
def test_show_page_lists_the_top_of_billing_and_links_the_full_cast_and_crew(client, n_cast):
    show, _ = ensemble(n_cast, n_crew=3)
    page = Page(client.get(show.get_absolute_url()))

    panel = '//section[contains(@class, "cast-crew")]'
    listed = listed_people(page, panel)
    assert listed == billing(show)[:PANEL_CREDITS]
    full = "/shows/big-ensemble/credits/"
    assert (full in page.hrefs(panel)) == (n_cast + 3 > PANEL_CREDITS)
    # The structured data names the people the page lists.
    [data] = page.jsonld()
    named = [role["actor"]["url"] for role in data["actor"]] + [p["url"] for p in data.get("producer", [])]
    assert sorted(u.removeprefix(settings.SITE_URL) for u in named) == sorted(listed)


def test_full_cast_and_crew_pages_hold_every_credit_once_in_billing_order(client, monkeypatch):
    monkeypatch.setattr(profiles, "CREDIT_PAGE_CREDITS", 7)
    show, _ = ensemble(17, n_crew=4)
    url = "/shows/big-ensemble/credits/"

    seen, pages, next_url = [], [], url
    while next_url:
        page = Page(client.get(next_url))
        assert page.response.status_code == 200
        pages.append(page)
        seen += listed_people(page, "//main")
        [next_url] = page.find('//nav[@class="pagination"]//a[@rel="next"]/@href') or [None]
    assert seen == billing(show)
    assert len(pages) == 3
    # The first page is the list's own address; later ones say which page they are.
    assert pages[1].find('//a[@rel="prev"]/@href') == [url]
    assert pages[2].find('//a[@rel="prev"]/@href') == [url + "?page=2"]
    assert pages[0].find('//link[@rel="canonical"]/@href') == [settings.SITE_URL + url]
    assert pages[2].words("//h1") == "Cast & crew, page 3"
    assert pages[2].find('//link[@rel="canonical"]/@href') == [settings.SITE_URL + url + "?page=3"]
    # Cast under its heading, the crew under theirs, on the page where they fall.
    assert [h for _, h in pages[2].headings()][1:] == ["Cast", "Executive producers"]
    site = settings.SITE_URL
    assert pages[0].breadcrumbs()[-2:] == [("Big Ensemble", site + "/shows/big-ensemble/"), ("Cast & crew", site + url)]


@pytest.mark.parametrize("asked", ["4", "0", "-1", "two", "1.5", "²", "1000000", "9" * 30])
def test_a_credits_page_that_does_not_exist_is_not_found(client, monkeypatch, asked):
    monkeypatch.setattr(profiles, "CREDIT_PAGE_CREDITS", 7)
    monkeypatch.setattr(profiles, "CREDIT_PAGE_SHOWS", 7)
    show, people = ensemble(17)
    assert client.get(f"/shows/{show.slug}/credits/?page={asked}").status_code == 404
    assert client.get(f"/people/{people[0].slug}/credits/?page={asked}").status_code == 404
    assert client.get("/shows/no-such-show/credits/").status_code == 404
    assert client.get("/people/no-such-person/credits/").status_code == 404


def test_an_entry_without_credits_has_an_empty_first_page(client):
    for entry in (f.show("Uncast"), f.person("Uncredited")):
        page = Page(client.get(entry.get_absolute_url() + "credits/"))
        assert page.response.status_code == 200
        assert page.words('//p[@class="empty"]') == "No credits listed yet."
        assert page.find('//nav[@class="pagination"]') == []
        assert client.get(entry.get_absolute_url() + "credits/?page=2").status_code == 404


def prolific(n_shows: int):
    """A person on ``n_shows`` shows, one a year back from 2025, with two credits on every
    third show (cast and writer)."""
    person = f.person("Prolific Director")
    shows = []
    for i in range(n_shows):
        show = f.show(f"Series {i:03d}", year_start=2025 - i)
        f.credit(person, show, Credit.Role.DIRECTOR)
        if i % 3 == 0:
            f.credit(person, show, Credit.Role.WRITER)
        shows.append(show)
    return person, shows


def shows_listed(page: Page, within: str) -> list[str]:
    return page.find(f"{within}//*[contains(@class, 'credits__heading')]/a/@href")


@pytest.mark.parametrize("n_shows", [3, profiles.PERSON_PAGE_SHOWS + 5])
def test_person_page_lists_their_newest_shows_and_links_every_credit(client, n_shows):
    person, shows = prolific(n_shows)
    page = Page(client.get(person.get_absolute_url()))
    sidebar = '//aside[@aria-labelledby="credits-heading"]'
    listed = shows_listed(page, sidebar)
    assert listed == [s.get_absolute_url() for s in shows[: profiles.PERSON_PAGE_SHOWS]]
    full = "/people/prolific-director/credits/"
    assert (full in page.hrefs(sidebar)) == (n_shows > profiles.PERSON_PAGE_SHOWS)
    # Every role on each listed show, even on the last one.
    last = listed[-1]
    roles = page.words(f"{sidebar}//h3[a/@href='{last}']/following-sibling::ul[1]")
    index = len(listed) - 1
    assert roles == ("Writer Director" if index % 3 == 0 else "Director")


def test_full_credits_pages_never_split_a_show(client, monkeypatch):
    monkeypatch.setattr(profiles, "CREDIT_PAGE_SHOWS", 4)
    _, shows = prolific(10)
    url = "/people/prolific-director/credits/"

    seen, counts, next_url = [], [], url
    while next_url:
        page = Page(client.get(next_url))
        listed = shows_listed(page, "//main")
        seen += listed
        counts.append(len(listed))
        # Every show on the page with all of its roles.
        for i, href in enumerate(listed, start=len(seen) - len(listed)):
            items = page.find(f"//main//h2[a/@href='{href}']/following-sibling::ul[1]/li")
            assert len(items) == (2 if i % 3 == 0 else 1), href
        [next_url] = page.find('//a[@rel="next"]/@href') or [None]
    assert seen == [s.get_absolute_url() for s in shows]
    assert counts == [4, 4, 2]
    site = settings.SITE_URL
    assert Page(client.get(url + "?page=3")).breadcrumbs()[-2:] == [
        ("Prolific Director", site + "/people/prolific-director/"),
        ("Credits", site + url + "?page=3"),
    ]


@pytest.mark.parametrize("n", [3, 30])
def test_credits_pages_query_count_does_not_grow(client, django_assert_num_queries, n):
    show, people = ensemble(n, n_crew=n)
    person = people[0]
    for _ in range(n):
        f.credit(person, f.show(), Credit.Role.WRITER)
    with django_assert_num_queries(SHOW_CREDITS_QUERIES):
        assert client.get(f"/shows/{show.slug}/credits/").status_code == 200
    with django_assert_num_queries(PERSON_CREDITS_QUERIES):
        assert client.get(f"/people/{person.slug}/credits/").status_code == 200
